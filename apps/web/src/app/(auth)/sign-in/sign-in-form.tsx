"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { LoaderCircleIcon } from "lucide-react";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, FormMessage } from "@/components/ui/form";
import { Input } from "@/components/ui/input";
import { authClient } from "@/lib/auth-client";

const schema = z.object({
  email: z.email("Enter your e-mail address"),
  password: z.string().min(1, "Enter your password"),
});

/** Better Auth's refusal codes, as people read them. */
function signInMessage(error: { code?: string; status?: number; message?: string }): string {
  if (error.status === 429 || error.code === "ACCOUNT_LOCKED") {
    return error.code === "ACCOUNT_LOCKED" && error.message
      ? error.message
      : "Too many sign-in attempts. Wait a minute and try again.";
  }
  if (error.code === "BANNED_USER") return "This account has been deactivated. Ask an admin.";
  if (error.code === "INVALID_EMAIL_OR_PASSWORD") return "That e-mail and password do not match.";
  return error.message ?? "Could not sign in. Try again.";
}

/** Sign-in with e-mail and password; on success, back to where the person was going. */
export function SignInForm() {
  const router = useRouter();
  const next = useSearchParams().get("next");
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<z.infer<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { email: "", password: "" },
  });
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    const { error } = await authClient.signIn.email(values);
    if (error) {
      setFailure(signInMessage(error));
      form.setValue("password", "");
      return;
    }
    router.replace(next?.startsWith("/") && !next.startsWith("//") ? next : "/");
    router.refresh();
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Sign in</CardTitle>
        <CardDescription>Use the account an admin gave you.</CardDescription>
      </CardHeader>
      <CardContent>
        <form method="post" onSubmit={submit} className="grid gap-4" noValidate>
          <FormMessage>{failure}</FormMessage>
          <FormField
            control={form.control}
            name="email"
            label="E-mail"
            render={(field) => <Input type="email" autoComplete="username" autoFocus {...field} />}
          />
          <FormField
            control={form.control}
            name="password"
            label="Password"
            render={(field) => <Input type="password" autoComplete="current-password" {...field} />}
          />
          <Button type="submit" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <LoaderCircleIcon className="animate-spin" /> : null}
            Sign in
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

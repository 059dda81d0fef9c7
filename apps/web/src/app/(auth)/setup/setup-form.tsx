"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { FormField, FormMessage } from "@/components/ui/form";
import { Input } from "@/components/ui/input";
import { applyFailure } from "@/lib/api-errors";
import { authClient } from "@/lib/auth-client";
import { useTRPC } from "@/trpc/client";

const schema = z
  .object({
    name: z.string().trim().min(1, "Enter your name"),
    email: z.email("Enter an e-mail address"),
    password: z.string().min(12, "At least 12 characters"),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ["confirm"], message: "The passwords differ" });

/** Creates the first admin and signs them in. */
export function SetupForm() {
  const router = useRouter();
  const trpc = useTRPC();
  const setup = useMutation(trpc.session.setup.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<z.infer<typeof schema>>({
    resolver: zodResolver(schema),
    defaultValues: { name: "", email: "", password: "", confirm: "" },
  });
  const submit = form.handleSubmit(async ({ name, email, password }) => {
    setFailure(null);
    try {
      await setup.mutateAsync({ name, email, password });
    } catch (error) {
      setFailure(applyFailure(form, error));
      return;
    }
    const { error } = await authClient.signIn.email({ email, password });
    router.replace(error ? "/sign-in" : "/flows");
    router.refresh();
  });
  return (
    <Card>
      <CardHeader>
        <CardTitle className="text-xl">Welcome to Ringflow</CardTitle>
        <CardDescription>
          Create the first admin account. Admins draw flows, manage queues, agents and numbers, and
          invite the rest of the team.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid gap-4" noValidate>
          <FormMessage>{failure}</FormMessage>
          <FormField
            control={form.control}
            name="name"
            label="Your name"
            render={(f) => <Input autoComplete="name" autoFocus {...f} />}
          />
          <FormField
            control={form.control}
            name="email"
            label="E-mail"
            render={(f) => <Input type="email" autoComplete="username" {...f} />}
          />
          <FormField
            control={form.control}
            name="password"
            label="Password"
            hint="At least 12 characters."
            render={(f) => <Input type="password" autoComplete="new-password" {...f} />}
          />
          <FormField
            control={form.control}
            name="confirm"
            label="Password again"
            render={(f) => <Input type="password" autoComplete="new-password" {...f} />}
          />
          <Button type="submit" disabled={form.formState.isSubmitting}>
            {form.formState.isSubmitting ? <LoaderCircleIcon className="animate-spin" /> : null}
            Create admin and sign in
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
import { z } from "zod";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { FormField, FormMessage } from "@/components/ui/form";
import { Input } from "@/components/ui/input";
import {
  Select,
  SelectContent,
  SelectItem,
  SelectTrigger,
  SelectValue,
} from "@/components/ui/select";
import { applyFailure } from "@/lib/api-errors";
import { useTRPC } from "@/trpc/client";
import { passwordSchema, userCreateSchema, userRoles } from "./user-schema";

const roleHelp = {
  admin: "Changes everything",
  supervisor: "Watches: wall-board, call history, read-only views",
  agent: "Sets their own status on the agent page (link them to an agent)",
};

type Invite = z.input<typeof userCreateSchema>;

const BLANK_INVITE: Invite = { email: "", name: "", role: "supervisor", password: "" };

/** Invites someone: an admin sets their e-mail, role and first password (to pass on in person). */
export function InviteUserDialog({
  open,
  onOpenChange,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.users.create.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Invite>({
    resolver: zodResolver(userCreateSchema),
    defaultValues: BLANK_INVITE,
  });
  useEffect(() => {
    if (open) {
      form.reset(BLANK_INVITE);
      setFailure(null);
    }
  }, [open, form]);
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await create.mutateAsync(userCreateSchema.parse(values));
      toast.success(`${values.name} can now sign in`);
      await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
      onOpenChange(false);
    } catch (error) {
      setFailure(applyFailure(form, error));
    }
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>Invite a user</DialogTitle>
          <DialogDescription>
            Set their first password and pass it on; they sign in with it.
          </DialogDescription>
        </DialogHeader>
        <form
          method="post"
          onSubmit={submit}
          className="grid gap-4"
          noValidate
          aria-label="Invite a user"
        >
          <FormMessage>{failure}</FormMessage>
          <FormField
            control={form.control}
            name="name"
            label="Name"
            render={(f) => <Input autoFocus {...f} />}
          />
          <FormField
            control={form.control}
            name="email"
            label="E-mail"
            render={(f) => <Input type="email" {...f} />}
          />
          <FormField
            control={form.control}
            name="role"
            label="Role"
            render={({ value, onChange, id }) => (
              <Select value={value} onValueChange={onChange}>
                <SelectTrigger id={id}>
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  {userRoles.map((role) => (
                    <SelectItem key={role} value={role}>
                      {role} — {roleHelp[role]}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            )}
          />
          <FormField
            control={form.control}
            name="password"
            label="First password"
            hint="At least 12 characters."
            render={(f) => <Input type="password" autoComplete="new-password" {...f} />}
          />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              {form.formState.isSubmitting ? <LoaderCircleIcon className="animate-spin" /> : null}
              Invite
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

const resetSchema = z.object({ password: passwordSchema });

/** Sets a new password for a user. */
export function ResetPasswordDialog({
  user,
  onOpenChange,
}: {
  user: { id: string; name: string } | null;
  onOpenChange: (open: boolean) => void;
}) {
  const trpc = useTRPC();
  const setPassword = useMutation(trpc.users.setPassword.mutationOptions());
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<z.infer<typeof resetSchema>>({
    resolver: zodResolver(resetSchema),
    defaultValues: { password: "" },
  });
  const userId = user?.id;
  useEffect(() => {
    if (userId === undefined) return;
    form.reset({ password: "" });
    setFailure(null);
  }, [userId, form]);
  const submit = form.handleSubmit(async ({ password }) => {
    if (!user) return;
    try {
      await setPassword.mutateAsync({ id: user.id, password });
      toast.success(`New password set for ${user.name}`);
      onOpenChange(false);
    } catch (error) {
      setFailure(applyFailure(form, error));
    }
  });
  return (
    <Dialog open={user !== null} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>New password for {user?.name}</DialogTitle>
          <DialogDescription>Their current password stops working.</DialogDescription>
        </DialogHeader>
        <form
          method="post"
          onSubmit={submit}
          className="grid gap-4"
          noValidate
          aria-label="New password"
        >
          <FormMessage>{failure}</FormMessage>
          <FormField
            control={form.control}
            name="password"
            label="New password"
            render={(f) => <Input type="password" autoComplete="new-password" autoFocus {...f} />}
          />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              Set password
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

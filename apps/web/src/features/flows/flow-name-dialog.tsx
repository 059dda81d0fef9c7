"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { LoaderCircleIcon } from "lucide-react";
import { useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
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
import { Textarea } from "@/components/ui/textarea";
import { applyFailure } from "@/lib/api-errors";
import { flowFieldsSchema } from "./flow-schema";

type Values = z.input<typeof flowFieldsSchema>;

type Props = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  submitLabel: string;
  /** The fields the form opens with; read once, each time the dialog opens. */
  initial: Values;
  onSubmit: (values: z.output<typeof flowFieldsSchema>) => Promise<void>;
};

/** Names a flow: for creating, renaming or duplicating one. */
export function FlowNameDialog({ open, onOpenChange, title, description, ...form }: Props) {
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{title}</DialogTitle>
          <DialogDescription>{description}</DialogDescription>
        </DialogHeader>
        {/* The content, and so the form, mounts on each opening: a re-render of the page
            behind it (its list arriving or refreshing) never resets what was typed. */}
        <FlowNameForm title={title} onClose={() => onOpenChange(false)} {...form} />
      </DialogContent>
    </Dialog>
  );
}

function FlowNameForm({
  title,
  submitLabel,
  initial,
  onSubmit,
  onClose,
}: Pick<Props, "title" | "submitLabel" | "initial" | "onSubmit"> & { onClose: () => void }) {
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(flowFieldsSchema), defaultValues: initial });
  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      await onSubmit(flowFieldsSchema.parse(values));
      onClose();
    } catch (error) {
      setFailure(applyFailure(form, error));
    }
  });
  return (
    <form onSubmit={submit} className="grid gap-4" noValidate aria-label={title}>
      <FormMessage>{failure}</FormMessage>
      <FormField
        control={form.control}
        name="name"
        label="Name"
        render={(field) => <Input placeholder="Main support line" autoFocus {...field} />}
      />
      <FormField
        control={form.control}
        name="description"
        label="Description"
        hint="Optional: what the flow is for."
        render={({ value, ...field }) => <Textarea rows={3} value={value ?? ""} {...field} />}
      />
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onClose}>
          Cancel
        </Button>
        <Button type="submit" disabled={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? <LoaderCircleIcon className="animate-spin" /> : null}
          {submitLabel}
        </Button>
      </DialogFooter>
    </form>
  );
}

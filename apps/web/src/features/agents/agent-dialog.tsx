"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
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
import { fromNullableNumber, toNullableNumber } from "@/lib/number-input";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import {
  type AgentFields,
  agentFieldsSchema,
  agentStatuses,
  agentStatusLabels,
} from "./agent-schema";

type Agent = RouterOutputs["agents"]["list"][number];

const blank: AgentFields = {
  name: "",
  contact: "",
  status: "available",
  wrapUpSeconds: 10,
  maxNoAnswer: 3,
};

/** Creates an agent, or edits one (`agent` given). */
export function AgentDialog({
  open,
  onOpenChange,
  agent,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  agent?: Agent | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<AgentFields>({
    resolver: zodResolver(agentFieldsSchema),
    defaultValues: blank,
  });
  useEffect(() => {
    if (!open) return;
    setFailure(null);
    form.reset(agent ? { ...agent } : blank);
  }, [open, agent, form]);
  const create = useMutation(trpc.agents.create.mutationOptions());
  const update = useMutation(trpc.agents.update.mutationOptions());

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      if (agent)
        await update.mutateAsync({ ...values, id: agent.id, expectedRevision: agent.revision });
      else await create.mutateAsync(values);
      toast.success(agent ? `${values.name} saved` : `${values.name} added`);
      await queryClient.invalidateQueries({ queryKey: trpc.agents.list.queryKey() });
      await queryClient.invalidateQueries({ queryKey: trpc.groups.list.queryKey() });
      onOpenChange(false);
    } catch (error) {
      setFailure(applyFailure(form, error));
    }
  });

  const numberField = (name: "wrapUpSeconds" | "maxNoAnswer", label: string, hint: string) => (
    <FormField
      control={form.control}
      name={name}
      label={label}
      hint={hint}
      render={({ value, onChange, ...field }) => (
        <Input
          type="number"
          inputMode="numeric"
          value={fromNullableNumber(value)}
          onChange={(e) => onChange(toNullableNumber(e.target.value) ?? Number.NaN)}
          {...field}
        />
      )}
    />
  );

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{agent ? `Edit ${agent.name}` : "New agent"}</DialogTitle>
          <DialogDescription>
            An agent answers calls on one phone, reached by its dial string.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate aria-label="Agent">
          <FormMessage>{failure}</FormMessage>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              control={form.control}
              name="name"
              label="Name"
              render={(field) => <Input placeholder="Alice" autoFocus {...field} />}
            />
            <FormField
              control={form.control}
              name="contact"
              label="Phone (dial string)"
              hint="e.g. user/1001 or sofia/gateway/gw1/5551234"
              render={(field) => <Input placeholder="user/1001" {...field} />}
            />
            <FormField
              control={form.control}
              name="status"
              label="Status"
              hint="Only available agents are rung."
              render={({ value, onChange, id, ...field }) => (
                <Select value={value} onValueChange={onChange}>
                  <SelectTrigger id={id} aria-invalid={field["aria-invalid"]}>
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    {agentStatuses.map((status) => (
                      <SelectItem key={status} value={status}>
                        {agentStatusLabels[status]}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              )}
            />
            {numberField("wrapUpSeconds", "Wrap-up (seconds)", "Rest after each call.")}
            {numberField(
              "maxNoAnswer",
              "Unanswered rings before a break",
              "Then the agent is put on a break.",
            )}
          </div>
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              {form.formState.isSubmitting ? <LoaderCircleIcon className="animate-spin" /> : null}
              {agent ? "Save" : "Add agent"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

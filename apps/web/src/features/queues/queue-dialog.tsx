"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { LoaderCircleIcon } from "lucide-react";
import { useEffect, useState } from "react";
import { useForm } from "react-hook-form";
import { toast } from "sonner";
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
import { applyFailure } from "@/lib/api-errors";
import { fromNullableNumber, toNullableNumber } from "@/lib/number-input";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { queueCreateSchema } from "./queue-schema";

type Queue = RouterOutputs["queues"]["list"][number];
type Values = z.input<typeof queueCreateSchema>;

const blank: Values = {
  id: "",
  name: "",
  maxConcurrent: 1,
  maxWaiting: null,
  timeoutSeconds: 300,
  holdMusic: "local_stream://moh",
  announceEverySeconds: 60,
  serviceLevelSeconds: 20,
  timeZone: "UTC",
};

// Offered as suggestions; any zone Intl knows is accepted.
const timeZones: readonly string[] =
  typeof Intl.supportedValuesOf === "function"
    ? ["UTC", ...Intl.supportedValuesOf("timeZone")]
    : [];

/** Creates a queue, or edits one (`queue` given). The id is fixed once created. */
export function QueueDialog({
  open,
  onOpenChange,
  queue,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  queue?: Queue | undefined;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const form = useForm<Values>({ resolver: zodResolver(queueCreateSchema), defaultValues: blank });
  useEffect(() => {
    if (!open) return;
    setFailure(null);
    form.reset(queue ? { ...queue } : blank);
  }, [open, queue, form]);

  const create = useMutation(trpc.queues.create.mutationOptions());
  const update = useMutation(trpc.queues.update.mutationOptions());

  const submit = form.handleSubmit(async (values) => {
    setFailure(null);
    try {
      const parsed = queueCreateSchema.parse(values);
      if (queue) {
        const { id: _id, ...fields } = parsed;
        await update.mutateAsync({ ...fields, id: queue.id, expectedRevision: queue.revision });
        toast.success(`Queue ${parsed.name} saved`);
      } else {
        await create.mutateAsync(parsed);
        toast.success(`Queue ${parsed.name} created`);
      }
      await queryClient.invalidateQueries({ queryKey: trpc.queues.list.queryKey() });
      onOpenChange(false);
    } catch (error) {
      setFailure(applyFailure(form, error));
    }
  });

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <DialogHeader>
          <DialogTitle>{queue ? `Edit ${queue.name}` : "New queue"}</DialogTitle>
          <DialogDescription>
            Callers wait in a queue's line, first come first served, while at most its limit are
            with agents.
          </DialogDescription>
        </DialogHeader>
        <form onSubmit={submit} className="grid gap-4" noValidate aria-label="Queue">
          <FormMessage>{failure}</FormMessage>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField
              control={form.control}
              name="name"
              label="Name"
              render={(field) => <Input placeholder="Sales" autoFocus {...field} />}
            />
            <FormField
              control={form.control}
              name="id"
              label="Queue id"
              hint={
                queue ? "Fixed: flows name the queue by it." : "What flows name it by, e.g. sales."
              }
              render={(field) => <Input placeholder="sales" disabled={Boolean(queue)} {...field} />}
            />
            <FormField
              control={form.control}
              name="maxConcurrent"
              label="Max concurrent"
              hint="Callers with an agent at once."
              render={({ value, onChange, ...field }) => (
                <Input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={fromNullableNumber(value)}
                  onChange={(e) => onChange(toNullableNumber(e.target.value) ?? Number.NaN)}
                  {...field}
                />
              )}
            />
            <FormField
              control={form.control}
              name="maxWaiting"
              label="Max waiting"
              hint="Empty: no limit."
              render={({ value, onChange, ...field }) => (
                <Input
                  type="number"
                  inputMode="numeric"
                  min={0}
                  placeholder="No limit"
                  value={fromNullableNumber(value)}
                  onChange={(e) => onChange(toNullableNumber(e.target.value))}
                  {...field}
                />
              )}
            />
            <FormField
              control={form.control}
              name="timeoutSeconds"
              label="Longest wait (seconds)"
              hint="Empty: wait without limit."
              render={({ value, onChange, ...field }) => (
                <Input
                  type="number"
                  inputMode="numeric"
                  placeholder="No limit"
                  value={fromNullableNumber(value)}
                  onChange={(e) => onChange(toNullableNumber(e.target.value))}
                  {...field}
                />
              )}
            />
            <FormField
              control={form.control}
              name="announceEverySeconds"
              label="Announce every (seconds)"
              hint="Position and wait; empty: never."
              render={({ value, onChange, ...field }) => (
                <Input
                  type="number"
                  inputMode="numeric"
                  placeholder="Never"
                  value={fromNullableNumber(value)}
                  onChange={(e) => onChange(toNullableNumber(e.target.value))}
                  {...field}
                />
              )}
            />
            <FormField
              control={form.control}
              name="serviceLevelSeconds"
              label="Service level (seconds)"
              hint="Answered within this counts as on target."
              render={({ value, onChange, ...field }) => (
                <Input
                  type="number"
                  inputMode="numeric"
                  min={1}
                  value={fromNullableNumber(value ?? null)}
                  onChange={(e) => onChange(toNullableNumber(e.target.value) ?? Number.NaN)}
                  {...field}
                />
              )}
            />
            <FormField
              control={form.control}
              name="timeZone"
              label="Time zone"
              hint="Its midnight starts the wall-board's day."
              render={({ value, ...field }) => (
                <>
                  <Input list="queue-time-zones" value={value ?? ""} {...field} />
                  <datalist id="queue-time-zones">
                    {timeZones.map((zone) => (
                      <option key={zone} value={zone} />
                    ))}
                  </datalist>
                </>
              )}
            />
          </div>
          <FormField
            control={form.control}
            name="holdMusic"
            label="Hold music"
            hint="A sound file or stream, e.g. local_stream://moh. Empty: silence."
            render={({ value, onChange, ...field }) => (
              <Input
                value={value ?? ""}
                onChange={(e) => onChange(e.target.value.trim() === "" ? null : e.target.value)}
                {...field}
              />
            )}
          />
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={form.formState.isSubmitting}>
              {form.formState.isSubmitting ? <LoaderCircleIcon className="animate-spin" /> : null}
              {queue ? "Save" : "Create queue"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

"use client";

import { LoaderCircleIcon, Trash2Icon } from "lucide-react";
import { type ReactNode, useState } from "react";
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { apiFailure, describeFailure } from "@/lib/api-errors";

/**
 * A delete button that asks first. If the server refuses (the thing is in
 * use), the dialog stays open and says why and what uses it.
 */
export function ConfirmDelete({
  what,
  children,
  onConfirm,
  trigger,
  open: controlledOpen,
  onOpenChange,
}: {
  /** e.g. `queue "Sales"` */
  what: string;
  children?: ReactNode;
  onConfirm: () => Promise<unknown>;
  /** A button that opens the dialog; leave out when `open` is controlled. */
  trigger?: ReactNode;
  open?: boolean;
  onOpenChange?: (open: boolean) => void;
}) {
  const [ownOpen, setOwnOpen] = useState(false);
  const open = controlledOpen ?? ownOpen;
  const setOpen = (next: boolean) => {
    setOwnOpen(next);
    onOpenChange?.(next);
  };
  const [pending, setPending] = useState(false);
  const [refusal, setRefusal] = useState<{ message: string; usedBy: string[] } | null>(null);
  const confirm = async () => {
    setPending(true);
    setRefusal(null);
    try {
      await onConfirm();
      setOpen(false);
    } catch (error) {
      const failure = apiFailure(error);
      setRefusal({
        message: failure.domainCode === "IN_USE" ? failure.message : describeFailure(failure),
        usedBy:
          failure.usedBy?.map((u) => `${u.kind === "number" ? "Number" : "Flow"} ${u.name}`) ?? [],
      });
    } finally {
      setPending(false);
    }
  };
  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) setRefusal(null);
      }}
    >
      {controlledOpen === undefined ? (
        <AlertDialogTrigger asChild>
          {trigger ?? (
            <Button variant="ghost" size="icon-sm" aria-label={`Delete ${what}`}>
              <Trash2Icon />
            </Button>
          )}
        </AlertDialogTrigger>
      ) : null}
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Delete {what}?</AlertDialogTitle>
          <AlertDialogDescription>{children ?? "This cannot be undone."}</AlertDialogDescription>
        </AlertDialogHeader>
        {refusal ? (
          <div
            role="alert"
            className="rounded-md border border-destructive/30 bg-destructive/10 px-3 py-2 text-sm text-destructive"
          >
            <p>{refusal.message}</p>
            {refusal.usedBy.length > 0 ? (
              <ul className="mt-1 list-inside list-disc">
                {refusal.usedBy.map((line) => (
                  <li key={line}>{line}</li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
        <AlertDialogFooter>
          <AlertDialogCancel>Cancel</AlertDialogCancel>
          <Button variant="destructive" onClick={() => void confirm()} disabled={pending}>
            {pending ? <LoaderCircleIcon className="animate-spin" /> : <Trash2Icon />}
            Delete
          </Button>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

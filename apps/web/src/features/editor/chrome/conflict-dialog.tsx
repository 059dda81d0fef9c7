"use client";

import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";

/**
 * Someone else saved the draft since this editor loaded it. Nothing is
 * saved until the user chooses: take their version (this editor's changes
 * are dropped) or keep this one (theirs is replaced). Either way they
 * choose knowingly; no side is lost silently.
 */
export function ConflictDialog(props: {
  open: boolean;
  busy: boolean;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  return (
    <AlertDialog open={props.open}>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Someone else changed this flow</AlertDialogTitle>
          <AlertDialogDescription>
            The draft was saved from another window since you opened it. Load their version (your
            changes since your last save are dropped), or keep yours and replace theirs.
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={props.busy} onClick={props.onReload}>
            Load their version
          </AlertDialogCancel>
          <AlertDialogAction disabled={props.busy} onClick={props.onOverwrite}>
            Keep mine
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}

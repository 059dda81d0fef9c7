"use client";

import type { FlowProblem } from "@ringflow/core/flow";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Label } from "@/components/ui/label";
import { Textarea } from "@/components/ui/textarea";

/** Longest publish comment: what the API accepts. */
export const MAX_COMMENT_LENGTH = 500;

/**
 * Publishing: a comment is required (what changed and why, for whoever
 * reads the version list); the server's refusal, with every problem, is
 * shown here if it finds errors the canvas did not.
 */
export function PublishDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** Numbers the flow answers, and how many changes since the live version. */
  summary: string;
  warningCount: number;
  publishing: boolean;
  refused: { message: string; problems: readonly FlowProblem[] } | null;
  onPublish: (comment: string) => void;
}) {
  const [comment, setComment] = useState("");
  useEffect(() => {
    if (props.open) setComment("");
  }, [props.open]);
  const trimmed = comment.trim();
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="sm:max-w-lg">
        <DialogHeader>
          <DialogTitle>Publish this flow</DialogTitle>
          <DialogDescription>
            {props.summary} Calls already in progress keep the version they started on.
          </DialogDescription>
        </DialogHeader>
        <form
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (trimmed !== "") props.onPublish(trimmed);
          }}
        >
          <div className="space-y-1.5">
            <Label htmlFor="publish-comment">What changed, and why?</Label>
            <Textarea
              id="publish-comment"
              autoFocus
              required
              maxLength={MAX_COMMENT_LENGTH}
              rows={3}
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder="e.g. Send callers to voicemail after 3 minutes instead of 5"
            />
          </div>
          {props.warningCount > 0 && (
            <p className="text-xs text-amber-700 dark:text-amber-300">
              {props.warningCount} warning{props.warningCount === 1 ? "" : "s"} (see Problems).
              Warnings do not stop publishing.
            </p>
          )}
          {props.refused && (
            <div
              role="alert"
              className="rounded-md border border-destructive/40 bg-destructive/5 p-2 text-sm text-destructive"
            >
              <p className="font-medium">{props.refused.message}</p>
              <ul className="mt-1 list-disc pl-5 text-xs">
                {props.refused.problems
                  .filter((p) => p.severity === "error")
                  .map((p) => (
                    <li key={`${p.code}:${p.nodeId ?? ""}:${p.message}`}>{p.message}</li>
                  ))}
              </ul>
            </div>
          )}
          <DialogFooter>
            <Button type="button" variant="outline" onClick={() => props.onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={trimmed === "" || props.publishing}>
              {props.publishing ? "Publishing…" : "Publish"}
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

"use client";

import { Panel } from "@xyflow/react";
import { Ban } from "lucide-react";
import { useEditor } from "../state/editor-context";

/** While a connection is refused, core's reason, at the top of the canvas. */
export function ConnectionHint() {
  const refusal = useEditor((s) => s.refusal);
  if (!refusal) return null;
  return (
    <Panel position="top-center">
      <div
        role="status"
        data-testid="connection-refusal"
        className="flex items-center gap-2 rounded-md border border-destructive/40 bg-background px-3 py-1.5 text-sm text-destructive shadow-sm"
      >
        <Ban className="size-4" aria-hidden />
        {refusal}
      </div>
    </Panel>
  );
}

"use client";

import { AlertCircle, Check, CloudOff, Loader2, PencilLine, Swords } from "lucide-react";
import type { SaveStatus } from "../model/save-status";
import { useEditor } from "../state/editor-context";

const shown: Record<SaveStatus, { label: string; icon: typeof Check; tone: string }> = {
  saved: { label: "Saved", icon: Check, tone: "text-muted-foreground" },
  dirty: { label: "Unsaved changes", icon: PencilLine, tone: "text-muted-foreground" },
  saving: { label: "Saving…", icon: Loader2, tone: "text-muted-foreground" },
  offline: {
    label: "Offline — will save when back",
    icon: CloudOff,
    tone: "text-amber-600 dark:text-amber-400",
  },
  conflict: { label: "Someone else saved this flow", icon: Swords, tone: "text-destructive" },
  error: { label: "Not saved", icon: AlertCircle, tone: "text-destructive" },
};

/** The draft's save state, as a word and an icon (live region: screen readers hear it change). */
export function SaveIndicator() {
  const save = useEditor((s) => s.save);
  const { label, icon: Icon, tone } = shown[save.status];
  return (
    <output
      aria-live="polite"
      data-testid="save-status"
      data-status={save.status}
      title={save.message ?? undefined}
      className={`flex items-center gap-1.5 text-xs whitespace-nowrap ${tone}`}
    >
      <Icon className={`size-3.5 ${save.status === "saving" ? "animate-spin" : ""}`} aria-hidden />
      {label}
      {save.status === "error" && save.message ? `: ${save.message}` : ""}
    </output>
  );
}

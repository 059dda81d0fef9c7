"use client";

import {
  Activity,
  ChevronLeft,
  CircleAlert,
  Download,
  Keyboard,
  LayoutDashboard,
  Redo2,
  StickyNote,
  Undo2,
  Upload,
} from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";
import { useEditor } from "../state/editor-context";
import { SaveIndicator } from "./save-indicator";

function ToolButton(props: {
  label: string;
  shortcut?: string;
  onClick: () => void;
  disabled?: boolean;
  pressed?: boolean;
  children: ReactNode;
}) {
  return (
    <Button
      type="button"
      variant={props.pressed ? "secondary" : "ghost"}
      size="icon"
      className="size-8"
      aria-label={props.label}
      aria-pressed={props.pressed}
      title={props.shortcut ? `${props.label} (${props.shortcut})` : props.label}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.children}
    </Button>
  );
}

/**
 * The editor's top bar: back to the flows, the flow's name and save state;
 * undo, redo, tidy up, note, today's calls; import, export, shortcuts; and
 * Publish, disabled with the number of errors while there are any.
 */
export function EditorToolbar(props: {
  flowName: string;
  backHref: string;
  /** Shown instead of the save state while a version or a call is on the canvas. */
  viewing: string | null;
  canPublish: boolean;
  hasLive: boolean;
  showingCounts: boolean;
  onUndo: () => void;
  onRedo: () => void;
  onLayout: () => void;
  onNote: () => void;
  onToggleCounts: () => void;
  onImport: () => void;
  onExport: () => void;
  onShortcuts: () => void;
  onProblems: () => void;
  onPublish: () => void;
  onBackToDraft: () => void;
}) {
  const editing = useEditor((s) => s.mode === "edit");
  const canUndo = useEditor((s) => s.history.past.length > 0);
  const canRedo = useEditor((s) => s.history.future.length > 0);
  const errors = useEditor((s) => s.problems.errorCount);
  const warnings = useEditor((s) => s.problems.warningCount);
  return (
    <header className="flex h-12 shrink-0 items-center gap-2 border-b bg-background px-2">
      <Button asChild variant="ghost" size="icon" className="size-8" aria-label="Back to the flows">
        <Link href={props.backHref}>
          <ChevronLeft className="size-4" />
        </Link>
      </Button>
      <div className="flex min-w-0 items-baseline gap-3">
        <h1 className="truncate text-sm font-semibold" data-testid="flow-name">
          {props.flowName}
        </h1>
        {props.viewing ? (
          <span className="flex items-center gap-2 text-xs text-muted-foreground">
            <span className="rounded bg-sky-500/15 px-1.5 py-0.5 font-medium text-sky-700 dark:text-sky-300">
              {props.viewing}
            </span>
            <Button
              variant="link"
              size="sm"
              className="h-auto p-0 text-xs"
              onClick={props.onBackToDraft}
            >
              Back to the draft
            </Button>
          </span>
        ) : (
          <SaveIndicator />
        )}
      </div>
      <div className="mx-auto flex items-center gap-0.5">
        {editing && (
          <>
            <ToolButton label="Undo" shortcut="Ctrl+Z" onClick={props.onUndo} disabled={!canUndo}>
              <Undo2 className="size-4" />
            </ToolButton>
            <ToolButton
              label="Redo"
              shortcut="Ctrl+Shift+Z"
              onClick={props.onRedo}
              disabled={!canRedo}
            >
              <Redo2 className="size-4" />
            </ToolButton>
            <span className="mx-1 h-5 w-px bg-border" />
            <ToolButton
              label="Tidy up (auto-layout)"
              shortcut="Ctrl+Shift+L"
              onClick={props.onLayout}
            >
              <LayoutDashboard className="size-4" />
            </ToolButton>
            <ToolButton label="Add a sticky note" shortcut="N" onClick={props.onNote}>
              <StickyNote className="size-4" />
            </ToolButton>
          </>
        )}
        {props.hasLive && (
          <ToolButton
            label="Today's calls per output (live version)"
            onClick={props.onToggleCounts}
            pressed={props.showingCounts}
          >
            <Activity className="size-4" />
          </ToolButton>
        )}
      </div>
      <div className="flex items-center gap-1">
        <Button
          variant="ghost"
          size="sm"
          className={cn(
            "h-8 gap-1.5 text-xs",
            errors > 0
              ? "text-destructive"
              : warnings > 0
                ? "text-amber-600"
                : "text-muted-foreground",
          )}
          onClick={props.onProblems}
          data-testid="problems-button"
        >
          <CircleAlert className="size-4" />
          {errors} {errors === 1 ? "error" : "errors"}, {warnings}{" "}
          {warnings === 1 ? "warning" : "warnings"}
        </Button>
        {editing && (
          <ToolButton label="Import a flow file" onClick={props.onImport}>
            <Upload className="size-4" />
          </ToolButton>
        )}
        <ToolButton
          label={props.viewing ? "Export this version" : "Export the draft"}
          onClick={props.onExport}
        >
          <Download className="size-4" />
        </ToolButton>
        <ToolButton label="Keyboard shortcuts" shortcut="?" onClick={props.onShortcuts}>
          <Keyboard className="size-4" />
        </ToolButton>
        {props.canPublish && editing && (
          <Button
            size="sm"
            className="ml-1 h-8"
            disabled={errors > 0}
            onClick={props.onPublish}
            title={
              errors > 0
                ? "Fix the errors first (see Problems)"
                : "Publish the draft as the live version"
            }
            data-testid="publish-button"
          >
            {errors > 0 ? `Publish (${errors} ${errors === 1 ? "error" : "errors"})` : "Publish"}
          </Button>
        )}
      </div>
    </header>
  );
}

"use client";

import type { FlowProblem } from "@ringflow/core/flow";
import { AlertTriangle, CircleAlert, FileUp } from "lucide-react";
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
import { checkImportFile, type ImportCheck } from "../model/flow-file";

function ProblemList({ problems }: { problems: readonly FlowProblem[] }) {
  if (problems.length === 0) return null;
  return (
    <ul
      className="max-h-64 space-y-1 overflow-y-auto rounded-md border p-2 text-xs"
      data-testid="import-problems"
    >
      {problems.map((p) => (
        <li key={`${p.code}:${p.path?.join(".") ?? ""}:${p.message}`} className="flex gap-1.5">
          {p.severity === "error" ? (
            <CircleAlert className="size-3.5 shrink-0 text-destructive" aria-label="Error" />
          ) : (
            <AlertTriangle className="size-3.5 shrink-0 text-amber-500" aria-label="Warning" />
          )}
          <span>
            {p.message}
            {p.path && p.path.length > 0 && (
              <span className="ml-1 font-mono text-muted-foreground">({p.path.join(".")})</span>
            )}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * Import a flow file into the draft: the file is checked as the server will
 * check it, every problem is listed, and a file with errors cannot be
 * imported (the server refuses it too, writing nothing). A good file
 * replaces the draft; undo brings the old draft back.
 */
export function ImportDialog(props: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  importing: boolean;
  /** The server's refusal, if it refused. */
  refused: { message: string; problems: readonly FlowProblem[] } | null;
  onImport: (json: unknown) => void;
}) {
  const [file, setFile] = useState<{ name: string; check: ImportCheck } | null>(null);
  useEffect(() => {
    if (props.open) setFile(null);
  }, [props.open]);
  const check = file?.check;
  return (
    <Dialog open={props.open} onOpenChange={props.onOpenChange}>
      <DialogContent className="sm:max-w-xl">
        <DialogHeader>
          <DialogTitle>Import a flow</DialogTitle>
          <DialogDescription>
            A JSON file exported from Ringflow (or written by hand in the same format) replaces this
            draft. The live version is not touched until you publish.
          </DialogDescription>
        </DialogHeader>
        <label className="flex cursor-pointer flex-col items-center gap-2 rounded-md border border-dashed p-6 text-sm text-muted-foreground hover:bg-accent">
          <FileUp className="size-6" aria-hidden />
          {file ? (
            <span className="font-medium text-foreground">{file.name}</span>
          ) : (
            "Choose a .json file"
          )}
          <input
            type="file"
            accept="application/json,.json"
            className="sr-only"
            data-testid="import-file"
            onChange={async (event) => {
              const chosen = event.target.files?.[0];
              if (!chosen) return;
              setFile({ name: chosen.name, check: checkImportFile(await chosen.text()) });
            }}
          />
        </label>
        {check && !check.ok && (
          <p role="alert" className="text-sm font-medium text-destructive">
            {check.reason} Nothing was imported.
          </p>
        )}
        {check?.ok && (
          <p className="text-sm">
            Ready to import{check.problems.length > 0 ? ` (${check.problems.length} warnings)` : ""}
            .
          </p>
        )}
        {check && <ProblemList problems={check.problems} />}
        {props.refused && (
          <div role="alert" className="space-y-1 text-sm text-destructive">
            <p className="font-medium">{props.refused.message}</p>
            <ProblemList problems={props.refused.problems} />
          </div>
        )}
        <DialogFooter>
          <Button variant="outline" onClick={() => props.onOpenChange(false)}>
            Cancel
          </Button>
          <Button
            disabled={!check?.ok || props.importing}
            onClick={() => check?.ok && props.onImport(check.json)}
          >
            {props.importing ? "Importing…" : "Replace the draft"}
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

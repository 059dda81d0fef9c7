"use client";

import { Eye, GitCompare, History, RotateCcw } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/utils";

/** A published version as the list shows it. */
export interface VersionRow {
  readonly id: string;
  readonly version: number;
  readonly publishedBy: string;
  readonly publishedAt: Date;
  readonly comment: string | null;
}

/**
 * The flow's versions, newest first: number, who, when, comment, and which
 * is live. Open one read-only on the canvas, roll back to it (published
 * again as a new version), or compare the draft with the live version.
 */
export function VersionsPanel(props: {
  versions: readonly VersionRow[];
  liveVersion: number | null;
  /** The version shown on the canvas, if not the draft. */
  viewing: number | null;
  canPublish: boolean;
  onOpen: (version: number | null) => void;
  onRollback: (version: number) => void;
  onCompare: () => void;
}) {
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  return (
    <section className="flex h-full min-h-0 flex-col" aria-label="Versions">
      <div className="flex items-center justify-between gap-2 border-b p-3">
        <h2 className="flex items-center gap-2 text-sm font-semibold">
          <History className="size-4" /> Versions
        </h2>
        <Button
          size="sm"
          variant="outline"
          className="h-7 text-xs"
          disabled={props.liveVersion === null}
          onClick={props.onCompare}
        >
          <GitCompare className="size-3.5" /> Draft vs live
        </Button>
      </div>
      <ol className="min-h-0 flex-1 divide-y overflow-y-auto" data-testid="versions-list">
        <li
          className={cn(
            "flex items-center justify-between gap-2 px-3 py-2.5 text-sm",
            props.viewing === null && "bg-accent/60",
          )}
        >
          <div>
            <div className="font-medium">Draft</div>
            <div className="text-xs text-muted-foreground">What you are editing</div>
          </div>
          {props.viewing !== null && (
            <Button
              size="sm"
              variant="ghost"
              className="h-7 text-xs"
              onClick={() => props.onOpen(null)}
            >
              Back to the draft
            </Button>
          )}
        </li>
        {props.versions.map((v) => (
          <li
            key={v.id}
            data-testid={`version-${v.version}`}
            className={cn(
              "space-y-1.5 px-3 py-2.5 text-sm",
              props.viewing === v.version && "bg-accent/60",
            )}
          >
            <div className="flex items-center gap-2">
              <span className="font-semibold">v{v.version}</span>
              {v.version === props.liveVersion && (
                <Badge className="h-5 bg-emerald-600 px-1.5 text-[10px]">Live</Badge>
              )}
              <span className="ml-auto text-xs text-muted-foreground">
                {format.format(v.publishedAt)}
              </span>
            </div>
            {v.comment && <p className="text-sm leading-snug">{v.comment}</p>}
            <div className="flex items-center gap-1">
              <span className="mr-auto truncate text-xs text-muted-foreground">
                {v.publishedBy}
              </span>
              <Button
                size="sm"
                variant="ghost"
                className="h-7 px-2 text-xs"
                onClick={() => props.onOpen(v.version)}
                aria-label={`Open version ${v.version}`}
              >
                <Eye className="size-3.5" /> Open
              </Button>
              {props.canPublish && v.version !== props.liveVersion && (
                <Button
                  size="sm"
                  variant="ghost"
                  className="h-7 px-2 text-xs"
                  onClick={() => props.onRollback(v.version)}
                  aria-label={`Roll back to version ${v.version}`}
                >
                  <RotateCcw className="size-3.5" /> Roll back
                </Button>
              )}
            </div>
          </li>
        ))}
        {props.versions.length === 0 && (
          <li className="px-3 py-6 text-center text-sm text-muted-foreground">
            Not published yet.
          </li>
        )}
      </ol>
    </section>
  );
}

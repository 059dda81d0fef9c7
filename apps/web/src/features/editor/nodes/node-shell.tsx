"use client";

import { draftNodeOutputs, type FlowNodeType, getNodeType } from "@ringflow/core/flow";
import { Handle, Position, useUpdateNodeInternals } from "@xyflow/react";
import { AlertTriangle, CircleAlert } from "lucide-react";
import { memo, type ReactNode, useEffect, useMemo, useRef } from "react";
import { cn } from "@/lib/utils";
import { useEditor } from "../state/editor-context";
import { formatDuration } from "./format";
import { NodeTypeIcon } from "./node-type-icon";

/** What every flow node's component passes to its shell. */
export interface NodeShellProps {
  readonly id: string;
  readonly type: FlowNodeType;
  readonly data: Record<string, unknown>;
  readonly selected: boolean;
  /** The node's key settings at a glance: a line or two. */
  readonly summary: ReactNode;
}

const diffRing = {
  added: "ring-2 ring-emerald-500 ring-offset-2 ring-offset-background",
  changed: "ring-2 ring-amber-500 ring-offset-2 ring-offset-background",
  removed: "opacity-45 border-dashed grayscale",
} as const;

/**
 * The frame every flow node is drawn in: icon, type and label, the
 * summary its component gives, one labelled handle per output (core's
 * draft outputs, so a node still being filled in can be wired), and the
 * marks of validation, diff and executions. It reads its own problems and
 * decorations from the store, so a change to one node re-renders that node.
 */
export const NodeShell = memo(function NodeShell(props: NodeShellProps) {
  const { id, type, data, selected, summary } = props;
  const definition = getNodeType(type);
  const problems = useEditor((s) => s.problems.byNode.get(id));
  const decoration = useEditor((s) => s.decorations.nodes.get(id));
  const editable = useEditor((s) => s.mode === "edit");
  const outputs = useMemo(() => draftNodeOutputs(type, data) ?? [], [type, data]);
  const outputKey = outputs.map((o) => o.id).join("\u0000");
  const updateNodeInternals = useUpdateNodeInternals();
  const measuredKey = useRef(outputKey);
  // Handles come and go with the config (a menu key added): React Flow must
  // re-measure them then. Not on mount: React Flow measures a new node itself,
  // and asking 300 nodes at once to be measured again costs seconds.
  useEffect(() => {
    if (measuredKey.current === outputKey) return;
    measuredKey.current = outputKey;
    updateNodeInternals(id);
  }, [id, outputKey, updateNodeInternals]);

  if (!definition) return null;
  const label = typeof data.label === "string" && data.label.trim() !== "" ? data.label : null;
  const severity = problems?.severity;
  const visits = decoration?.visits ?? [];
  const counts = decoration?.outputCounts;
  return (
    <div
      data-testid={`node-${id}`}
      data-node-type={type}
      data-category={definition.category}
      data-problem={severity ?? "none"}
      data-diff={decoration?.diff ?? "none"}
      data-visited={visits.length > 0 ? "true" : undefined}
      data-current={decoration?.current ? "true" : undefined}
      className={cn(
        "flow-node w-64 rounded-lg border bg-card text-card-foreground shadow-sm",
        severity === "error" && "border-destructive",
        severity === "warning" && "border-amber-500",
        selected && "shadow-md ring-2 ring-primary/60",
        decoration?.diff && diffRing[decoration.diff],
        visits.length > 0 && "border-sky-500 ring-2 ring-sky-500/40",
        decoration?.current && "flow-node-current ring-4 ring-emerald-500/60 border-emerald-500",
        decoration?.dimmed && "opacity-40",
      )}
    >
      {definition.acceptsInput && (
        <Handle
          type="target"
          position={Position.Left}
          isConnectable={editable}
          className="!top-6 !h-3 !w-3 !border-2 !border-background !bg-muted-foreground"
        />
      )}
      <div className="flex items-center gap-2 px-3 pt-2.5 pb-2">
        <NodeTypeIcon type={definition.type} />
        <div className="flow-node-detail min-w-0 flex-1">
          <div className="truncate text-[11px] font-medium uppercase tracking-wide text-muted-foreground">
            {definition.label}
          </div>
          <div className="truncate text-sm font-semibold leading-tight">
            {label ?? definition.label}
          </div>
        </div>
        {severity && (
          <span
            title={problems?.problems.map((p) => p.message).join("\n")}
            data-testid={`node-${id}-problem`}
            className={cn("shrink-0", severity === "error" ? "text-destructive" : "text-amber-500")}
          >
            {severity === "error" ? (
              <CircleAlert className="size-4" />
            ) : (
              <AlertTriangle className="size-4" />
            )}
            <span className="sr-only">
              {problems?.problems.length} {severity === "error" ? "errors" : "warnings"}
            </span>
          </span>
        )}
      </div>
      <div className="space-y-0.5 border-t px-3 py-2 text-xs text-muted-foreground">
        <div className="flow-node-detail">{summary}</div>
      </div>
      {visits.length > 0 && (
        <div className="flow-node-detail space-y-0.5 border-t bg-sky-500/5 px-3 py-1.5 text-[11px] text-sky-800 dark:text-sky-200">
          {visits.map((v) => (
            <div key={`${v.visit}-${v.enteredAt}`} className="flex justify-between gap-2">
              <span>
                {visits.length > 1 ? `#${v.visit} ` : ""}
                {new Date(v.enteredAt).toLocaleTimeString()}
              </span>
              <span className="font-medium">{formatDuration(v.durationMs)}</span>
            </div>
          ))}
        </div>
      )}
      {decoration?.diff === "changed" && decoration.changedFields && (
        <div className="flow-node-detail border-t px-3 py-1 text-[11px] text-amber-700 dark:text-amber-300">
          Changed: {decoration.changedFields.map((f) => f.replace(/^data\./, "")).join(", ")}
        </div>
      )}
      {outputs.length > 0 && (
        <div className="border-t py-1">
          {outputs.map((output) => (
            <div
              key={output.id}
              title={output.description}
              className="relative flex h-6 items-center justify-end gap-1.5 pr-3 pl-3 text-xs"
            >
              {counts && (
                <span
                  data-testid={`count-${id}-${output.id}`}
                  className="rounded-full bg-muted px-1.5 text-[10px] font-medium tabular-nums text-muted-foreground"
                >
                  {counts[output.id] ?? 0}
                </span>
              )}
              <span className="flow-node-detail truncate">{output.label}</span>
              <Handle
                id={output.id}
                type="source"
                position={Position.Right}
                isConnectable={editable}
                data-testid={`handle-${id}-${output.id}`}
                className="!h-3 !w-3 !border-2 !border-background !bg-primary"
              />
            </div>
          ))}
        </div>
      )}
    </div>
  );
});

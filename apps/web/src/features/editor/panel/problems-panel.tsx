"use client";

import { describeNode, flowProblemCodes } from "@ringflow/core/flow";
import { useReactFlow } from "@xyflow/react";
import { AlertTriangle, CheckCircle2, CircleAlert } from "lucide-react";
import { cn } from "@/lib/utils";
import { useEditor, useEditorStore } from "../state/editor-context";

/**
 * Every problem core's validator finds in the draft, errors first; clicking
 * one selects its node (or its edge's source) and centres it.
 */
export function ProblemsPanel() {
  const store = useEditorStore();
  const problems = useEditor((s) => s.problems);
  const { setCenter, getInternalNode } = useReactFlow();
  const sorted = [...problems.all].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === "error" ? -1 : 1,
  );
  const focus = (nodeId: string | undefined, edgeId: string | undefined) => {
    const id = nodeId ?? store.getState().edges.find((e) => e.id === edgeId)?.source;
    if (!id) return;
    store.getState().select([id]);
    const node = getInternalNode(id);
    if (!node) return;
    const { x, y } = node.internals.positionAbsolute;
    const width = node.measured.width ?? 256;
    const height = node.measured.height ?? 120;
    void setCenter(x + width / 2, y + height / 2, { zoom: 1, duration: 300 });
  };
  if (sorted.length === 0) {
    return (
      <div
        className="flex items-center gap-2 p-3 text-sm text-muted-foreground"
        data-testid="problems-empty"
      >
        <CheckCircle2 className="size-4 text-emerald-600" /> No problems: this flow can be
        published.
      </div>
    );
  }
  return (
    <ul className="divide-y text-sm" aria-label="Problems" data-testid="problems-list">
      {sorted.map((problem) => {
        const node = problem.nodeId
          ? store.getState().history.present.nodes.find((n) => n.id === problem.nodeId)
          : undefined;
        return (
          <li
            key={`${problem.code}:${problem.nodeId ?? ""}:${problem.edgeId ?? ""}:${problem.message}`}
          >
            <button
              type="button"
              onClick={() => focus(problem.nodeId, problem.edgeId)}
              disabled={!problem.nodeId && !problem.edgeId}
              className="flex w-full items-start gap-2 px-3 py-2 text-left hover:bg-accent disabled:hover:bg-transparent"
            >
              {problem.severity === "error" ? (
                <CircleAlert
                  className="mt-0.5 size-4 shrink-0 text-destructive"
                  aria-label="Error"
                />
              ) : (
                <AlertTriangle
                  className="mt-0.5 size-4 shrink-0 text-amber-500"
                  aria-label="Warning"
                />
              )}
              <span className="min-w-0 flex-1">
                <span className={cn("block", problem.severity === "error" && "text-destructive")}>
                  {problem.message}
                </span>
                <span className="block text-xs text-muted-foreground">
                  {flowProblemCodes[problem.code].summary}
                  {node && ` · ${describeNode(node)}`}
                </span>
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

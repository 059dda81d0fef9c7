"use client";

import { BaseEdge, type EdgeProps, getBezierPath } from "@xyflow/react";
import { memo } from "react";
import { useEditor } from "../state/editor-context";

/**
 * The canvas's one edge kind: a curve from an output to the next node,
 * coloured by its problems (red, amber), by the diff (added green, removed
 * dashed grey) and by a call's path (blue, thicker), which it reads from the
 * store by its own id.
 */
export const FlowEdge = memo(function FlowEdge(props: EdgeProps) {
  const {
    id,
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    selected,
    markerEnd,
  } = props;
  const severity = useEditor((s) => s.problems.byEdge.get(id)?.severity);
  const decoration = useEditor((s) => s.decorations.edges.get(id));
  const [path] = getBezierPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
  });
  const stroke =
    severity === "error"
      ? "var(--color-destructive)"
      : decoration?.taken
        ? "rgb(14 165 233)"
        : decoration?.diff === "added"
          ? "rgb(16 185 129)"
          : decoration?.diff === "changed"
            ? "rgb(245 158 11)"
            : severity === "warning"
              ? "rgb(245 158 11)"
              : selected
                ? "var(--color-primary)"
                : "var(--color-muted-foreground)";
  return (
    <BaseEdge
      id={id}
      path={path}
      markerEnd={markerEnd}
      interactionWidth={16}
      style={{
        stroke,
        strokeWidth: decoration?.taken || selected ? 2.5 : 1.5,
        strokeDasharray: decoration?.diff === "removed" ? "6 4" : undefined,
        opacity: decoration?.dimmed || decoration?.diff === "removed" ? 0.35 : 1,
      }}
    />
  );
});

/** React Flow's edge components, defined once at module scope. */
export const edgeTypes = { flow: FlowEdge };

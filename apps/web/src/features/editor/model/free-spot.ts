import type { FlowPosition } from "@ringflow/core/flow";
import { DEFAULT_NODE_SIZE, type NodeSize } from "./auto-layout";

/** A box on the canvas: a node's top-left corner and size. */
export interface Box extends FlowPosition, NodeSize {}

const GAP = 24;

function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width + GAP &&
    b.x < a.x + a.width + GAP &&
    a.y < b.y + b.height + GAP &&
    b.y < a.y + a.height + GAP
  );
}

/**
 * Where a new node of `size` goes near `at` without covering another:
 * `at` itself when it is free, else the nearest free spot stepping down,
 * then right, in `grid` steps.
 */
export function freeSpot(
  at: FlowPosition,
  taken: readonly Box[],
  options: { readonly size?: NodeSize; readonly grid?: number } = {},
): FlowPosition {
  const size = options.size ?? DEFAULT_NODE_SIZE;
  const grid = options.grid ?? 16;
  const snap = (v: number) => Math.round(v / grid) * grid;
  const start = { x: snap(at.x), y: snap(at.y) };
  for (let column = 0; column < 20; column++) {
    for (let row = 0; row < 20; row++) {
      const candidate = {
        x: start.x + column * (size.width + GAP),
        y: start.y + row * grid * 4,
        ...size,
      };
      if (!taken.some((box) => overlaps(candidate, box))) return { x: candidate.x, y: candidate.y };
    }
  }
  return start;
}

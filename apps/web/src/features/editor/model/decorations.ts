import type { NodeVisit } from "@ringflow/core/flow";

/** How a node differs from the version it is compared with. */
export type DiffMark = "added" | "removed" | "changed";

/** What the canvas draws on a node beyond the node itself. */
export interface NodeDecoration {
  readonly diff?: DiffMark;
  /** The changed fields (`data.queueId`...), for `changed`. */
  readonly changedFields?: readonly string[];
  /** The call's visits of the node, in the executions view. */
  readonly visits?: readonly NodeVisit[];
  /** How many calls left by each output today (live version). */
  readonly outputCounts?: Readonly<Record<string, number>>;
  /** Drawn faded: not on the call's path. */
  readonly dimmed?: boolean;
  /** The node a live call is in now (a test call in progress). */
  readonly current?: boolean;
}

/** What the canvas draws on an edge. */
export interface EdgeDecoration {
  readonly diff?: DiffMark;
  /** The call went along it (how many times). */
  readonly taken?: number;
  readonly dimmed?: boolean;
}

/** Decorations by node and edge id. Node components select their own entry, so one change re-renders one node. */
export interface CanvasDecorations {
  readonly nodes: ReadonlyMap<string, NodeDecoration>;
  readonly edges: ReadonlyMap<string, EdgeDecoration>;
}

/** No decorations: the plain editor. */
export const noDecorations: CanvasDecorations = { nodes: new Map(), edges: new Map() };

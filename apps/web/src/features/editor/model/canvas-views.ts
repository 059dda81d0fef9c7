import { type CallPath, diffFlows, type FlowDraft } from "@ringflow/core/flow";
import type { CanvasDecorations, EdgeDecoration, NodeDecoration } from "./decorations";

/** A flow to show and how to mark it: what the read-only views draw. */
export interface CanvasView {
  readonly graph: FlowDraft;
  readonly decorations: CanvasDecorations;
}

/**
 * The diff between the live version and the draft, drawn on the draft:
 * added nodes and edges green, changed ones amber (with their fields),
 * removed ones ghosted where they were. Moves alone are not marked.
 */
export function diffView(
  live: FlowDraft,
  draft: FlowDraft,
): CanvasView & { readonly changes: number } {
  const diff = diffFlows(live, draft);
  const nodes = new Map<string, NodeDecoration>();
  const edges = new Map<string, EdgeDecoration>();
  for (const node of diff.nodes.added) nodes.set(node.id, { diff: "added" });
  for (const node of diff.nodes.removed) nodes.set(node.id, { diff: "removed" });
  let changes = diff.nodes.added.length + diff.nodes.removed.length;
  for (const change of diff.nodes.changed) {
    const fields = change.fields.filter((f) => f !== "position");
    if (fields.length === 0) continue;
    changes++;
    nodes.set(change.after.id, { diff: "changed", changedFields: fields });
  }
  for (const edge of diff.edges.added) edges.set(edge.id, { diff: "added" });
  for (const change of diff.edges.changed) edges.set(change.after.id, { diff: "changed" });
  // A removed edge may share its id with a draft edge that replaced it: the ghost gets its own.
  const draftEdgeIds = new Set(draft.edges.map((e) => e.id));
  const ghostEdges = diff.edges.removed.map((e) => ({
    ...e,
    id: draftEdgeIds.has(e.id) ? `removed:${e.id}` : e.id,
  }));
  for (const edge of ghostEdges) edges.set(edge.id, { diff: "removed" });
  changes += diff.edges.added.length + diff.edges.changed.length + diff.edges.removed.length;
  const notes = diff.notes.added.length + diff.notes.removed.length + diff.notes.changed.length;
  return {
    graph: {
      ...draft,
      nodes: [...draft.nodes, ...diff.nodes.removed],
      edges: [...draft.edges, ...ghostEdges],
    },
    decorations: { nodes, edges },
    changes: changes + notes,
  };
}

/**
 * A call's path drawn on the version it ran: visited nodes with their
 * entry times and durations, the edges it took, everything else faded.
 * `live`: the call is still going, and the node it is in is marked current.
 */
export function executionView(
  graph: FlowDraft,
  path: CallPath,
  options: { readonly live?: boolean } = {},
): CanvasView {
  const visitsByNode = new Map<string, CallPath["visits"][number][]>();
  for (const visit of path.visits) {
    visitsByNode.set(visit.nodeId, [...(visitsByNode.get(visit.nodeId) ?? []), visit]);
  }
  // A call still going is in the node of its last visit, unless it left by an output.
  const last = path.visits.at(-1);
  const currentId = options.live && last && last.output === null ? last.nodeId : null;
  const nodes = new Map<string, NodeDecoration>();
  for (const node of graph.nodes) {
    const visits = visitsByNode.get(node.id);
    nodes.set(
      node.id,
      visits ? { visits, ...(node.id === currentId ? { current: true } : {}) } : { dimmed: true },
    );
  }
  const taken = new Map<string, number>();
  for (const output of path.outputsTaken) {
    const key = `${output.source}\u0000${output.sourceHandle}`;
    taken.set(key, (taken.get(key) ?? 0) + 1);
  }
  const edges = new Map<string, EdgeDecoration>();
  for (const edge of graph.edges) {
    const count = taken.get(`${edge.source}\u0000${edge.sourceHandle}`);
    edges.set(edge.id, count ? { taken: count } : { dimmed: true });
  }
  return { graph, decorations: { nodes, edges } };
}

/** Per-output pass counts as node decorations (`{ nodeId, output, count }` rows from the API). */
export function countDecorations(
  counts: readonly { readonly nodeId: string; readonly output: string; readonly count: number }[],
): CanvasDecorations {
  const byNode = new Map<string, Record<string, number>>();
  for (const row of counts)
    byNode.set(row.nodeId, { ...byNode.get(row.nodeId), [row.output]: row.count });
  const nodes = new Map<string, NodeDecoration>();
  for (const [id, outputCounts] of byNode) nodes.set(id, { outputCounts });
  return { nodes, edges: new Map() };
}

import {
  type ConnectionRefusal,
  checkConnection,
  type FlowDraft,
  type FlowPosition,
  type NewConnection,
} from "@ringflow/core/flow";
import type { NewElementId } from "./element-ids";

/**
 * The edits the editor makes to a draft, as pure functions from one flow
 * to the next: each returns a new flow sharing every untouched node, edge
 * and note, so the undo stack can keep whole snapshots cheaply.
 */

type DraftNode = FlowDraft["nodes"][number];
type DraftNote = NonNullable<FlowDraft["notes"]>[number];

/** Adds nodes (and notes) to the flow. */
export function addElements(
  graph: FlowDraft,
  added: { readonly nodes?: readonly DraftNode[]; readonly notes?: readonly DraftNote[] },
): FlowDraft {
  const notes = [...(graph.notes ?? []), ...(added.notes ?? [])];
  return {
    ...graph,
    nodes: [...graph.nodes, ...(added.nodes ?? [])],
    ...(notes.length > 0 && { notes }),
  };
}

/**
 * Removes the nodes, notes and edges with the given ids, and every edge
 * into or out of a removed node. The same flow when nothing matched.
 */
export function removeElements(graph: FlowDraft, ids: ReadonlySet<string>): FlowDraft {
  const nodes = graph.nodes.filter((n) => !ids.has(n.id));
  const gone = new Set(graph.nodes.filter((n) => ids.has(n.id)).map((n) => n.id));
  const edges = graph.edges.filter(
    (e) => !ids.has(e.id) && !gone.has(e.source) && !gone.has(e.target),
  );
  const notes = (graph.notes ?? []).filter((n) => !ids.has(n.id));
  if (
    nodes.length === graph.nodes.length &&
    edges.length === graph.edges.length &&
    notes.length === (graph.notes ?? []).length
  ) {
    return graph;
  }
  const { notes: _, ...rest } = graph;
  return { ...rest, nodes, edges, ...(notes.length > 0 && { notes }) };
}

/** The result of drawing an edge: the new flow, or core's reason for refusing it. */
export type ConnectResult =
  | { readonly ok: true; readonly graph: FlowDraft; readonly edgeId: string }
  | { readonly ok: false; readonly refusal: ConnectionRefusal };

/**
 * Adds an edge for `connection` if core's connection rules allow it. With
 * `replacing`, that edge is moved to the new ends instead (it keeps its id).
 */
export function connect(
  graph: FlowDraft,
  connection: NewConnection,
  options: { readonly newId: NewElementId; readonly replacing?: string },
): ConnectResult {
  const refusal = checkConnection(
    graph,
    connection,
    options.replacing ? { replacing: options.replacing } : {},
  );
  if (refusal) return { ok: false, refusal };
  const edge = {
    id: options.replacing ?? options.newId("edge"),
    source: connection.source,
    sourceHandle: connection.sourceHandle ?? "",
    target: connection.target,
  };
  const edges = options.replacing
    ? graph.edges.map((e) => (e.id === options.replacing ? edge : e))
    : [...graph.edges, edge];
  return { ok: true, graph: { ...graph, edges }, edgeId: edge.id };
}

/**
 * Replaces a node's config. Edges leaving by outputs the new config no
 * longer has (a menu key removed) are kept: the validator flags them, and
 * the admin may be about to add the key back.
 */
export function setNodeConfig(
  graph: FlowDraft,
  nodeId: string,
  data: Record<string, unknown>,
): FlowDraft {
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.id === nodeId ? { ...n, data } : n)),
  };
}

/** Moves nodes and notes; the same flow when none of them moved. */
export function moveElements(
  graph: FlowDraft,
  positions: ReadonlyMap<string, FlowPosition>,
): FlowDraft {
  let moved = false;
  const place = <T extends { readonly id: string; readonly position: FlowPosition }>(e: T): T => {
    const to = positions.get(e.id);
    if (!to || (to.x === e.position.x && to.y === e.position.y)) return e;
    moved = true;
    return { ...e, position: { x: to.x, y: to.y } };
  };
  const nodes = graph.nodes.map(place);
  const notes = graph.notes?.map(place);
  if (!moved) return graph;
  return { ...graph, nodes, ...(notes && { notes }) };
}

/** Changes a sticky note's text or size. */
export function updateNote(
  graph: FlowDraft,
  noteId: string,
  change: Partial<Pick<DraftNote, "text" | "width" | "height">>,
): FlowDraft {
  return {
    ...graph,
    notes: (graph.notes ?? []).map((n) => (n.id === noteId ? { ...n, ...change } : n)),
  };
}

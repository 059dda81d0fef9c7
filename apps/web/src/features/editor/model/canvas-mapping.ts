import {
  FLOW_SCHEMA_VERSION,
  type FlowDraft,
  type FlowEdge,
  type FlowNodeType,
  type FlowNote,
} from "@ringflow/core/flow";
import type { Edge, Node, Viewport } from "@xyflow/react";

/**
 * The React Flow node kind of sticky notes. Notes are not flow nodes (core
 * keeps them in `graph.notes`, beside the nodes); on the canvas they are
 * nodes so they can be dragged, selected, resized and deleted like the rest.
 */
export const NOTE_NODE_TYPE = "note";

/** A flow node's config, as React Flow node `data` (the object itself, not a copy). */
export type FlowConfig = Record<string, unknown>;

/** A flow node on the canvas: `type` is core's node type, `data` its config. */
export type FlowCanvasNode = Node<FlowConfig, FlowNodeType>;

/** A sticky note's `data`. */
export interface NoteData extends Record<string, unknown> {
  readonly text: string;
}

/** A sticky note on the canvas. */
export type NoteCanvasNode = Node<NoteData, typeof NOTE_NODE_TYPE>;

/** Anything the canvas draws as a node. */
export type CanvasNode = FlowCanvasNode | NoteCanvasNode;

/** An edge on the canvas: it leaves by `sourceHandle`, the output's id. */
export type CanvasEdge = Edge;

/** What React Flow shows: its nodes, edges and viewport. */
export interface CanvasDocument {
  readonly nodes: CanvasNode[];
  readonly edges: CanvasEdge[];
  readonly viewport?: Viewport | undefined;
}

/** A draft flow and the viewport it was looked at through. */
export interface GraphDocument {
  readonly graph: FlowDraft;
  readonly viewport?: Viewport | undefined;
}

/** True for a sticky note. */
export function isNoteNode(node: CanvasNode): node is NoteCanvasNode {
  return node.type === NOTE_NODE_TYPE;
}

/** What a changed node keeps of its canvas object: being selected, and its measured size. */
function carried(old: CanvasNode | undefined): Pick<CanvasNode, "selected" | "measured"> {
  if (!old) return {};
  return {
    ...(old.selected !== undefined && { selected: old.selected }),
    ...(old.measured !== undefined && { measured: old.measured }),
  };
}

function samePosition(a: { x: number; y: number }, b: { x: number; y: number }): boolean {
  return a.x === b.x && a.y === b.y;
}

/**
 * The canvas for a flow. With `reuse` (the canvas's current nodes), a node
 * whose type, position and config object are unchanged keeps its canvas
 * object — selection, measured size and React's memoisation with it — so
 * undoing one change re-renders one node, not three hundred; `reuseEdges`
 * does the same for edges.
 */
export function graphToCanvas(
  document: GraphDocument,
  options: {
    readonly reuse?: readonly CanvasNode[];
    readonly reuseEdges?: readonly CanvasEdge[];
  } = {},
): CanvasDocument {
  const previous = new Map(options.reuse?.map((n) => [n.id, n]));
  const nodes: CanvasNode[] = document.graph.nodes.map((node) => {
    const old = previous.get(node.id);
    if (
      old &&
      old.type === node.type &&
      old.data === node.data &&
      samePosition(old.position, node.position)
    ) {
      return old;
    }
    return {
      id: node.id,
      // A draft may hold a type the editor does not know; it is drawn as such and flagged.
      type: node.type as FlowNodeType,
      position: { x: node.position.x, y: node.position.y },
      data: node.data,
      ...carried(old),
    } satisfies FlowCanvasNode;
  });
  for (const note of document.graph.notes ?? []) {
    const old = previous.get(note.id);
    if (
      old &&
      isNoteNode(old) &&
      old.data.text === note.text &&
      old.width === note.width &&
      old.height === note.height &&
      samePosition(old.position, note.position)
    ) {
      nodes.push(old);
      continue;
    }
    nodes.push({
      id: note.id,
      type: NOTE_NODE_TYPE,
      position: { x: note.position.x, y: note.position.y },
      data: { text: note.text },
      // Notes lie under the flow, so they never hide a handle.
      zIndex: -1,
      ...carried(old),
      ...(note.width !== undefined && { width: note.width }),
      ...(note.height !== undefined && { height: note.height }),
    } satisfies NoteCanvasNode);
  }
  const previousEdges = new Map(options.reuseEdges?.map((e) => [e.id, e]));
  const edges: CanvasEdge[] = document.graph.edges.map((edge) => {
    const old = previousEdges.get(edge.id);
    if (
      old &&
      old.source === edge.source &&
      old.sourceHandle === edge.sourceHandle &&
      old.target === edge.target
    ) {
      return old;
    }
    return {
      id: edge.id,
      source: edge.source,
      sourceHandle: edge.sourceHandle,
      target: edge.target,
    };
  });
  return { nodes, edges, ...(document.viewport && { viewport: { ...document.viewport } }) };
}

/**
 * The flow a canvas shows: the inverse of {@link graphToCanvas}. React
 * Flow's own fields (`selected`, `measured`, `dragging`...) are dropped;
 * `notes` is written only when there are notes, as flows without any omit it.
 */
export function canvasToGraph(document: CanvasDocument): GraphDocument {
  const notes: FlowNote[] = [];
  const nodes: FlowDraft["nodes"] = [];
  for (const node of document.nodes) {
    const position = { x: node.position.x, y: node.position.y };
    if (isNoteNode(node)) {
      notes.push({
        id: node.id,
        position,
        text: node.data.text,
        ...(node.width !== undefined && { width: node.width }),
        ...(node.height !== undefined && { height: node.height }),
      });
    } else {
      nodes.push({ id: node.id, type: node.type ?? "", position, data: node.data });
    }
  }
  const edges: FlowEdge[] = document.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle ?? "",
    target: edge.target,
  }));
  const graph: FlowDraft = {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes,
    edges,
    ...(notes.length > 0 && { notes }),
  };
  return { graph, ...(document.viewport && { viewport: { ...document.viewport } }) };
}

import dagre from "@dagrejs/dagre";
import { draftNodeOutputs, type FlowDraft, type FlowPosition } from "@ringflow/core/flow";

/** A node's size on the canvas, in pixels. */
export interface NodeSize {
  readonly width: number;
  readonly height: number;
}

/** Assumed for a node the canvas has not measured yet. */
export const DEFAULT_NODE_SIZE: NodeSize = { width: 260, height: 120 };

/** Gaps between layers (left to right) and between nodes of one layer, in pixels. */
const RANK_GAP = 96;
const NODE_GAP = 48;

/**
 * Lays the flow out left to right with dagre: calls run from the start
 * rightwards, branches fan out below one another in the order of their
 * source's outputs. Returns each flow node's new top-left position,
 * snapped to `grid`; sticky notes keep theirs. Edges into `start` or from
 * missing nodes (a broken draft) are ignored.
 */
export function layoutFlow(
  graph: FlowDraft,
  options: { readonly sizeOf?: (id: string) => NodeSize | undefined; readonly grid?: number } = {},
): Map<string, FlowPosition> {
  const g = new dagre.graphlib.Graph({ multigraph: true });
  g.setGraph({ rankdir: "LR", ranksep: RANK_GAP, nodesep: NODE_GAP, edgesep: 16 });
  g.setDefaultEdgeLabel(() => ({}));
  const sizes = new Map<string, NodeSize>();
  for (const node of graph.nodes) {
    sizes.set(node.id, options.sizeOf?.(node.id) ?? DEFAULT_NODE_SIZE);
  }
  const edges = edgesInOutputOrder(graph).filter((e) => sizes.has(e.source) && sizes.has(e.target));
  // dagre keeps a layer in the reverse of the order nodes and edges are
  // added in (auto-layout.test.ts pins it): add them in reverse of the order a call
  // meets them, each node's outputs in their order, so `acquired` ends up
  // above `timeout` and a menu's keys run 1, 2, 3 downwards.
  for (const id of walkOrder(graph, edges).reverse()) {
    const size = sizes.get(id) ?? DEFAULT_NODE_SIZE;
    g.setNode(id, { width: size.width, height: size.height });
  }
  for (const edge of [...edges].reverse()) g.setEdge(edge.source, edge.target, {}, edge.id);
  dagre.layout(g);

  const grid = options.grid ?? 1;
  const snap = (v: number) => Math.round(v / grid) * grid;
  const positions = new Map<string, FlowPosition>();
  for (const node of graph.nodes) {
    const placed = g.node(node.id) as { x: number; y: number } | undefined;
    const size = sizes.get(node.id) ?? DEFAULT_NODE_SIZE;
    if (!placed) continue;
    // dagre gives centres; React Flow positions are top-left corners.
    positions.set(node.id, {
      x: snap(placed.x - size.width / 2),
      y: snap(placed.y - size.height / 2),
    });
  }
  return positions;
}

/** `graph` with its nodes moved to `positions` (nodes not listed stay where they are). */
export function applyPositions(
  graph: FlowDraft,
  positions: ReadonlyMap<string, FlowPosition>,
): FlowDraft {
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const position = positions.get(node.id);
      return position ? { ...node, position } : node;
    }),
  };
}

type DraftEdge = FlowDraft["edges"][number];

/** The edges, each source's in the order of its outputs. */
function edgesInOutputOrder(graph: FlowDraft): DraftEdge[] {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const outputOrder = new Map<string, string[]>();
  const rank = (edge: DraftEdge) => {
    let order = outputOrder.get(edge.source);
    if (!order) {
      const source = byId.get(edge.source);
      order = source ? (draftNodeOutputs(source.type, source.data) ?? []).map((o) => o.id) : [];
      outputOrder.set(edge.source, order);
    }
    const index = order.indexOf(edge.sourceHandle);
    return index < 0 ? order.length : index;
  };
  return graph.edges
    .map((edge, index) => ({ edge, index, rank: rank(edge) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ edge }) => edge);
}

/** Node ids breadth-first from the start (then from any node left), following `edges` in order. */
function walkOrder(graph: FlowDraft, edges: readonly DraftEdge[]): string[] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.source, [...(next.get(edge.source) ?? []), edge.target]);
  const roots = [
    ...graph.nodes.filter((n) => n.type === "start"),
    ...graph.nodes.filter((n) => n.type !== "start"),
  ];
  const order: string[] = [];
  const seen = new Set<string>();
  for (const root of roots) {
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    const queue = [root.id];
    for (let head = 0; head < queue.length; head++) {
      const id = queue[head] as string;
      order.push(id);
      for (const target of next.get(id) ?? []) {
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
  }
  return order;
}

import type { FlowGraph, FlowNode } from "./flow-graph.js";
import type { RingGroupData } from "./nodes/ring-group.js";

/** Nodes a call passes through without waiting or choosing, on its way to the ring group. */
const PASS_THROUGH: ReadonlySet<FlowNode["type"]> = new Set(["announce"]);

/**
 * The ring group a stored callback of `queueNodeId` rings agents with: the
 * first `ringGroup` node its `acquired` output leads to, through
 * announcements only (a menu, a time condition or another queue in
 * between decide nothing for a callback). `null` when there is none, or
 * `queueNodeId` is not a queue node.
 */
export function callbackRingGroupOf(flow: FlowGraph, queueNodeId: string): RingGroupData | null {
  const nodes = new Map(flow.nodes.map((node) => [node.id, node]));
  const next = (nodeId: string, output: string) => {
    const edge = flow.edges.find((e) => e.source === nodeId && e.sourceHandle === output);
    return edge ? nodes.get(edge.target) : undefined;
  };
  if (nodes.get(queueNodeId)?.type !== "queue") return null;
  const seen = new Set<string>();
  let node = next(queueNodeId, "acquired");
  while (node && !seen.has(node.id)) {
    if (node.type === "ringGroup") return node.data;
    if (!PASS_THROUGH.has(node.type)) return null;
    seen.add(node.id);
    node = next(node.id, "next");
  }
  return null;
}

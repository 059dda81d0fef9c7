import { type FlowGraph, isOpenAt, type TimeConditionData } from "@ringflow/core/flow";

/**
 * The opening hours a flow puts in front of one of its nodes: every
 * `timeCondition` node a call must leave by `open` to reach `nodeId`.
 * Walks the edges back from the node; a time condition reached only
 * through its `closed` output does not count (the flow sends callers here
 * when closed, so this node keeps no hours of its). Time conditions on
 * every path are what a callback to the node must honour: with several
 * paths, the hours of the conditions on all of them.
 */
export function openingHoursBefore(graph: FlowGraph, nodeId: string): TimeConditionData[] {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, { source: string; sourceHandle: string }[]>();
  for (const edge of graph.edges) {
    const list = incoming.get(edge.target) ?? [];
    list.push({ source: edge.source, sourceHandle: edge.sourceHandle });
    incoming.set(edge.target, list);
  }
  const hours: TimeConditionData[] = [];
  const seen = new Set<string>([nodeId]);
  const pending = [nodeId];
  while (pending.length > 0) {
    const target = pending.pop() as string;
    for (const edge of incoming.get(target) ?? []) {
      const source = nodes.get(edge.source);
      if (!source) continue;
      if (source.type === "timeCondition") {
        // Only the `open` way in keeps the node's hours; the walk stops at
        // the condition either way: what lies before it is decided there.
        if (edge.sourceHandle === "open" && !seen.has(source.id)) hours.push(source.data);
        seen.add(source.id);
        continue;
      }
      if (!seen.has(source.id)) {
        seen.add(source.id);
        pending.push(source.id);
      }
    }
  }
  return hours;
}

/** Whether every one of `hours` is open at `instant` (no hours: always open). */
export function openAt(hours: readonly TimeConditionData[], instant: Date): boolean {
  return hours.every((config) => isOpenAt(config, instant));
}

import type { FlowGraph, RingGroupData } from "@ringflow/core/flow";
import type { CallbackRequest, Db } from "@ringflow/db";
import type { CallbackContext } from "./callback-dispatcher.js";
import { openingHoursBefore } from "./opening-hours.js";

/** A request whose flow version or queue node is gone: one slot, always open, nobody to ring. */
const NO_FLOW: CallbackContext = { maxConcurrent: 1, hours: [], ringGroup: null };

/**
 * The ring group a call that got a slot of queue node `nodeId` rings next:
 * the first `ringGroup` node reached from its `acquired` output (through
 * nodes that do not wait, such as announcements); `null` if none.
 */
export function ringGroupAfter(graph: FlowGraph, nodeId: string): RingGroupData | null {
  const nodes = new Map(graph.nodes.map((node) => [node.id, node]));
  const seen = new Set<string>([nodeId]);
  let frontier = graph.edges
    .filter((e) => e.source === nodeId && e.sourceHandle === "acquired")
    .map((e) => e.target);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const id of frontier) {
      if (seen.has(id)) continue;
      seen.add(id);
      const node = nodes.get(id);
      if (!node) continue;
      if (node.type === "ringGroup") return node.data;
      if (node.type === "queue" || node.type === "hangup" || node.type === "voicemail") continue;
      next.push(...graph.edges.filter((e) => e.source === id).map((e) => e.target));
    }
    frontier = next;
  }
  return null;
}

/**
 * `CallbackDispatcher`'s `contextOf` over the database: the request's
 * queue node in the flow version it was made in (versions never change,
 * so each is read once): its `maxConcurrent`, the opening hours the
 * flow puts in front of it ({@link openingHoursBefore}) and the ring
 * group after it ({@link ringGroupAfter}).
 */
export function createCallbackContexts(
  db: Pick<Db<FlowGraph>, "versions">,
): (request: CallbackRequest) => Promise<CallbackContext> {
  const cache = new Map<string, Promise<CallbackContext>>();
  return (request) => {
    const { flowVersionId, nodeId } = request;
    if (flowVersionId === null || nodeId === null) return Promise.resolve(NO_FLOW);
    const key = `${flowVersionId}/${nodeId}`;
    let context = cache.get(key);
    if (!context) {
      context = db.versions.getById(flowVersionId).then((version) => {
        const node = version?.graph.nodes.find((n) => n.id === nodeId);
        if (!version || node?.type !== "queue") return NO_FLOW;
        return {
          maxConcurrent: node.data.maxConcurrent,
          hours: openingHoursBefore(version.graph, nodeId),
          ringGroup: ringGroupAfter(version.graph, nodeId),
        };
      });
      // A failed read is not remembered.
      context.catch(() => cache.delete(key));
      cache.set(key, context);
      if (cache.size > 1_000) cache.delete(cache.keys().next().value as string);
    }
    return context;
  };
}

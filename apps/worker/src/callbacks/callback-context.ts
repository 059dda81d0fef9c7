import type { FlowGraph } from "@ringflow/core/flow";
import { ringGroupAfterQueue } from "@ringflow/core/interpreter";
import type { CallbackRequest, Db } from "@ringflow/db";
import type { CallbackContext } from "./callback-dispatcher.js";
import { openingHoursBefore } from "./opening-hours.js";

/** A request whose flow version or queue node is gone: one slot, always open, nobody to ring. */
const NO_FLOW: CallbackContext = { maxConcurrent: 1, hours: [], ringGroup: null };

/**
 * `CallbackDispatcher`'s `contextOf` over the database: the request's
 * queue node in the flow version it was made in (versions never change,
 * so each is read once): its `maxConcurrent`, the opening hours the
 * flow puts in front of it ({@link openingHoursBefore}) and the ring
 * group after it (core's `ringGroupAfterQueue`).
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
          ringGroup: ringGroupAfterQueue(version.graph, nodeId),
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

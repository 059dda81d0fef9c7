import type { Queue } from "../../queue/queue.js";
import type { QueueEnqueuedEvent } from "../../queue/queue-events.js";

type JoinListener = (event: QueueEnqueuedEvent) => void;

// One `enqueued` subscription per Queue, routing each event to the call it
// belongs to: a listener per waiting call would make every join cost O(calls).
const routers = new WeakMap<Queue, Map<string, JoinListener>>();

const keyOf = (queueId: string, itemId: string) => `${queueId}\u0000${itemId}`;

/**
 * Calls `listener` when `itemId` joins the line of `queueId` in `queue`
 * (the moment and priority the queue recorded). Returns a function that
 * stops listening.
 */
export function onQueueJoin(
  queue: Queue,
  queueId: string,
  itemId: string,
  listener: JoinListener,
): () => void {
  let router = routers.get(queue);
  if (!router) {
    const listeners = new Map<string, JoinListener>();
    queue.events.on("enqueued", (event) =>
      listeners.get(keyOf(event.queueId, event.itemId))?.(event),
    );
    routers.set(queue, listeners);
    router = listeners;
  }
  const key = keyOf(queueId, itemId);
  router.set(key, listener);
  return () => {
    if (router.get(key) === listener) router.delete(key);
  };
}

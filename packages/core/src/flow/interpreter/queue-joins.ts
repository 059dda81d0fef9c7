import type { Queue } from "../../queue/queue.js";
import type { QueueEnqueuedEvent } from "../../queue/queue-events.js";

type JoinListener = (event: QueueEnqueuedEvent) => void;

const keyOf = (queueId: string, itemId: string) => `${queueId}\u0000${itemId}`;

/**
 * Tells each waiting call of one engine when it joined its queue's line,
 * through a single `enqueued` subscription on the queue: a listener per
 * waiting call would make every join cost O(calls). The subscription is
 * taken when the first call listens and held until {@link close}.
 */
export class QueueJoins {
  private readonly listeners = new Map<string, JoinListener>();
  private unsubscribe: (() => void) | null = null;
  private closed = false;

  constructor(private readonly queue: Queue) {}

  /**
   * Calls `listener` when `itemId` joins the line of `queueId` (the moment
   * and priority the queue recorded). Returns a function that stops
   * listening. Once closed, it subscribes nothing and `listener` is never
   * called.
   */
  on(queueId: string, itemId: string, listener: JoinListener): () => void {
    if (this.closed) return () => {};
    this.unsubscribe ??= this.queue.events.on("enqueued", (event) =>
      this.listeners.get(keyOf(event.queueId, event.itemId))?.(event),
    );
    const key = keyOf(queueId, itemId);
    this.listeners.set(key, listener);
    return () => {
      if (this.listeners.get(key) === listener) this.listeners.delete(key);
    };
  }

  /** Drops the queue subscription and every listener. Idempotent. */
  close(): void {
    this.closed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.listeners.clear();
  }
}

import type { Queue } from "../src/queue/queue.js";
import type { QueueEnqueuedEvent } from "../src/queue/queue-events.js";
import type { QueueSlot } from "../src/queue/queue-slot.js";
import type { SlotOptions } from "../src/queue/slot-options.js";

/** An entry started with {@link join}: its slot, and the moment it was in line. */
export interface Joining {
  readonly slot: Promise<QueueSlot>;
  readonly enqueued: Promise<QueueEnqueuedEvent>;
}

/**
 * Starts `queue.slot` and reports when the entry is in line (its `enqueued`
 * event): what tests wait for instead of sleeping, whatever the backend.
 */
export function join(
  queue: Queue,
  queueId: string,
  options: SlotOptions & { itemId: string },
): Joining {
  let off = () => {};
  const enqueued = new Promise<QueueEnqueuedEvent>((resolve) => {
    off = queue.events.on("enqueued", (event) => {
      if (event.queueId === queueId && event.itemId === options.itemId) {
        off();
        resolve(event);
      }
    });
  });
  const slot = queue.slot(queueId, options);
  // Tests assert on the outcome later; don't let an expected rejection count as unhandled.
  slot.catch(() => off());
  return { slot, enqueued };
}

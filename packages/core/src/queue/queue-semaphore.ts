import type { Queue } from "./queue.js";
import type { QueueSlot } from "./queue-slot.js";
import { type SlotOptions, toEnqueueRequest } from "./slot-options.js";

/** Settings shared by every acquisition of a {@link QueueSemaphore}. */
export type SemaphoreOptions = Omit<SlotOptions, "itemId" | "signal">;

/**
 * A reusable handle on one queue with fixed settings: each `acquire` behaves
 * exactly like `Queue.slot` with those settings (overridable per call).
 */
export class QueueSemaphore {
  /** @internal Made by `Queue.semaphore`. */
  constructor(
    private readonly queue: Queue,
    /** The queue this semaphore guards. */
    readonly queueId: string,
    private readonly defaults: SemaphoreOptions,
  ) {
    toEnqueueRequest(queueId, { ...defaults, itemId: "-" }, 0);
  }

  /** Joins the line and resolves with a slot; see `Queue.slot`. */
  acquire(options: SlotOptions = {}): Promise<QueueSlot> {
    return this.queue.slot(this.queueId, { ...this.defaults, ...options });
  }

  /** Runs `work` while holding a slot and gives it back when `work` settles. */
  async withSlot<T>(options: SlotOptions, work: (slot: QueueSlot) => Promise<T> | T): Promise<T> {
    await using slot = await this.acquire(options);
    return await work(slot);
  }
}

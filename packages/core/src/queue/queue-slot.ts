import type { QueueTicket } from "./backend.js";

/** @internal Who takes a released slot back: the `Queue` that made it. */
export interface SlotKeeper {
  giveBack(slot: QueueSlot, ticket: QueueTicket): Promise<void>;
}

/**
 * A held queue slot. Give it back with {@link QueueSlot.release} or let
 * `await using` do it at the end of the scope.
 */
export class QueueSlot implements AsyncDisposable {
  private releasing: Promise<void> | undefined;

  /** @internal Slots are made by `Queue.slot` and `QueueSemaphore.acquire`. */
  constructor(
    /** The queue this slot belongs to. */
    readonly queueId: string,
    /** The entry holding it. */
    readonly itemId: string,
    /** When the entry joined the line (ms since the epoch). */
    readonly enqueuedAt: number,
    /** When it got the slot. */
    readonly acquiredAt: number,
    private readonly keeper: SlotKeeper,
    private readonly ticket: QueueTicket,
  ) {}

  /**
   * Aborts if the slot no longer counts in the queue's limit (see
   * `QueueTicket.lost`): with Redis, its lease may have run out during an
   * outage longer than the lease, so someone else may hold it now.
   * `release()` is still safe (it frees nothing of anyone else's).
   */
  get lost(): AbortSignal {
    return this.ticket.lost;
  }

  /** Milliseconds spent in line. */
  get waitMs(): number {
    return this.acquiredAt - this.enqueuedAt;
  }

  /**
   * Gives the slot back so the next in line gets it. Idempotent: later calls
   * return the first call's promise.
   */
  release(): Promise<void> {
    this.releasing ??= this.keeper.giveBack(this, this.ticket);
    return this.releasing;
  }

  /** Same as {@link QueueSlot.release}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.release();
  }
}

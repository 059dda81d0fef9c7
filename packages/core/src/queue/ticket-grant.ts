import type { GrantListener } from "./backend.js";

/**
 * The grant half of a backend's ticket: set once (granted or failed), and
 * awaited lazily so an entry granted at once never allocates a promise; the
 * queue listens instead of awaiting ({@link TicketGrant.listen}), so a
 * waiting entry allocates none either. The `lost` signal is made on first
 * use too: an `AbortController` costs more than the rest of an in-memory
 * acquire and release together.
 */
export abstract class TicketGrant {
  /** When the slot was granted; set the moment it is. */
  grantedAt: number | undefined;
  private failure: Error | undefined;
  private listener: GrantListener | undefined;
  private waiting: Promise<number> | undefined;
  private resolveWaiting: ((grantedAt: number) => void) | undefined;
  private rejectWaiting: ((error: Error) => void) | undefined;
  private lostController: AbortController | undefined;
  /** Why the held slot was lost, if it was (kept for a `lost` asked for afterwards). */
  private lostReason: Error | undefined;

  /** Aborts (with the reason) if the backend can no longer vouch that this entry holds its slot. */
  get lost(): AbortSignal {
    if (!this.lostController) {
      this.lostController = new AbortController();
      if (this.lostReason) this.lostController.abort(this.lostReason);
    }
    return this.lostController.signal;
  }

  granted(): Promise<number> {
    if (this.grantedAt !== undefined) return Promise.resolve(this.grantedAt);
    if (this.failure) return Promise.reject(this.failure);
    this.waiting ??= new Promise<number>((resolve, reject) => {
      this.resolveWaiting = resolve;
      this.rejectWaiting = reject;
    });
    return this.waiting;
  }

  /** See `QueueTicket.listen`: a later listener replaces an earlier one. */
  listen(listener: GrantListener): void {
    if (this.grantedAt !== undefined) listener.granted(this.grantedAt);
    else if (this.failure) listener.failed(this.failure);
    else this.listener = listener;
  }

  /** Records the grant and wakes whoever awaits it. */
  protected settleGranted(at: number): void {
    this.grantedAt = at;
    const { listener } = this;
    // Dropped first: the listener may run code that settles this ticket again.
    this.listener = undefined;
    listener?.granted(at);
    this.resolveWaiting?.(at);
  }

  /**
   * Records that no grant will come and fails whoever awaits it; an entry
   * that held its slot has lost it.
   */
  protected settleFailed(error: Error): void {
    this.failure = error;
    const { listener } = this;
    this.listener = undefined;
    listener?.failed(error);
    this.rejectWaiting?.(error);
    if (this.grantedAt !== undefined) {
      this.lostReason = error;
      this.lostController?.abort(error);
    }
  }
}

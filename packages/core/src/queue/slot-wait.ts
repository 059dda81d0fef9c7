import type { Span } from "@opentelemetry/api";
import type { Clock, TimerHandle } from "../clock.js";
import type { EnqueueRequest, GrantListener, QueueTicket } from "./backend.js";
import { QueueAbortedError, QueueTimeoutError } from "./errors.js";
import type { QueueSlot } from "./queue-slot.js";

/** @internal What a {@link SlotWait} reports to: the `Queue` that started it. */
export interface SlotWaitHost {
  readonly backend: { readonly clock: Clock };
  /** The entry got its slot at `at`: the slot to hand to the caller (events and metrics done). */
  acquired(ticket: QueueTicket, request: EnqueueRequest, span: Span, at: number): QueueSlot;
  /** The entry left without a slot because of `error` (events and metrics done). */
  left(ticket: QueueTicket, request: EnqueueRequest, span: Span, error: unknown): void;
}

type Resolve = (slot: QueueSlot) => void;
type Reject = (error: unknown) => void;
let capturedResolve: Resolve | undefined;
let capturedReject: Reject | undefined;
/** A promise executor shared by every wait: no closure per promise. */
function capture(resolve: Resolve, reject: Reject): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * @internal One entry's wait for its slot: settles the promise `Queue.slot`
 * returned once the ticket is granted, fails, times out or the caller's
 * signal aborts, whichever comes first. It is the ticket's grant listener,
 * the signal's abort listener and holds the timer, so a wait allocates this
 * object and one promise; a timer and its callback only with a deadline.
 * An entry that leaves is out of the line before the promise rejects.
 */
export class SlotWait implements GrantListener {
  readonly promise: Promise<QueueSlot>;
  private readonly resolve: Resolve;
  private readonly reject: Reject;
  private settled = false;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly host: SlotWaitHost,
    private readonly ticket: QueueTicket,
    private readonly request: EnqueueRequest,
    private readonly span: Span,
    deadline: number | undefined,
    private readonly signal: AbortSignal | undefined,
  ) {
    this.promise = new Promise(capture);
    this.resolve = capturedResolve as Resolve;
    this.reject = capturedReject as Reject;
    capturedResolve = capturedReject = undefined;
    if (signal?.aborted) {
      this.abort();
      return;
    }
    try {
      if (deadline !== undefined) {
        const remaining = deadline - host.backend.clock.now();
        if (remaining <= 0) {
          this.timeOut();
          return;
        }
        this.timer = host.backend.clock.setTimeout(() => this.timeOut(), remaining);
      }
      signal?.addEventListener("abort", this, { once: true });
    } catch (error) {
      this.failed(error);
      return;
    }
    if (ticket.listen) ticket.listen(this);
    else {
      ticket.granted().then(
        (at) => this.granted(at),
        (error: Error) => this.failed(error),
      );
    }
  }

  granted(at: number): void {
    // A grant reaches the caller only once its code runs again, as it would
    // through `await`: a hang-up in the same turn (the caller's signal fires
    // synchronously, e.g. right after the release that made this grant)
    // still wins, and gives the slot on. A timer cannot fire in between.
    if (this.signal) queueMicrotask(() => this.take(at));
    else this.take(at);
  }

  private take(at: number): void {
    if (!this.settle()) return;
    this.resolve(this.host.acquired(this.ticket, this.request, this.span, at));
  }

  /**
   * The ticket failed (or setting up the wait did): the entry must not stay
   * in line, or keep a slot nobody holds.
   */
  failed(error: unknown): void {
    if (!this.settle()) return;
    void this.ticket.cancel();
    this.host.left(this.ticket, this.request, this.span, error);
    this.reject(error);
  }

  /** The signal's abort: `AbortSignal` calls its listener object's `handleEvent`. */
  handleEvent(): void {
    this.abort();
  }

  private abort(): void {
    const { queueId, itemId } = this.request;
    this.leave(new QueueAbortedError(queueId, itemId, this.waited(), this.signal?.reason));
  }

  private timeOut(): void {
    const { queueId, itemId } = this.request;
    this.leave(new QueueTimeoutError(queueId, itemId, this.waited()));
  }

  /** Takes the entry out of line (a grant made meanwhile is given back), then fails the wait. */
  private leave(error: Error): void {
    if (!this.settle()) return;
    void this.ticket.cancel().then(() => {
      this.host.left(this.ticket, this.request, this.span, error);
      this.reject(error);
    });
  }

  /** Marks the wait settled and drops its timer and listener; false if it already was. */
  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.timer?.cancel();
    this.signal?.removeEventListener("abort", this);
    return true;
  }

  private waited(): number {
    return Math.max(0, this.host.backend.clock.now() - this.ticket.enqueuedAt);
  }
}

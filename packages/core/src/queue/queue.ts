import type { Span } from "@opentelemetry/api";
import type { Clock } from "../clock.js";
import type { EnqueueRequest, QueueBackend, QueueSnapshot, QueueTicket } from "./backend.js";
import { QueueAbortedError, QueueTimeoutError } from "./errors.js";
import { InMemoryBackend } from "./in-memory-backend.js";
import { QueueEventHub, type QueueEvents } from "./queue-events.js";
import { QueueSemaphore, type SemaphoreOptions } from "./queue-semaphore.js";
import { QueueSlot, type SlotKeeper } from "./queue-slot.js";
import { QueueTelemetry } from "./queue-telemetry.js";
import {
  checkItemId,
  checkMaxConcurrent,
  checkQueueId,
  checkSignal,
  type SlotOptions,
  toEnqueueRequest,
} from "./slot-options.js";
import { SlotWait, type SlotWaitHost } from "./slot-wait.js";

/** Hold time assumed per slot while a queue has no history, for {@link Queue.estimatedWaitMs}. */
export const DEFAULT_HOLD_TIME_MS = 180_000;

/** Options of a {@link Queue}. */
export interface QueueOptions {
  /**
   * Hold time per slot assumed by {@link Queue.estimatedWaitMs} while a queue
   * has no released slot to learn from. Default {@link DEFAULT_HOLD_TIME_MS} (3 minutes).
   */
  readonly defaultHoldTimeMs?: number;
}

/**
 * Per-queue FIFO lines with a concurrency limit: `slot()` joins a queue's
 * line and resolves once the entry is at the head and a slot is free.
 *
 * Lower `priority` is served first, FIFO within a priority; at most
 * `maxConcurrent` entries hold a slot at once. Time comes from the backend's
 * clock. Events and metrics cover this process's entries; `snapshot`,
 * `position` and `estimatedWaitMs` see every process sharing the backend.
 */
export class Queue implements SlotKeeper, SlotWaitHost {
  /** Events of this process's entries: enqueued, acquired, released, timeout, abandoned. */
  readonly events: QueueEvents;
  private readonly hub = new QueueEventHub();
  private readonly telemetry = new QueueTelemetry();
  private readonly clock: Clock;
  private readonly defaultHoldTimeMs: number;

  /** @throws RangeError `defaultHoldTimeMs` is negative or not a finite number. */
  constructor(
    /** Where the lines live. Default: a new {@link InMemoryBackend}. */
    readonly backend: QueueBackend = new InMemoryBackend(),
    options: QueueOptions = {},
  ) {
    const { defaultHoldTimeMs = DEFAULT_HOLD_TIME_MS } = options;
    if (!(Number.isFinite(defaultHoldTimeMs) && defaultHoldTimeMs >= 0)) {
      throw new RangeError(
        `defaultHoldTimeMs must be a finite number ≥ 0, got ${defaultHoldTimeMs}`,
      );
    }
    this.events = this.hub;
    this.clock = backend.clock;
    this.defaultHoldTimeMs = defaultHoldTimeMs;
  }

  /**
   * Joins `queueId`'s line and resolves with a slot once this entry is at
   * the head and fewer than `maxConcurrent` slots are held.
   *
   * @throws QueueTimeoutError `timeoutMs` passed first; the entry has left the line.
   * @throws QueueAbortedError `signal` aborted first; the entry has left the line.
   * @throws QueueFullError `maxWaiting` entries were already waiting; nothing was added.
   * @throws QueueDuplicateItemError `itemId` is already in this queue.
   * @throws QueueBackendError the storage failed.
   * @throws RangeError an option is out of range.
   */
  slot(queueId: string, options: SlotOptions = {}): Promise<QueueSlot> {
    // Not an async function: a wait costs one promise (its SlotWait's), and
    // a slot free at once one resolved promise.
    let request: EnqueueRequest;
    let now: number;
    try {
      // Waits count from here: a backend still connecting must not shorten them.
      now = this.clock.now();
      request = toEnqueueRequest(queueId, options, now);
      checkSignal(options.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    const { signal, timeoutMs } = options;
    if (signal?.aborted) {
      return Promise.reject(new QueueAbortedError(queueId, request.itemId, 0, signal.reason));
    }
    const deadline = timeoutMs === undefined ? undefined : now + timeoutMs;
    const span = this.telemetry.startWait(queueId, request.itemId);
    const { backend } = this;
    if (backend.enqueueNow) {
      let ticket: QueueTicket;
      try {
        ticket = backend.enqueueNow(request);
      } catch (error) {
        this.telemetry.failWait(span, error);
        return Promise.reject(error);
      }
      return this.joined(ticket, request, span, deadline, signal);
    }
    return backend.enqueue(request).then(
      (ticket) => this.joined(ticket, request, span, deadline, signal),
      (error: unknown) => {
        this.telemetry.failWait(span, error);
        throw error;
      },
    );
  }

  /** The entry is in line: its slot now, or once its {@link SlotWait} settles. */
  private joined(
    ticket: QueueTicket,
    request: EnqueueRequest,
    span: Span,
    deadline: number | undefined,
    signal: AbortSignal | undefined,
  ): Promise<QueueSlot> {
    if (this.hub.wants("enqueued")) {
      this.hub.emit({
        type: "enqueued",
        queueId: request.queueId,
        itemId: request.itemId,
        at: ticket.enqueuedAt,
        priority: request.priority,
        position: ticket.position,
      });
    }
    // A grant made while joining stands even if the deadline passed during the
    // round trip; a caller who hung up meanwhile must still give it back.
    const { grantedAt } = ticket;
    if (grantedAt !== undefined && !signal?.aborted) {
      return Promise.resolve(this.acquired(ticket, request, span, grantedAt));
    }
    return new SlotWait(this, ticket, request, span, deadline, signal).promise;
  }

  /** @internal See {@link SlotWaitHost.acquired}. */
  acquired(ticket: QueueTicket, request: EnqueueRequest, span: Span, at: number): QueueSlot {
    span.end();
    const { queueId, itemId } = request;
    const slot = new QueueSlot(queueId, itemId, ticket.enqueuedAt, at, this, ticket);
    this.telemetry.record("acquire", queueId, slot.waitMs);
    if (this.hub.wants("acquired")) {
      this.hub.emit({
        type: "acquired",
        queueId,
        itemId,
        at,
        enqueuedAt: ticket.enqueuedAt,
        waitMs: slot.waitMs,
      });
    }
    return slot;
  }

  /** @internal See {@link SlotWaitHost.left}. */
  left(ticket: QueueTicket, request: EnqueueRequest, span: Span, error: unknown): void {
    this.recordLeaving(ticket, request, error);
    this.telemetry.failWait(span, error);
  }

  /** Runs `work` while holding a slot of `queueId`; the slot is given back when `work` settles. */
  async withSlot<T>(
    queueId: string,
    options: SlotOptions,
    work: (slot: QueueSlot) => Promise<T> | T,
  ): Promise<T> {
    await using slot = await this.slot(queueId, options);
    return await work(slot);
  }

  /** A reusable handle acquiring slots of `queueId` with fixed settings. */
  semaphore(queueId: string, options: SemaphoreOptions = {}): QueueSemaphore {
    return new QueueSemaphore(this, queueId, options);
  }

  /**
   * 1-based place of a waiting entry among all waiters of `queueId`, or `null` if it is not waiting.
   * @throws RangeError `queueId` or `itemId` is empty.
   */
  async position(queueId: string, itemId: string): Promise<number | null> {
    checkQueueId(queueId);
    checkItemId(itemId);
    return await this.backend.position(queueId, itemId);
  }

  /**
   * Expected wait of a waiting entry in milliseconds, or `null` if it is not
   * waiting: the mean hold time of the queue's recent slots (the last 50,
   * shared by every process on the backend; `defaultHoldTimeMs` before the
   * first release) × its position ÷ `maxConcurrent`, rounded.
   * @throws RangeError `queueId` or `itemId` is empty.
   */
  async estimatedWaitMs(queueId: string, itemId: string): Promise<number | null> {
    checkQueueId(queueId);
    checkItemId(itemId);
    const stats = await this.backend.waitStats(queueId, itemId);
    if (!stats) return null;
    const holdMs = stats.averageHoldMs ?? this.defaultHoldTimeMs;
    return Math.round((holdMs * stats.position) / stats.maxConcurrent);
  }

  /**
   * Holders and waiters of `queueId` across every process sharing the backend.
   * @throws RangeError `queueId` is empty.
   */
  async snapshot(queueId: string): Promise<QueueSnapshot> {
    checkQueueId(queueId);
    return await this.backend.snapshot(queueId);
  }

  /**
   * Pauses or resumes `queueId` for every process sharing the backend: a
   * paused queue grants no slot (newcomers wait too) and its waiters keep
   * their places; resuming serves them in order at once. Holders keep their
   * slots. A queue not used yet starts paused once it is.
   * @throws RangeError `queueId` is empty.
   */
  async setPaused(queueId: string, paused: boolean): Promise<void> {
    checkQueueId(queueId);
    await this.backend.setPaused(queueId, paused);
  }

  /**
   * Changes `queueId`'s slot limit for the acquisitions that follow. Raising
   * it grants the extra slots to waiters at once; lowering it lets current
   * holders finish.
   * @throws RangeError `queueId` is empty or `maxConcurrent` is not an integer ≥ 1.
   */
  async configure(queueId: string, config: { readonly maxConcurrent: number }): Promise<void> {
    checkQueueId(queueId);
    checkMaxConcurrent(config.maxConcurrent);
    await this.backend.configure(queueId, { maxConcurrent: config.maxConcurrent });
  }

  private recordLeaving(ticket: QueueTicket, request: EnqueueRequest, error: unknown): void {
    if (!(error instanceof QueueTimeoutError || error instanceof QueueAbortedError)) return;
    const type = error instanceof QueueTimeoutError ? "timeout" : "abandoned";
    const waitMs = error.waitedMs;
    this.telemetry.record(type === "timeout" ? "timeout" : "abandon", request.queueId, waitMs);
    if (this.hub.wants(type)) {
      this.hub.emit({
        type,
        queueId: request.queueId,
        itemId: request.itemId,
        at: ticket.enqueuedAt + waitMs,
        enqueuedAt: ticket.enqueuedAt,
        waitMs,
      });
    }
  }

  /** @internal A slot's release: see {@link QueueSlot.release}. */
  giveBack(slot: QueueSlot, ticket: QueueTicket): Promise<void> {
    // The hold ends here even if the storage cannot be told now (the backend
    // stops renewing the entry and removes it later). Recorded before the
    // backend hears of it: the next holder, which this release may wake at
    // once, records its acquire after this.
    this.telemetry.record("release", slot.queueId);
    if (this.hub.wants("released")) {
      const at = this.clock.now();
      this.hub.emit({
        type: "released",
        queueId: slot.queueId,
        itemId: slot.itemId,
        at,
        acquiredAt: slot.acquiredAt,
        heldMs: at - slot.acquiredAt,
      });
    }
    return ticket.release();
  }
}

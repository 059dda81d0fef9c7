import { RingflowError } from "../errors.js";

/** The entry did not get a slot within its `timeoutMs`; it has left the line. */
export class QueueTimeoutError extends RingflowError {
  readonly code = "QUEUE_TIMEOUT";

  constructor(
    /** Queue the entry was waiting in. */
    readonly queueId: string,
    /** The entry that gave up. */
    readonly itemId: string,
    /** How long it waited before giving up, in milliseconds. */
    readonly waitedMs: number,
  ) {
    super(`no slot in queue "${queueId}" for ${itemId} within ${waitedMs} ms`);
  }
}

/** The caller's `AbortSignal` fired (typically: the caller hung up); the entry has left the line. */
export class QueueAbortedError extends RingflowError {
  readonly code = "QUEUE_ABORTED";

  constructor(
    /** Queue the entry was waiting in. */
    readonly queueId: string,
    /** The entry that left. */
    readonly itemId: string,
    /** How long it waited before leaving, in milliseconds. */
    readonly waitedMs: number,
    /** The signal's `reason`. */
    reason: unknown,
  ) {
    super(`${itemId} left queue "${queueId}" after ${waitedMs} ms`, { cause: reason });
  }
}

/** The line already held `maxWaiting` entries; nothing was added to it. */
export class QueueFullError extends RingflowError {
  readonly code = "QUEUE_FULL";

  constructor(
    /** Queue whose line is full. */
    readonly queueId: string,
    /** The entry that was turned away. */
    readonly itemId: string,
    /** The limit that was reached. */
    readonly maxWaiting: number,
  ) {
    super(`queue "${queueId}" already has ${maxWaiting} waiting; ${itemId} was turned away`);
  }
}

/** An entry with the same `itemId` is already waiting in or holding a slot of this queue. */
export class QueueDuplicateItemError extends RingflowError {
  readonly code = "QUEUE_DUPLICATE_ITEM";

  constructor(
    /** Queue already holding the entry. */
    readonly queueId: string,
    /** The item id in use. */
    readonly itemId: string,
  ) {
    super(`${itemId} is already in queue "${queueId}"`);
  }
}

/**
 * The queue's storage failed: Redis unreachable, a command failed or timed
 * out, or an entry's lease was lost. The original error is in `cause`.
 */
export class QueueBackendError extends RingflowError {
  readonly code = "QUEUE_BACKEND";
}

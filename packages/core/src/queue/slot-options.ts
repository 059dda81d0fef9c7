import type { EnqueueRequest } from "./backend.js";

/** Priority of an entry that does not say: ordinary callers. `0` is VIP. */
export const DEFAULT_PRIORITY = 5;
/** Largest accepted priority (lowest precedence). */
export const MAX_PRIORITY = 999;

/** How one entry joins a queue. */
export interface SlotOptions {
  /**
   * Identifies the entry in events, snapshots and traces (e.g. the call's
   * UUID). Default: unique across processes (a per-process random tag and a counter).
   */
  readonly itemId?: string;
  /**
   * Slots that may be held at once. Only the first use of a queue id sets it;
   * later different values are ignored until {@link Queue.configure} is called. Default 1.
   */
  readonly maxConcurrent?: number;
  /** Give up after this long (waiting for the head and for a slot), with `QueueTimeoutError`. Default: wait forever. */
  readonly timeoutMs?: number;
  /** Integer 0–999; lower is served first, FIFO among equals. Default 5; 0 is VIP. */
  readonly priority?: number;
  /** Turn the entry away with `QueueFullError` if it would have to wait behind this many. Default: no limit. */
  readonly maxWaiting?: number;
  /** Aborting it (caller hung up) takes the entry out of the line at once with `QueueAbortedError`. */
  readonly signal?: AbortSignal;
  /**
   * The place this entry keeps (ms since the epoch, backend clock): it
   * stands ahead of the entries of its priority that joined after this
   * moment, and its wait counts from it. For an entry standing in for one
   * that left, e.g. a stored callback keeping the place of a caller who
   * hung up. A time in the future counts as now. Default: now (the end of
   * the line). Exact on both backends, also among several arrivals of one
   * millisecond: behind those that joined at or before this moment.
   */
  readonly requestedAt?: number;
}

/**
 * 48 random bits per process, so generated item ids do not collide across
 * processes sharing Redis; short, because every id is hashed on each change.
 */
const generatedPrefix = `${globalThis.crypto.randomUUID().replaceAll("-", "").slice(0, 12)}/`;
let generated = 0;

/** A fresh item id: this process's random tag and a counter (cheaper than a UUID per entry). */
function newItemId(): string {
  return generatedPrefix + ++generated;
}

/**
 * True if `itemId` has the form of the ids this process generates. A
 * generated id is unique in this process, so a backend here need only look
 * for a duplicate of one while an entry whose caller chose an id of that
 * form is in line.
 */
export function looksGenerated(itemId: string): boolean {
  return itemId.startsWith(generatedPrefix);
}

function checkInteger(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER) {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
}

/** Checks a `maxConcurrent` value; throws `RangeError` if it is not an integer ≥ 1. */
export function checkMaxConcurrent(value: number): void {
  checkInteger("maxConcurrent", value, 1);
}

/** Checks a queue id; throws `RangeError` if it is not a non-empty string. */
export function checkQueueId(queueId: string): void {
  if (typeof queueId !== "string" || queueId === "") {
    throw new RangeError("queueId must be a non-empty string");
  }
}

/** Checks an item id; throws `RangeError` if it is not a non-empty string. */
export function checkItemId(itemId: string): void {
  if (typeof itemId !== "string" || itemId === "") {
    throw new RangeError("itemId must be a non-empty string");
  }
}

/** Checks a `signal` option; throws `RangeError` if it is given and not an `AbortSignal`. */
export function checkSignal(signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new RangeError("signal must be an AbortSignal");
  }
}

/**
 * Validates `options` and turns them into what a backend needs (asked for
 * at `requestedAt`); throws `RangeError` on bad input.
 */
export function toEnqueueRequest(
  queueId: string,
  options: SlotOptions,
  requestedAt: number,
): EnqueueRequest {
  checkQueueId(queueId);
  const itemIdGenerated = options.itemId === undefined;
  const { itemId = newItemId(), priority = DEFAULT_PRIORITY } = options;
  const { maxConcurrent = 1, maxWaiting, timeoutMs } = options;
  checkItemId(itemId);
  checkInteger("priority", priority, 0, MAX_PRIORITY);
  checkMaxConcurrent(maxConcurrent);
  if (maxWaiting !== undefined) checkInteger("maxWaiting", maxWaiting, 0);
  if (timeoutMs !== undefined && !(timeoutMs >= 0 && timeoutMs <= Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`timeoutMs must be a number ≥ 0, got ${timeoutMs}`);
  }
  const keepsPlace = options.requestedAt !== undefined;
  if (keepsPlace && !Number.isFinite(options.requestedAt)) {
    throw new RangeError(`requestedAt must be a time in ms, got ${options.requestedAt}`);
  }
  return {
    queueId,
    itemId,
    itemIdGenerated,
    priority,
    maxConcurrent,
    maxWaiting,
    requestedAt: keepsPlace ? Math.min(requestedAt, options.requestedAt as number) : requestedAt,
    // Always present, so every request has one shape (a spread would copy).
    keepsPlace,
  };
}

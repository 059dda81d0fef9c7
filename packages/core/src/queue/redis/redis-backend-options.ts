import type { Clock } from "../../clock.js";
import { systemClock } from "../../clock.js";
import { parseRedisUrl, type RedisTarget } from "../../redis/redis-connection.js";
import type { QueueBackendError } from "../errors.js";
import type { RedisOutageChange } from "./redis-outage.js";

/** Redis used when no URL is given. */
export const DEFAULT_REDIS_URL = "redis://127.0.0.1:6379";
/** Prefix of every key (and channel) the Redis backend uses when none is given. */
export const DEFAULT_KEY_PREFIX = "ringflow:queue:";
/** How long an entry outlives the last heartbeat of its process, by default. */
export const DEFAULT_LEASE_MS = 15_000;
/** How long operations wait for a lost Redis to return, by default. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
/** How long waiting entries keep their places through a Redis outage, by default. */
export const DEFAULT_OUTAGE_GRACE_MS = 60_000;
/** How long a process counts as alive after it last said so, by default. */
export const DEFAULT_LIVENESS_MS = 2_000;

/** Options of a {@link RedisBackend}. */
export interface RedisBackendOptions {
  /**
   * Where Redis is: a URL (`redis://[user:password@]host:port[/db]`, or a
   * Sentinel or Cluster one, see `parseRedisUrl`) or a `RedisConnectionConfig`.
   * Default {@link DEFAULT_REDIS_URL}.
   */
  readonly url?: RedisTarget;
  /** Prefix of every key and channel. Default {@link DEFAULT_KEY_PREFIX}. */
  readonly keyPrefix?: string;
  /** Source of "now" for the scripts, leases and timestamps. Default: the system clock. */
  readonly clock?: Clock;
  /**
   * How long an entry (waiting or holding) survives without a heartbeat from
   * its process; the heartbeat runs every third of it. Default {@link DEFAULT_LEASE_MS}.
   */
  readonly leaseMs?: number;
  /**
   * How long this process counts as alive after it last said so (it says so
   * every quarter of it, in each queue it has entries in). A slot is never
   * granted to a waiter of a process that is not alive: it goes to the next
   * one, and the waiter keeps its place until its lease runs out, so a
   * killed process's callers do not block the line for a whole lease. Its
   * entries may be taken over by another process joining with the same
   * item id (a call handed on by the switch). Between 100 ms and `leaseMs`;
   * default {@link DEFAULT_LIVENESS_MS}.
   */
  readonly livenessMs?: number;
  /**
   * How long an operation (joining, leaving, a snapshot) waits for Redis
   * (at start-up or after losing it) before it rejects with
   * `QueueBackendError`. Default {@link DEFAULT_CONNECT_TIMEOUT_MS}.
   */
  readonly connectTimeoutMs?: number;
  /** Longest wait for one Redis reply. Default 5 000 ms. */
  readonly commandTimeoutMs?: number;
  /**
   * How long waiting entries keep their places while Redis does not answer
   * (connection lost or refused, or connected but stalled), before they fail
   * with `QueueBackendError`. Default {@link DEFAULT_OUTAGE_GRACE_MS}.
   */
  readonly outageGraceMs?: number;
  /** Told of failures no caller is waiting on (a heartbeat that failed, a slot whose lease ran out). */
  readonly onError?: (error: QueueBackendError) => void;
  /** Told once when Redis stops answering and once when it answers again. */
  readonly onOutage?: (change: RedisOutageChange) => void;
}

/** A backend's settings, checked and with every default filled in. */
export interface RedisBackendSettings {
  readonly url: RedisTarget;
  readonly keyPrefix: string;
  readonly clock: Clock;
  readonly leaseMs: number;
  readonly livenessMs: number;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly outageGraceMs: number;
  readonly onError: (error: QueueBackendError) => void;
  readonly onOutage: (change: RedisOutageChange) => void;
}

/** Shortest lease accepted: below it a heartbeat a little late would let another caller take a held slot. */
export const MIN_LEASE_MS = 500;
/** Longest delay a timer can wait (Node's limit, about 24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;
const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;

function integerIn(name: string, value: number | undefined, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
    throw new RangeError(
      `RedisBackend: ${name} must be an integer from ${min} to ${MAX_TIMER_MS} ms, got ${value}`,
    );
  }
  return value;
}

function callback<T>(name: string, value: T | undefined, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "function") throw new RangeError(`RedisBackend: ${name} must be a function`);
  return value;
}

function checkUrl(url: RedisTarget | undefined): RedisTarget {
  if (url === undefined) return DEFAULT_REDIS_URL;
  try {
    if (typeof url === "string") parseRedisUrl(url, "url");
    return url;
  } catch (error) {
    throw new RangeError(`RedisBackend: ${(error as Error).message}`);
  }
}

/**
 * Checks every option of a {@link RedisBackendOptions} and fills in the
 * defaults; throws `RangeError` naming the first option that is wrong, so a
 * typo fails at construction instead of as a Lua error on every enqueue.
 */
export function resolveRedisBackendOptions(options: RedisBackendOptions): RedisBackendSettings {
  const { keyPrefix = DEFAULT_KEY_PREFIX, clock = systemClock } = options;
  if (typeof keyPrefix !== "string" || keyPrefix === "") {
    throw new RangeError("RedisBackend: keyPrefix must be a non-empty string");
  }
  if (typeof clock?.now !== "function" || typeof clock.setTimeout !== "function") {
    throw new RangeError("RedisBackend: clock must have now() and setTimeout()");
  }
  const leaseMs = integerIn("leaseMs", options.leaseMs, DEFAULT_LEASE_MS, MIN_LEASE_MS);
  const livenessMs = integerIn(
    "livenessMs",
    options.livenessMs,
    Math.min(DEFAULT_LIVENESS_MS, leaseMs),
    100,
  );
  if (livenessMs > leaseMs) {
    throw new RangeError(
      `RedisBackend: livenessMs (${livenessMs}) must not exceed leaseMs (${leaseMs})`,
    );
  }
  return {
    url: checkUrl(options.url),
    keyPrefix,
    clock,
    leaseMs,
    livenessMs,
    connectTimeoutMs: integerIn(
      "connectTimeoutMs",
      options.connectTimeoutMs,
      DEFAULT_CONNECT_TIMEOUT_MS,
      1,
    ),
    commandTimeoutMs: integerIn(
      "commandTimeoutMs",
      options.commandTimeoutMs,
      DEFAULT_COMMAND_TIMEOUT_MS,
      1,
    ),
    outageGraceMs: integerIn("outageGraceMs", options.outageGraceMs, DEFAULT_OUTAGE_GRACE_MS, 0),
    onError: callback("onError", options.onError, () => {}),
    onOutage: callback("onOutage", options.onOutage, () => {}),
  };
}

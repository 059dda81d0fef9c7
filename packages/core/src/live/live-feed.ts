import type { LiveCommand, LiveEvent, LiveSnapshot } from "./live-state.js";

/** Whether a feed's subscription currently receives events. */
export type LiveFeedStatus =
  /** Connected: every change is delivered. */
  | { readonly state: "live"; readonly since: number }
  /**
   * The connection to the source is lost and being re-made; events of the
   * gap are lost. When it is `live` again, take a fresh {@link LiveFeed.snapshot}.
   */
  | { readonly state: "reconnecting"; readonly since: number };

/** Options of {@link LiveFeed.subscribe}. */
export interface LiveSubscribeOptions {
  /** Told when the subscription goes `reconnecting` and `live` again (never twice the same). */
  readonly onStatus?: (status: LiveFeedStatus) => void;
}

/**
 * Where the wall-board's live state comes from. Subscribe first, then take
 * a snapshot, then apply every event to it with `applyLiveEvent`: events
 * that the snapshot already holds change nothing, so no change is missed
 * and none is counted twice. After a `reconnecting` status, take a fresh
 * snapshot once `live` again.
 *
 * Implementations:
 * - `InMemoryLiveFeed` (this module): one process; the worker's own hub,
 *   and a fake for tests.
 * - `RedisLiveFeed` (`@ringflow/core/redis`): with `REDIS_URL`, workers
 *   store each queue's and agent's latest state in Redis and publish every
 *   event on the channel `<REDIS_KEY_PREFIX>live:events`.
 * - `HttpLiveFeed` (`@ringflow/core/redis`): without Redis (one worker,
 *   queues in its memory), the worker's HTTP server serves
 *   `GET /live/snapshot` ({@link LiveSnapshot} JSON) and `GET /live/events`
 *   (server-sent events, one `LiveEvent` JSON per `data:` line).
 *
 * `openLiveFeed` (`@ringflow/core/redis`) picks one from the environment.
 */
export interface LiveFeed {
  /** The whole live state now. */
  snapshot(): Promise<LiveSnapshot>;
  /**
   * Calls `listener` with every event from now on, until the returned
   * function is called. Resolves once subscribed (events after that are
   * delivered).
   */
  subscribe(
    listener: (event: LiveEvent) => void,
    options?: LiveSubscribeOptions,
  ): Promise<() => void>;
  /** Ends every subscription and closes connections. */
  close(): Promise<void>;
}

/**
 * Sends supervisors' changes to every running worker: with Redis on the
 * channel `<REDIS_KEY_PREFIX>live:commands`, without it by
 * `POST /live/commands` (a {@link LiveCommand} JSON body) to the worker.
 * Write the setting to the database first (a worker started later reads it
 * there); then send the command so running workers apply it at once.
 */
export interface LiveCommandSender {
  /** Resolves once sent; rejects when no worker could be told (the database still holds it). */
  send(command: LiveCommand): Promise<void>;
  close(): Promise<void>;
}

/** Paths of the worker's live endpoints (on its HTTP server, `HTTP_PORT`). */
export const LIVE_HTTP_PATHS = {
  snapshot: "/live/snapshot",
  events: "/live/events",
  commands: "/live/commands",
} as const;

/** Redis channel names under a key prefix (e.g. `ringflow:`). */
export function liveChannels(keyPrefix: string): {
  readonly events: string;
  readonly commands: string;
} {
  return { events: `${keyPrefix}live:events`, commands: `${keyPrefix}live:commands` };
}

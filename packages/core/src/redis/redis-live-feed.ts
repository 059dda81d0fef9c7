import {
  type LiveEvent,
  type LiveFeed,
  type LiveFeedStatus,
  type LiveSnapshot,
  type LiveSubscribeOptions,
  liveAgentSchema,
  liveChannels,
  liveEventSchema,
  liveQueueSchema,
} from "../live/index.js";
import { liveKeys } from "./live-store.js";
import { createRedisClient, type RedisClient, type RedisTarget } from "./redis-connection.js";

/** Options of {@link RedisLiveFeed}. */
export interface RedisLiveFeedOptions {
  readonly url: RedisTarget;
  /** The workers' `REDIS_KEY_PREFIX` (default `ringflow:`). */
  readonly keyPrefix?: string;
  readonly connectionName?: string;
  /** Receives connection errors and malformed messages (default: `console.error`). */
  readonly onError?: (error: unknown) => void;
  /** Default `Date.now`. */
  readonly now?: () => number;
}

/**
 * The {@link LiveFeed} of workers sharing Redis: the snapshot is read from
 * `<prefix>{live}:queues` and `<prefix>{live}:agents`, events arrive on
 * `<prefix>live:events` (see `RedisLiveStore`). One subscriber connection
 * serves every subscription; when it drops, subscribers are told
 * `reconnecting`, then `live` once it is back (take a fresh snapshot then).
 */
export class RedisLiveFeed implements LiveFeed {
  private readonly reader: RedisClient;
  private subscriber: RedisClient | null = null;
  private subscribing: Promise<RedisClient> | null = null;
  private readonly keys: { readonly queues: string; readonly agents: string };
  private readonly channel: string;
  private readonly onError: (error: unknown) => void;
  private readonly now: () => number;
  private readonly listeners = new Set<{
    readonly listener: (event: LiveEvent) => void;
    readonly onStatus: ((status: LiveFeedStatus) => void) | undefined;
  }>();
  private status: LiveFeedStatus["state"] = "reconnecting";

  constructor(private readonly options: RedisLiveFeedOptions) {
    const prefix = options.keyPrefix ?? "ringflow:";
    this.keys = liveKeys(prefix);
    this.channel = liveChannels(prefix).events;
    this.onError = options.onError ?? ((error) => console.error("RedisLiveFeed:", error));
    this.now = options.now ?? Date.now;
    this.reader = createRedisClient(options.url, {
      maxRetriesPerRequest: 1,
      ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    });
    this.reader.on("error", this.onError);
  }

  async snapshot(): Promise<LiveSnapshot> {
    const [queues, agents] = await Promise.all([
      this.reader.hgetall(this.keys.queues),
      this.reader.hgetall(this.keys.agents),
    ]);
    const parse = <T>(values: Record<string, string>, schema: { parse(value: unknown): T }) =>
      Object.values(values).flatMap((text) => {
        try {
          return [schema.parse(JSON.parse(text))];
        } catch (error) {
          this.onError(error);
          return [];
        }
      });
    const byKey =
      <T>(key: (value: T) => string) =>
      (a: T, b: T) =>
        key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    return {
      at: this.now(),
      queues: parse(queues, liveQueueSchema).sort(byKey((q) => q.queueId)),
      agents: parse(agents, liveAgentSchema).sort(byKey((a) => a.id)),
    };
  }

  async subscribe(
    listener: (event: LiveEvent) => void,
    options: LiveSubscribeOptions = {},
  ): Promise<() => void> {
    const entry = { listener, onStatus: options.onStatus };
    await this.connect();
    this.listeners.add(entry);
    entry.onStatus?.({ state: this.status, since: this.now() });
    return () => {
      this.listeners.delete(entry);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
    this.subscriber?.disconnect();
    this.reader.disconnect();
  }

  private connect(): Promise<RedisClient> {
    this.subscribing ??= (async () => {
      const subscriber = createRedisClient(this.options.url, {
        ...(this.options.connectionName
          ? { connectionName: `${this.options.connectionName}:events` }
          : {}),
      });
      subscriber.on("error", this.onError);
      subscriber.on("message", (channel: string, message: string) => {
        if (channel !== this.channel) return;
        let event: LiveEvent;
        try {
          event = liveEventSchema.parse(JSON.parse(message));
        } catch (error) {
          this.onError(error);
          return;
        }
        for (const { listener } of [...this.listeners]) {
          try {
            listener(event);
          } catch (error) {
            this.onError(error);
          }
        }
      });
      subscriber.on("close", () => this.setStatus("reconnecting"));
      await subscriber.subscribe(this.channel);
      // ioredis subscribes again on every reconnection before "ready".
      subscriber.on("ready", () => this.setStatus("live"));
      this.subscriber = subscriber;
      this.setStatus("live");
      return subscriber;
    })();
    return this.subscribing;
  }

  private setStatus(state: LiveFeedStatus["state"]): void {
    if (this.status === state) return;
    this.status = state;
    const status = { state, since: this.now() } as LiveFeedStatus;
    for (const { onStatus } of [...this.listeners]) onStatus?.(status);
  }
}

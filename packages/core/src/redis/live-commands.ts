import { Cluster } from "ioredis";
import {
  type LiveCommand,
  type LiveCommandSender,
  type LiveFeed,
  liveChannels,
  liveCommandSchema,
} from "../live/index.js";
import { HttpLiveCommands, HttpLiveFeed } from "./http-live-feed.js";
import { createRedisClient, type RedisClient, type RedisTarget } from "./redis-connection.js";
import { RedisLiveFeed } from "./redis-live-feed.js";

/** Where a web process finds the live feed: Redis when the workers share it, else the worker's HTTP. */
export interface LiveConnectionOptions {
  /** The workers' Redis (`REDIS_URL`, `REDIS_KEY_PREFIX`), or `null` without Redis. */
  readonly redis: { readonly url: RedisTarget; readonly keyPrefix?: string } | null;
  /** Without Redis: the worker's HTTP address (`WORKER_HTTP_URL`, default `http://127.0.0.1:9464`). */
  readonly workerUrl?: string;
  /** The worker's `LIVE_TOKEN`, if it has one (HTTP only). */
  readonly token?: string;
  readonly onError?: (error: unknown) => void;
}

/** The default address of the worker's HTTP server (its default `HTTP_PORT`). */
export const DEFAULT_WORKER_HTTP_URL = "http://127.0.0.1:9464";

/** The live feed for `options`: a {@link RedisLiveFeed} or an {@link HttpLiveFeed}. */
export function openLiveFeed(options: LiveConnectionOptions): LiveFeed {
  if (options.redis) {
    return new RedisLiveFeed({
      url: options.redis.url,
      ...(options.redis.keyPrefix ? { keyPrefix: options.redis.keyPrefix } : {}),
      connectionName: "ringflow-live-feed",
      ...(options.onError ? { onError: options.onError } : {}),
    });
  }
  return new HttpLiveFeed({
    url: options.workerUrl ?? DEFAULT_WORKER_HTTP_URL,
    ...(options.token ? { token: options.token } : {}),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}

/** The command sender for `options`: Redis pub/sub or the worker's `POST /live/commands`. */
export function openLiveCommands(options: LiveConnectionOptions): LiveCommandSender {
  if (options.redis) return new RedisLiveCommands(options.redis);
  return new HttpLiveCommands({
    url: options.workerUrl ?? DEFAULT_WORKER_HTTP_URL,
    ...(options.token ? { token: options.token } : {}),
  });
}

/** Publishes {@link LiveCommand}s on `<prefix>live:commands`; rejects if no worker listens. */
export class RedisLiveCommands implements LiveCommandSender {
  private readonly redis: RedisClient;
  private readonly channel: string;

  constructor(options: { readonly url: RedisTarget; readonly keyPrefix?: string }) {
    this.channel = liveChannels(options.keyPrefix ?? "ringflow:").commands;
    this.redis = createRedisClient(options.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.redis.on("error", () => {});
  }

  async send(command: LiveCommand): Promise<void> {
    const receivers = await this.redis.publish(this.channel, JSON.stringify(command));
    if (receivers > 0) return;
    // On a Cluster PUBLISH counts the subscribers of the node it ran on only
    // (the message still reaches every node's): ask every node.
    if (this.redis instanceof Cluster && (await subscribersOn(this.redis, this.channel)) > 0)
      return;
    throw new Error("no worker is listening for live commands");
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** Subscribers of `channel` on every node of `cluster` (PUBSUB NUMSUB on each). */
async function subscribersOn(cluster: Cluster, channel: string): Promise<number> {
  const replies = await Promise.all(
    cluster.nodes("all").map((node) => node.pubsub("NUMSUB", channel) as Promise<unknown[]>),
  );
  return replies.reduce<number>((sum, reply) => sum + Number(reply[1] ?? 0), 0);
}

/** A worker's subscription to `<prefix>live:commands`. */
export interface LiveCommandsSubscription {
  close(): Promise<void>;
}

/** Calls `onCommand` with every {@link LiveCommand} published for the workers. */
export async function subscribeLiveCommands(options: {
  readonly url: RedisTarget;
  readonly keyPrefix?: string;
  readonly connectionName?: string;
  readonly onCommand: (command: LiveCommand) => void;
  readonly onInvalid?: (message: string, error: unknown) => void;
  readonly onError?: (error: unknown) => void;
}): Promise<LiveCommandsSubscription> {
  const channel = liveChannels(options.keyPrefix ?? "ringflow:").commands;
  const redis = createRedisClient(options.url, {
    ...(options.connectionName ? { connectionName: options.connectionName } : {}),
  });
  redis.on("error", options.onError ?? (() => {}));
  redis.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    let command: LiveCommand;
    try {
      command = liveCommandSchema.parse(JSON.parse(message));
    } catch (error) {
      options.onInvalid?.(message, error);
      return;
    }
    options.onCommand(command);
  });
  await redis.subscribe(channel);
  return {
    async close() {
      redis.disconnect();
    },
  };
}

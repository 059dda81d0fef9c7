import { z } from "zod";
import type { FlowAnnouncer, FlowPublished } from "../flow/publish-check.js";
import { createRedisClient, type RedisClient, type RedisTarget } from "./redis-connection.js";

/**
 * Publish announcements through Redis: `PUBLISH <prefix>flows:published
 * <json>`. The message is only a nudge — workers re-read the routes from the
 * database, which stays the truth — so a lost message costs at most one poll
 * interval.
 */
const flowPublishedSchema: z.ZodType<FlowPublished> = z.object({
  flowId: z.string().min(1),
  versionId: z.string().min(1).optional(),
  version: z.number().int().positive().optional(),
});

/** The channel publishes are announced on. */
export function flowAnnouncementsChannel(keyPrefix: string): string {
  return `${keyPrefix}flows:published`;
}

/** Options of {@link RedisFlowAnnouncer}. */
export interface RedisFlowAnnouncerOptions {
  readonly url: RedisTarget;
  /** Prefix of the channel (default `ringflow:`), as the workers use. */
  readonly keyPrefix?: string;
  /** Names the connection in `CLIENT LIST`. */
  readonly connectionName?: string;
  /** Receives connection errors and announcements that could not be sent (default: `console.error`). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A {@link FlowAnnouncer} over Redis pub/sub, on a connection of its own
 * (opened on first use). Give it to `createDb({ announcer })` so that every
 * publish reaches the workers at once.
 */
export class RedisFlowAnnouncer implements FlowAnnouncer {
  private readonly redis: RedisClient;
  private readonly channel: string;
  private readonly onError: (error: unknown) => void;

  constructor(options: RedisFlowAnnouncerOptions) {
    this.channel = flowAnnouncementsChannel(options.keyPrefix ?? "ringflow:");
    this.onError = options.onError ?? ((error) => console.error(error));
    this.redis = createRedisClient(options.url, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    });
    this.redis.on("error", this.onError);
  }

  /** Sends the announcement; failures go to `onError` (workers still poll). */
  async announce(notice: FlowPublished): Promise<void> {
    try {
      await this.redis.publish(this.channel, JSON.stringify(notice));
    } catch (error) {
      this.onError(error);
    }
  }

  /** Closes the connection. */
  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

/** A live subscription to publish announcements. */
export interface FlowAnnouncementsSubscription {
  close(): Promise<void>;
}

/**
 * Subscribes to publish announcements on a connection of its own.
 * `onUpdate` runs for every announcement and after every reconnection (with
 * `null`), since announcements made while the connection was down are lost.
 */
export async function subscribeFlowAnnouncements(options: {
  readonly url: RedisTarget;
  readonly keyPrefix: string;
  readonly connectionName: string;
  readonly onUpdate: (notice: FlowPublished | null) => void;
  readonly onInvalid: (message: string, error: unknown) => void;
  readonly onError: (error: unknown) => void;
}): Promise<FlowAnnouncementsSubscription> {
  const channel = flowAnnouncementsChannel(options.keyPrefix);
  const redis = createRedisClient(options.url, {
    connectionName: options.connectionName,
    lazyConnect: true,
    maxRetriesPerRequest: null,
  });
  redis.on("error", options.onError);
  let connectedOnce = false;
  redis.on("ready", () => {
    // ioredis re-subscribes by itself on reconnection; catch up on what was missed.
    if (connectedOnce) options.onUpdate(null);
    connectedOnce = true;
  });
  redis.on("message", (from: string, message: string) => {
    if (from !== channel) return;
    let notice: FlowPublished | null = null;
    try {
      notice = flowPublishedSchema.parse(JSON.parse(message));
    } catch (error) {
      options.onInvalid(message, error);
    }
    options.onUpdate(notice);
  });
  await redis.connect();
  await redis.subscribe(channel);
  return {
    async close() {
      redis.disconnect();
    },
  };
}

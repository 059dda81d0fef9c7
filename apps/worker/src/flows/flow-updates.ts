import { Redis } from "ioredis";
import { z } from "zod";

/**
 * Announces a publish to every worker sharing Redis: `PUBLISH
 * <prefix>flows:published <json>`. The message is only a nudge — workers
 * re-read the routes from the database, which stays the truth — so a lost
 * message costs at most one poll interval.
 */
export const flowPublishedSchema = z.object({
  flowId: z.string().min(1),
  versionId: z.string().min(1).optional(),
  version: z.number().int().positive().optional(),
});

/** What a publish announcement carries. */
export type FlowPublished = z.infer<typeof flowPublishedSchema>;

/** The channel publishes are announced on. */
export function flowUpdatesChannel(keyPrefix: string): string {
  return `${keyPrefix}flows:published`;
}

/**
 * Tells running workers that `notice.flowId` has a new published version
 * (call it after `db.versions.publish`). Resolves with how many workers
 * were listening.
 */
export async function announceFlowPublished(
  redis: Redis,
  keyPrefix: string,
  notice: FlowPublished,
): Promise<number> {
  return redis.publish(flowUpdatesChannel(keyPrefix), JSON.stringify(notice));
}

/** A live subscription to publish announcements. */
export interface FlowUpdatesSubscription {
  close(): Promise<void>;
}

/**
 * Subscribes to publish announcements on a connection of its own.
 * `onUpdate` runs for every announcement and after every (re)connection,
 * since announcements made while the connection was down are lost.
 */
export async function subscribeFlowUpdates(options: {
  readonly url: string;
  readonly keyPrefix: string;
  readonly connectionName: string;
  readonly onUpdate: (notice: FlowPublished | null) => void;
  readonly onInvalid: (message: string, error: unknown) => void;
  readonly onError: (error: unknown) => void;
}): Promise<FlowUpdatesSubscription> {
  const channel = flowUpdatesChannel(options.keyPrefix);
  const redis = new Redis(options.url, {
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

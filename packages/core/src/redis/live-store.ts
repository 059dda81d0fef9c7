import { type LiveEvent, liveChannels } from "../live/index.js";
import { LuaScript, lazyScripts } from "./lua-script.js";
import { createRedisClient, type RedisClient, type RedisTarget } from "./redis-connection.js";

const scripts = lazyScripts(() => ({
  put: LuaScript.of("live/put.lua"),
  publish: LuaScript.of("live/publish.lua"),
}));

/** What a worker knows of one of its callers that the queue backend does not keep. */
export interface LiveCallerInfo {
  readonly callerNumber: string | null;
  readonly vip: boolean;
  /** The estimate given when the caller joined (ms); `null` if none. */
  readonly estimateMs: number | null;
}

/** How long a caller's details outlive a worker that died without removing them. */
const CALLER_TTL_S = 24 * 3600;

/** Options of {@link RedisLiveStore}. */
export interface RedisLiveStoreOptions {
  readonly url: RedisTarget;
  /** Prefix of every key and channel (default `ringflow:`), as the workers use. */
  readonly keyPrefix?: string;
  readonly connectionName?: string;
  /** Receives connection errors (default: `console.error`). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The workers' side of the live feed through Redis: each `queue` / `agent`
 * state is kept in `<prefix>{live}:queues` / `<prefix>{live}:agents` (field =
 * id, value = JSON) only if newer than the one held, and its event is
 * published on `<prefix>live:events` in the same script (live/put.lua).
 * Callers' details (number, VIP, estimate at entry) are kept per call in
 * `<prefix>{live}:caller:<uuid>` so any worker can list another's callers.
 * `RedisLiveFeed` reads what this writes.
 */
export class RedisLiveStore {
  private readonly redis: RedisClient;
  private readonly prefix: string;

  constructor(options: RedisLiveStoreOptions) {
    this.prefix = options.keyPrefix ?? "ringflow:";
    this.redis = createRedisClient(options.url, {
      maxRetriesPerRequest: 1,
      ...(options.connectionName ? { connectionName: options.connectionName } : {}),
    });
    this.redis.on("error", options.onError ?? ((error) => console.error(error)));
  }

  /** Stores and publishes `event`; false when a newer state was already held. `callEnded` and `callbacksChanged` are only published. */
  async publish(event: LiveEvent): Promise<boolean> {
    const channel = liveChannels(this.prefix).events;
    const json = JSON.stringify(event);
    switch (event.type) {
      case "queue":
        return this.put(
          this.queuesKey,
          event.queue.queueId,
          event.queue.at,
          JSON.stringify(event.queue),
          json,
        );
      case "agent":
        return this.put(
          this.agentsKey,
          event.agent.id,
          event.agent.at,
          JSON.stringify(event.agent),
          json,
        );
      case "agentRemoved":
        return this.put(this.agentsKey, event.agentId, event.at, "", json);
      case "callEnded":
      case "callbacksChanged":
        // Through a script on the {live} slot, so it leaves the node the
        // states leave from, after them (see live/publish.lua).
        await scripts().publish.run(this.redis, [this.queuesKey], [channel, json]);
        return true;
    }
  }

  /** Keeps a waiting caller's details for every worker's view of the line. */
  async putCaller(callUuid: string, info: LiveCallerInfo): Promise<void> {
    await this.redis.set(this.callerKey(callUuid), JSON.stringify(info), "EX", CALLER_TTL_S);
  }

  async removeCaller(callUuid: string): Promise<void> {
    await this.redis.del(this.callerKey(callUuid));
  }

  /** The details of each of `callUuids` (`null` where none are kept), in order. */
  async callers(callUuids: readonly string[]): Promise<(LiveCallerInfo | null)[]> {
    if (callUuids.length === 0) return [];
    const values = await this.redis.mget(...callUuids.map((uuid) => this.callerKey(uuid)));
    return values.map((value) => {
      if (value === null) return null;
      try {
        return JSON.parse(value) as LiveCallerInfo;
      } catch {
        return null;
      }
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }

  private async put(key: string, field: string, at: number, state: string, event: string) {
    const reply = await scripts().put.run(
      this.redis,
      [key],
      [field, at, state, liveChannels(this.prefix).events, event],
    );
    return reply === 1;
  }

  private get queuesKey() {
    return liveKeys(this.prefix).queues;
  }

  private get agentsKey() {
    return liveKeys(this.prefix).agents;
  }

  private callerKey(uuid: string) {
    return liveKeys(this.prefix).caller(uuid);
  }
}

/** The keys of the live feed under one prefix (see {@link liveKeys}). */
export interface LiveKeys {
  /** Hash: queue id -> its live state as JSON. */
  readonly queues: string;
  /** Hash: agent id -> its live state as JSON. */
  readonly agents: string;
  /** One caller's details (`LiveCallerInfo`), with a time to live. */
  caller(callUuid: string): string;
}

/**
 * The keys {@link RedisLiveStore} writes under `keyPrefix` (for readers).
 * Every key carries the `{live}` hash tag, so on a Redis Cluster one MGET
 * reads several callers at once.
 */
export function liveKeys(keyPrefix: string): LiveKeys {
  const base = `${keyPrefix}{live}:`;
  return {
    queues: `${base}queues`,
    agents: `${base}agents`,
    caller: (callUuid) => `${base}caller:${callUuid}`,
  };
}

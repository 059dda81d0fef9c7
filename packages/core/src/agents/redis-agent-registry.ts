import { type Clock, systemClock, type TimerHandle } from "../clock.js";
import { LeaseKeeper } from "../redis/lease-keeper.js";
import { LuaScript, lazyScripts } from "../redis/lua-script.js";
import {
  createRedisClient,
  type RedisClient,
  type RedisTarget,
} from "../redis/redis-connection.js";
import {
  type AgentClaim,
  type AgentConfig,
  type AgentEvent,
  type AgentListFilter,
  type AgentRegistry,
  type AgentRingResult,
  type AgentSnapshot,
  type AgentStatus,
  agentEventSchema,
  agentStateSchema,
  agentStatusSchema,
  type ChannelObservation,
} from "./agent.js";
import { AgentContactTakenError, UnknownAgentError } from "./errors.js";
import { agentHashSchema, toSnapshot } from "./redis-agent-snapshot.js";

const prelude = "agents/prelude.lua";
/** The registry's scripts (exported for their tests). */
export const agentScripts = lazyScripts(() => ({
  upsert: LuaScript.of("agents/upsert.lua"),
  remove: LuaScript.of("agents/remove.lua"),
  setStatus: LuaScript.of("agents/set-status.lua", prelude),
  claim: LuaScript.of("agents/claim.lua", prelude),
  ringEnded: LuaScript.of("agents/ring-ended.lua", prelude),
  channel: LuaScript.of("agents/channel.lua", prelude),
  settle: LuaScript.of("agents/settle.lua", prelude),
}));

/** The registry's keys under one prefix (see {@link agentKeys}). */
export interface AgentKeys {
  /** Set of every agent id. */
  readonly ids: string;
  /** Hash: contact -> agent id. */
  readonly contacts: string;
  /** An agent's hash. */
  agent(agentId: string): string;
  /** An agent's lease sorted set. */
  leases(agentId: string): string;
}

/**
 * Where the registry keeps its agents under `prefix`. Every key carries the
 * `{agents}` hash tag, so on a Redis Cluster they share one slot and one
 * script may touch the id set, the contacts and an agent's keys together
 * (upsert.lua, remove.lua).
 */
export function agentKeys(prefix: string): AgentKeys {
  const base = `${prefix}{agents}:`;
  return {
    ids: `${base}ids`,
    contacts: `${base}contacts`,
    agent: (agentId) => `${base}agent:${agentId}`,
    leases: (agentId) => `${base}agent:${agentId}:leases`,
  };
}

/** Options of {@link RedisAgentRegistry}. */
export interface RedisAgentRegistryOptions {
  /** Redis to connect to (default `redis://127.0.0.1:6379`). */
  readonly url?: RedisTarget;
  /** Prefix of every key and of the events channel (default `ringflow:`). */
  readonly keyPrefix?: string;
  /**
   * How long an offer or call outlives the worker that recorded it (default
   * 30 s); renewed every third of this while the worker lives.
   */
  readonly leaseMs?: number;
  readonly clock?: Clock;
  /** Receives background failures and malformed events (default: `console.error`). */
  readonly onError?: (error: unknown) => void;
}

/**
 * An {@link AgentRegistry} shared by every worker through Redis.
 *
 * Each change is one Lua script that also publishes its events on
 * `<prefix>agents:events`, so every subscriber sees them in the order they
 * happened. Offers and calls are leases renewed by the worker that made them:
 * if it dies they lapse, and the agent reads as Idle again once the lease
 * has expired (the `stateChanged` event for that comes with the next change
 * to the agent). Wrap-up ends on the timer of the worker that started it.
 *
 * Keys: see {@link agentKeys}; events on `<prefix>agents:events`.
 */
export class RedisAgentRegistry implements AgentRegistry {
  private readonly scripts = agentScripts();
  private readonly redis: RedisClient;
  private readonly prefix: string;
  private readonly keys: AgentKeys;
  private readonly leaseMs: number;
  private readonly clock: Clock;
  private readonly onError: (error: unknown) => void;
  private readonly keeper: LeaseKeeper;
  private readonly listeners = new Set<(event: AgentEvent) => void>();
  private readonly wrapUpTimers = new Map<string, TimerHandle>();
  private subscriber: Promise<RedisClient> | null = null;

  constructor(options: RedisAgentRegistryOptions = {}) {
    this.redis = createRedisClient(options.url ?? "redis://127.0.0.1:6379");
    this.prefix = options.keyPrefix ?? "ringflow:";
    this.keys = agentKeys(this.prefix);
    this.leaseMs = options.leaseMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
    this.onError = options.onError ?? ((error) => console.error("RedisAgentRegistry:", error));
    // Without a listener ioredis prints every failed reconnection to stderr.
    this.redis.on("error", this.onError);
    this.keeper = new LeaseKeeper({
      redis: this.redis,
      clock: this.clock,
      leaseMs: this.leaseMs,
      onError: this.onError,
    });
  }

  async upsert(agent: AgentConfig): Promise<void> {
    const reply = (await this.scripts.upsert.run(
      this.redis,
      [this.idsKey, this.contactsKey, this.agentKey(agent.id)],
      [
        this.clock.now(),
        agent.id,
        agent.contact,
        JSON.stringify(agent.groups ?? []),
        agent.wrapUpMs ?? 0,
        agent.maxNoAnswer ?? 0,
      ],
    )) as string[];
    if (reply[0] === "contactTaken") {
      throw new AgentContactTakenError(agent.contact, reply[1] as string);
    }
  }

  async remove(agentId: string): Promise<void> {
    this.keeper.dropKey(this.leasesKey(agentId));
    this.wrapUpTimers.get(agentId)?.cancel();
    this.wrapUpTimers.delete(agentId);
    await this.scripts.remove.run(
      this.redis,
      [this.idsKey, this.contactsKey, this.agentKey(agentId), this.leasesKey(agentId)],
      [agentId],
    );
  }

  async setStatus(agentId: string, status: AgentStatus): Promise<void> {
    const found = await this.scripts.setStatus.run(this.redis, this.keysOf(agentId), [
      this.clock.now(),
      agentId,
      status,
      this.eventsChannel,
    ]);
    if (found === 0) throw new UnknownAgentError(agentId);
  }

  async get(agentId: string): Promise<AgentSnapshot | null> {
    const [snapshot] = await this.read([agentId]);
    return snapshot ?? null;
  }

  async list(filter: AgentListFilter = {}): Promise<AgentSnapshot[]> {
    const ids = await this.redis.smembers(this.idsKey);
    const agents = await this.read(ids.sort());
    return filter.group === undefined
      ? agents
      : agents.filter((a) => a.groups.includes(filter.group as string));
  }

  async observeChannel(observation: ChannelObservation): Promise<boolean> {
    const agentId =
      "agentId" in observation
        ? observation.agentId
        : await this.redis.hget(this.contactsKey, observation.contact);
    if (agentId === null) return false;
    return this.channelChanged(agentId, observation.uuid, observation.up);
  }

  async subscribe(listener: (event: AgentEvent) => void): Promise<() => void> {
    this.subscriber ??= this.openSubscriber();
    await this.subscriber;
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async claim(request: { contact: string; uuid: string }): Promise<AgentClaim> {
    const agentId = await this.redis.hget(this.contactsKey, request.contact);
    if (agentId === null) return { claimed: false, agentId: null, reason: "notAnAgent" };
    const reply = (await this.scripts.claim.run(this.redis, this.keysOf(agentId), [
      this.clock.now(),
      agentId,
      request.contact,
      request.uuid,
      this.leaseMs,
      this.eventsChannel,
    ])) as string[];
    const [verdict, status, state] = reply;
    if (verdict === "unknown") return { claimed: false, agentId: null, reason: "notAnAgent" };
    if (verdict === "claimed") {
      this.keeper.hold(this.leasesKey(agentId), `r:${request.uuid}`);
      return { claimed: true, agentId };
    }
    return {
      claimed: false,
      agentId,
      reason: verdict === "busy" ? "busy" : "notAvailable",
      status: agentStatusSchema.parse(status),
      state: agentStateSchema.parse(state),
    };
  }

  async finishRinging(request: {
    agentId: string;
    uuid: string;
    result: AgentRingResult;
  }): Promise<void> {
    const key = this.leasesKey(request.agentId);
    this.keeper.drop(key, `r:${request.uuid}`);
    await this.scripts.ringEnded.run(this.redis, this.keysOf(request.agentId), [
      this.clock.now(),
      request.agentId,
      request.uuid,
      request.result,
      this.leaseMs,
      this.eventsChannel,
    ]);
    if (request.result === "answered") this.keeper.hold(key, `d:${request.uuid}`);
  }

  async endCall(request: { agentId: string; uuid: string }): Promise<void> {
    await this.channelChanged(request.agentId, request.uuid, false);
  }

  async close(): Promise<void> {
    this.keeper.stop();
    for (const timer of this.wrapUpTimers.values()) timer.cancel();
    this.wrapUpTimers.clear();
    this.listeners.clear();
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await (await subscriber).quit();
    await this.redis.quit();
  }

  private get idsKey(): string {
    return this.keys.ids;
  }

  private get contactsKey(): string {
    return this.keys.contacts;
  }

  private get eventsChannel(): string {
    return `${this.prefix}agents:events`;
  }

  private agentKey(agentId: string): string {
    return this.keys.agent(agentId);
  }

  private leasesKey(agentId: string): string {
    return this.keys.leases(agentId);
  }

  private keysOf(agentId: string): string[] {
    return [this.agentKey(agentId), this.leasesKey(agentId)];
  }

  private async channelChanged(agentId: string, uuid: string, up: boolean): Promise<boolean> {
    const key = this.leasesKey(agentId);
    if (!up) {
      this.keeper.drop(key, `o:${uuid}`);
      this.keeper.drop(key, `d:${uuid}`);
    }
    const reply = (await this.scripts.channel.run(this.redis, this.keysOf(agentId), [
      this.clock.now(),
      agentId,
      uuid,
      up ? "1" : "0",
      this.leaseMs,
      this.eventsChannel,
    ])) as string[];
    if (reply.length === 0) return false;
    const [added, wrapUpUntil] = reply;
    if (added) this.keeper.hold(key, added);
    if (wrapUpUntil) this.settleAt(agentId, Number(wrapUpUntil));
    return true;
  }

  /** Publishes the end of a wrap-up when it is due. */
  private settleAt(agentId: string, at: number): void {
    this.wrapUpTimers.get(agentId)?.cancel();
    const timer = this.clock.setTimeout(
      () => {
        this.wrapUpTimers.delete(agentId);
        this.scripts.settle
          .run(this.redis, this.keysOf(agentId), [this.clock.now(), agentId, this.eventsChannel])
          .catch(this.onError);
      },
      Math.max(0, at - this.clock.now()),
    );
    this.wrapUpTimers.set(agentId, timer);
  }

  private async openSubscriber(): Promise<RedisClient> {
    const subscriber = this.redis.duplicate();
    subscriber.on("error", this.onError);
    subscriber.on("message", (_channel: string, message: string) => this.deliver(message));
    await subscriber.subscribe(this.eventsChannel);
    return subscriber;
  }

  private deliver(message: string): void {
    let event: AgentEvent;
    try {
      event = agentEventSchema.parse(JSON.parse(message));
    } catch (error) {
      this.onError(new Error(`malformed agent event: ${message}`, { cause: error }));
      return;
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onError(error);
      }
    }
  }

  private async read(ids: readonly string[]): Promise<AgentSnapshot[]> {
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) {
      pipeline.hgetall(this.agentKey(id));
      pipeline.zrange(this.leasesKey(id), 0, -1, "WITHSCORES");
    }
    const results = (await pipeline.exec()) ?? [];
    const now = this.clock.now();
    const snapshots: AgentSnapshot[] = [];
    ids.forEach((_, i) => {
      const [hashError, hash] = results[2 * i] ?? [];
      const [leasesError, flat] = results[2 * i + 1] ?? [];
      if (hashError) throw hashError;
      if (leasesError) throw leasesError;
      const fields = hash as Record<string, string>;
      if (Object.keys(fields).length === 0) return; // removed meanwhile
      snapshots.push(toSnapshot(agentHashSchema.parse(fields), flat as string[], now));
    });
    return snapshots;
  }
}

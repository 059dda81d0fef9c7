import { type Clock, systemClock } from "../clock.js";
import { LeaseKeeper } from "../redis/lease-keeper.js";
import { LuaScript, lazyScripts } from "../redis/lua-script.js";
import {
  createRedisClient,
  type RedisClient,
  type RedisTarget,
} from "../redis/redis-connection.js";
import type { LoadBalancer, LoadReservation } from "./load-balancer.js";
import { unique } from "./pick-least-busy.js";

/** The balancer's scripts (exported for their tests). */
export const balancerScripts = lazyScripts(() => ({
  reserve: LuaScript.of("balancer/reserve.lua"),
  release: LuaScript.of("balancer/release.lua"),
}));

/** The balancer's keys under one prefix (see {@link balancerKeys}). */
export interface BalancerKeys {
  /** Hash: destination -> ms when its load last fell to zero. */
  readonly idle: string;
  /** Round-robin turn counter. */
  readonly turn: string;
  /** A destination's lease sorted set. */
  leases(destination: string): string;
}

/**
 * Where the balancer keeps its counts under `prefix`. Every key carries the
 * `{lb}` hash tag, so on a Redis Cluster they share one slot: reserve.lua
 * reads every candidate's leases with the idle hash in one step.
 */
export function balancerKeys(prefix: string): BalancerKeys {
  const base = `${prefix}{lb}:`;
  return {
    idle: `${base}idle`,
    turn: `${base}turn`,
    leases: (destination) => `${base}leases:${destination}`,
  };
}

/** Options of {@link RedisLoadBalancer}. */
export interface RedisLoadBalancerOptions {
  /** Redis to connect to (default `redis://127.0.0.1:6379`). */
  readonly url?: RedisTarget;
  /** Prefix of every key this balancer writes (default `ringflow:`). */
  readonly keyPrefix?: string;
  /**
   * How long a count outlives its worker (default 30 s). While the worker
   * lives it renews its counts every third of this; if it dies they expire.
   */
  readonly leaseMs?: number;
  /** "Now" for leases and idle times (default {@link systemClock}). */
  readonly clock?: Clock;
  /** Receives failures of background renewals and of the connection (default: `console.error`). */
  readonly onError?: (error: unknown) => void;
}

/**
 * A {@link LoadBalancer} shared by every worker through Redis.
 *
 * Each counted call is a lease (a member of the destination's sorted set,
 * scored by its expiry) renewed by the worker that holds it, so a worker
 * killed mid-call cannot leave an agent looking busy for ever. Picking and
 * counting happen in one Lua script, so two workers never both take the
 * same idle agent.
 *
 * Keys: see {@link balancerKeys}.
 */
export class RedisLoadBalancer implements LoadBalancer {
  private readonly scripts = balancerScripts();
  private readonly redis: RedisClient;
  private readonly keys: BalancerKeys;
  private readonly leaseMs: number;
  private readonly clock: Clock;
  private readonly keeper: LeaseKeeper;

  constructor(options: RedisLoadBalancerOptions = {}) {
    const onError = options.onError ?? ((error) => console.error("RedisLoadBalancer:", error));
    this.redis = createRedisClient(options.url ?? "redis://127.0.0.1:6379");
    // Without a listener ioredis prints every failed reconnection to stderr.
    this.redis.on("error", onError);
    this.keys = balancerKeys(options.keyPrefix ?? "ringflow:");
    this.leaseMs = options.leaseMs ?? 30_000;
    this.clock = options.clock ?? systemClock;
    this.keeper = new LeaseKeeper({
      redis: this.redis,
      clock: this.clock,
      leaseMs: this.leaseMs,
      onError,
    });
  }

  async reserveLeastBusy(candidates: readonly string[]): Promise<LoadReservation | null> {
    const destinations = unique(candidates);
    if (destinations.length === 0) return null;
    return this.run(destinations);
  }

  async reserve(destination: string): Promise<LoadReservation> {
    return this.run([destination]);
  }

  async load(destinations: readonly string[]): Promise<Map<string, number>> {
    const now = this.clock.now();
    const pipeline = this.redis.pipeline();
    for (const d of destinations) pipeline.zcount(this.leasesKey(d), `(${now}`, "+inf");
    const results = (await pipeline.exec()) ?? [];
    return new Map(
      destinations.map((d, i) => {
        const [error, count] = results[i] ?? [new Error("missing pipeline reply"), 0];
        if (error) throw error;
        return [d, Number(count)];
      }),
    );
  }

  async close(): Promise<void> {
    this.keeper.stop();
    await this.redis.quit();
  }

  private leasesKey(destination: string): string {
    return this.keys.leases(destination);
  }

  private async run(destinations: readonly string[]): Promise<LoadReservation> {
    const leaseId = crypto.randomUUID();
    const reply = await this.scripts.reserve.run(
      this.redis,
      [this.keys.idle, this.keys.turn, ...destinations.map((d) => this.leasesKey(d))],
      [this.clock.now(), this.leaseMs, leaseId, ...destinations],
    );
    const [index, previousLoad] = reply as [number, number];
    const destination = destinations[index - 1] as string;
    const key = this.leasesKey(destination);
    this.keeper.hold(key, leaseId);
    let released = false;
    return {
      destination,
      previousLoad,
      release: async () => {
        if (released) return;
        released = true;
        this.keeper.drop(key, leaseId);
        await this.scripts.release.run(
          this.redis,
          [key, this.keys.idle],
          [this.clock.now(), leaseId, destination],
        );
      },
    };
  }
}

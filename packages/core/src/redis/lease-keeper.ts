import type { Clock, TimerHandle } from "../clock.js";
import type { RedisClient } from "./redis-connection.js";

/** Options of {@link LeaseKeeper}. */
export interface LeaseKeeperOptions {
  readonly redis: RedisClient;
  readonly clock: Clock;
  /** How long a lease lives without renewal; renewed every third of it. */
  readonly leaseMs: number;
  /** Receives renewal failures (the lease then lives on until it expires). */
  readonly onError: (error: unknown) => void;
}

/**
 * Keeps this process's leases alive: members of sorted sets whose score is
 * the time they expire. While the process lives it pushes their expiry
 * forward; once it dies they lapse and the next script that reads them
 * drops them, so a killed worker cannot hold an agent or a load count forever.
 *
 * Renewal uses `ZADD XX`: a lease that is already gone (released, or expired
 * during a stall) is never brought back, so a renewal racing a release cannot
 * resurrect it.
 */
export class LeaseKeeper {
  private readonly held = new Map<string, { readonly key: string; readonly member: string }>();
  private timer: TimerHandle | null = null;

  constructor(private readonly options: LeaseKeeperOptions) {}

  /** Starts renewing `member` of the sorted set at `key`. */
  hold(key: string, member: string): void {
    this.held.set(`${key}\u0000${member}`, { key, member });
    this.timer ??= this.options.clock.setTimeout(() => this.renew(), this.options.leaseMs / 3);
  }

  /** Stops renewing `member` of `key` (call before the command that removes it). */
  drop(key: string, member: string): void {
    this.held.delete(`${key}\u0000${member}`);
    if (this.held.size === 0) this.stop();
  }

  /** Stops renewing every member of `key` (the key is being deleted). */
  dropKey(key: string): void {
    for (const [id, lease] of this.held) if (lease.key === key) this.held.delete(id);
    if (this.held.size === 0) this.stop();
  }

  /** Number of leases being renewed. */
  get size(): number {
    return this.held.size;
  }

  /** Stops renewing everything; the leases then expire on their own. */
  stop(): void {
    this.timer?.cancel();
    this.timer = null;
  }

  private renew(): void {
    this.timer = null;
    if (this.held.size === 0) return;
    const { redis, clock, leaseMs, onError } = this.options;
    const expiresAt = clock.now() + leaseMs;
    const pipeline = redis.pipeline();
    for (const { key, member } of this.held.values()) pipeline.zadd(key, "XX", expiresAt, member);
    pipeline.exec().then((results) => {
      for (const [error] of results ?? []) if (error) onError(error);
    }, onError);
    this.timer = clock.setTimeout(() => this.renew(), leaseMs / 3);
  }
}

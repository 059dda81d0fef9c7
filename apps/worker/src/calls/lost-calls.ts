import { type Clock, systemClock, type TimerHandle } from "@ringflow/core";
import type { RedisClient } from "@ringflow/core/redis";
import type { CallsRepository } from "@ringflow/db";
import type { Logger } from "../logger.js";
import { repeatEvery } from "../repeat-every.js";

/** Options of {@link LostCalls}. */
export interface LostCallsOptions {
  readonly workerId: string;
  readonly calls: Pick<CallsRepository, "openWorkerIds" | "closeLost" | "saveBatch">;
  /** Shared with the other workers; `null`: this is the only worker. */
  readonly redis: { readonly client: RedisClient; readonly keyPrefix: string } | null;
  /** How long a worker counts as alive after it last said so. */
  readonly livenessMs: number;
  readonly log: Logger;
  /** The switch, to end the calls a dead worker left parked with nobody in control. */
  readonly switchboard?: LostCallSwitchboard;
  /**
   * Times the sweeps, liveness and parked-call checks, and stamps the
   * records it closes (default `systemClock`). Liveness in Redis is this
   * clock's epoch ms: the workers sharing a prefix need clocks that agree.
   */
  readonly clock?: Clock;
}

/** What {@link LostCalls} asks of the switch. */
export interface LostCallSwitchboard {
  /** Every channel's state (`CS_PARK`, `CS_EXECUTE`...), by uuid. */
  channelStates(): Promise<Map<string, string>>;
  hangup(uuid: string): Promise<void>;
}

/** How long the calls of a dead worker are watched for being left parked. */
const PARKED_WATCH_MS = 10 * 60_000;

/** The sorted set of calls of dead workers watched for being left parked: uuid → watched until (ms). */
export function orphansKey(keyPrefix: string): string {
  return `${keyPrefix}orphans`;
}

/** The sorted set of live workers: worker id → alive until (ms). */
export function workersKey(keyPrefix: string): string {
  return `${keyPrefix}workers`;
}

/**
 * Closes the call records that a dead worker left open, so that every call
 * ends with an outcome even when the worker running it was killed.
 *
 * At start-up (before taking calls) a worker closes its own open records,
 * left by its previous run under the same `WORKER_ID`; without Redis it is
 * the only worker, so it closes every open record. With Redis, each worker
 * says it is alive in `<prefix>workers` every fifth of `livenessMs`, and
 * every half of it closes the open records of workers that are not alive:
 * whose last word has run out, or who have been missing from the set for a
 * whole `livenessMs` (after Redis lost its data, live workers are back in
 * it within a fifth of that).
 * A worker that stops cleanly takes itself out of the set. Each record is
 * closed as `workerLost`, at the time it was closed, with a trace note
 * naming the lost worker and the one that closed it.
 */
export class LostCalls {
  private timers: TimerHandle[] = [];
  private sweeping = false;
  /** Workers with open records that are not in the set of live workers, since when. */
  private readonly missingSince = new Map<string, number>();
  /** Without Redis: calls of dead workers that may yet be left parked, with when to stop watching. */
  private readonly orphaned = new Map<string, number>();
  private parkedTimer: TimerHandle | undefined;
  private readonly clock: Clock;

  constructor(private readonly options: LostCallsOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Closes what earlier runs left open, says this worker is alive, and starts the sweeps. */
  async start(): Promise<void> {
    const { redis, workerId, calls, livenessMs } = this.options;
    const lost = redis ? [workerId] : await calls.openWorkerIds();
    for (const id of lost) await this.close(id);
    if (!redis) return;
    await this.renew();
    // Calls other workers left to watch (their watcher may have died since).
    this.startParkedWatch();
    this.every(Math.max(100, Math.floor(livenessMs / 5)), () => this.renew());
    this.every(Math.max(100, Math.floor(livenessMs / 2)), () => this.sweep());
  }

  /** Stops the sweeps and says this worker is gone (its calls are over). */
  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) timer.cancel();
    this.parkedTimer?.cancel();
    this.parkedTimer = undefined;
    const { redis, workerId } = this.options;
    await redis?.client.zrem(workersKey(redis.keyPrefix), workerId).catch(() => undefined);
  }

  /** One sweep: closes the open records of every worker that is not alive. */
  async sweep(): Promise<void> {
    const { redis, workerId, calls } = this.options;
    if (!redis || this.sweeping) return;
    this.sweeping = true;
    try {
      const open = await calls.openWorkerIds();
      if (open.length === 0) return;
      const now = this.clock.now();
      const key = workersKey(redis.keyPrefix);
      const scores = await redis.client.zmscore(key, ...open);
      for (const [index, id] of open.entries()) {
        if (id === workerId) continue;
        const aliveUntil = scores[index];
        if (aliveUntil !== null && aliveUntil !== undefined) {
          this.missingSince.delete(id);
          if (Number(aliveUntil) < now) await this.close(id);
          continue;
        }
        // Not in the set at all: long gone, or Redis lost its data a moment
        // ago and the worker has not said it is alive since. A live worker
        // says so every fifth of livenessMs: missing for all of it is dead.
        const since = this.missingSince.get(id) ?? now;
        this.missingSince.set(id, since);
        if (now - since >= this.options.livenessMs) {
          this.missingSince.delete(id);
          await this.close(id);
        }
      }
    } finally {
      this.sweeping = false;
    }
  }

  private async renew(): Promise<void> {
    const { redis, workerId, livenessMs } = this.options;
    if (!redis) return;
    const now = this.clock.now();
    const key = workersKey(redis.keyPrefix);
    await redis.client
      .multi()
      .zadd(key, now + livenessMs, workerId)
      // Workers gone for a day are forgotten.
      .zremrangebyscore(key, "-inf", now - 86_400_000)
      .exec();
  }

  private async close(lostWorkerId: string): Promise<void> {
    const { calls, workerId, log } = this.options;
    const endedAt = new Date(this.clock.now());
    const closed = await calls.closeLost({ workerIds: [lostWorkerId], endedAt });
    if (closed.length === 0) return;
    await calls.saveBatch({
      records: [],
      traces: closed.map((callUuid) => ({
        callUuid,
        steps: [
          {
            at: endedAt,
            kind: "note",
            nodeId: null,
            data: { detail: { event: "workerLost", workerId: lostWorkerId, closedBy: workerId } },
          },
        ],
      })),
    });
    log.warn(
      { lostWorkerId, calls: closed.length },
      `closed ${closed.length} call records left open by worker ${lostWorkerId} (workerLost)`,
    );
    await this.watchParked(closed);
  }

  /**
   * A call a dead worker had bridged is not in its socket app any more: when
   * the bridge ends the switch parks the caller (park_after_bridge), and with
   * its worker gone nobody ever ends the call. Such calls are hung up once
   * parked; calls the dialplan handed on (still executing) are left alone.
   * With Redis the calls to watch are shared (`<prefix>orphans`), so a
   * watcher that dies itself leaves them to the other workers.
   */
  private async watchParked(uuids: readonly string[]): Promise<void> {
    if (!this.options.switchboard) return;
    const until = this.clock.now() + PARKED_WATCH_MS;
    const { redis } = this.options;
    if (redis) {
      const key = orphansKey(redis.keyPrefix);
      await redis.client.zadd(key, ...uuids.flatMap((uuid) => [until, uuid]));
    } else {
      for (const uuid of uuids) this.orphaned.set(uuid, until);
    }
    this.startParkedWatch();
  }

  private startParkedWatch(): void {
    const { switchboard } = this.options;
    if (!switchboard || this.parkedTimer) return;
    let checking = false;
    this.parkedTimer = repeatEvery(this.clock, 1_000, () => {
      if (checking) return;
      checking = true;
      this.endParked(switchboard)
        .catch((error: unknown) =>
          this.options.log.warn({ err: error }, "could not check the calls of lost workers"),
        )
        .finally(() => {
          checking = false;
        });
    });
  }

  /** The calls still watched (expired ones forgotten). */
  private async watched(now: number): Promise<string[]> {
    const { redis } = this.options;
    if (!redis) {
      for (const [uuid, until] of this.orphaned) if (now > until) this.orphaned.delete(uuid);
      return [...this.orphaned.keys()];
    }
    const key = orphansKey(redis.keyPrefix);
    const [, live] = (await redis.client
      .multi()
      .zremrangebyscore(key, "-inf", now)
      .zrange(key, 0, -1)
      .exec()) as [[Error | null, number], [Error | null, string[]]];
    return live[1] ?? [];
  }

  /** Stops watching `uuid`; true for the one worker that took it off the list. */
  private async unwatch(uuid: string): Promise<boolean> {
    const { redis } = this.options;
    if (!redis) return this.orphaned.delete(uuid);
    return (await redis.client.zrem(orphansKey(redis.keyPrefix), uuid)) === 1;
  }

  private async endParked(switchboard: LostCallSwitchboard): Promise<void> {
    const uuids = await this.watched(this.clock.now());
    if (uuids.length === 0) {
      // Without Redis nothing else can add to the list: stop until the next close.
      if (!this.options.redis) {
        this.parkedTimer?.cancel();
        this.parkedTimer = undefined;
      }
      return;
    }
    const states = await switchboard.channelStates();
    for (const uuid of uuids) {
      const state = states.get(uuid);
      if (state === undefined) {
        await this.unwatch(uuid);
      } else if (state === "CS_PARK" && (await this.unwatch(uuid))) {
        this.options.log.info({ callUuid: uuid }, "hanging up a call its lost worker left parked");
        await switchboard.hangup(uuid);
      }
    }
  }

  private every(ms: number, work: () => Promise<void>): void {
    const timer = repeatEvery(this.clock, ms, () => {
      work().catch((error: unknown) =>
        this.options.log.warn({ err: error }, "could not check for calls of lost workers"),
      );
    });
    this.timers.push(timer);
  }
}

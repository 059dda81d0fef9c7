import type { CallsRepository } from "@ringflow/db";
import type { Redis } from "ioredis";
import type { Logger } from "../logger.js";

/** Options of {@link LostCalls}. */
export interface LostCallsOptions {
  readonly workerId: string;
  readonly calls: Pick<CallsRepository, "openWorkerIds" | "closeLost" | "saveBatch">;
  /** Shared with the other workers; `null`: this is the only worker. */
  readonly redis: { readonly client: Redis; readonly keyPrefix: string } | null;
  /** How long a worker counts as alive after it last said so. */
  readonly livenessMs: number;
  readonly log: Logger;
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
 * every half of it closes the open records of workers that are not alive.
 * A worker that stops cleanly takes itself out of the set. Each record is
 * closed as `workerLost`, at the time it was closed, with a trace note
 * naming the lost worker and the one that closed it.
 */
export class LostCalls {
  private timers: NodeJS.Timeout[] = [];
  private sweeping = false;

  constructor(private readonly options: LostCallsOptions) {}

  /** Closes what earlier runs left open, says this worker is alive, and starts the sweeps. */
  async start(): Promise<void> {
    const { redis, workerId, calls, livenessMs } = this.options;
    const lost = redis ? [workerId] : await calls.openWorkerIds();
    for (const id of lost) await this.close(id);
    if (!redis) return;
    await this.renew();
    this.every(Math.max(100, Math.floor(livenessMs / 5)), () => this.renew());
    this.every(Math.max(100, Math.floor(livenessMs / 2)), () => this.sweep());
  }

  /** Stops the sweeps and says this worker is gone (its calls are over). */
  async stop(): Promise<void> {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
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
      const now = Date.now();
      const alive = new Set(
        await redis.client.zrangebyscore(workersKey(redis.keyPrefix), now, "+inf"),
      );
      for (const id of open) if (id !== workerId && !alive.has(id)) await this.close(id);
    } finally {
      this.sweeping = false;
    }
  }

  private async renew(): Promise<void> {
    const { redis, workerId, livenessMs } = this.options;
    if (!redis) return;
    const now = Date.now();
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
    const endedAt = new Date();
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
  }

  private every(ms: number, work: () => Promise<void>): void {
    const timer = setInterval(() => {
      work().catch((error: unknown) =>
        this.options.log.warn({ err: error }, "could not check for calls of lost workers"),
      );
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }
}

import type { FlowGraph } from "@ringflow/core/flow";
import type { Db } from "@ringflow/db";
import type { RedisServer } from "../../../packages/core/test/redis-server.js";
import type { WorkerPool } from "./worker-pool.js";

/** One SIGKILL of the chaos driver. */
export interface Kill {
  readonly workerId: string;
  /** Real ms since the soak began. */
  readonly at: number;
  /** Calls whose records the killed worker held open at that moment. */
  readonly openCalls: number;
  /** How long until none of them was still open under the dead worker (handed on, or closed). */
  recoveryMs: number | null;
}

/** Options of {@link ChaosDriver}. */
export interface ChaosOptions {
  readonly pool: WorkerPool;
  readonly redis: RedisServer;
  readonly db: Db<FlowGraph>;
  readonly random: () => number;
  /** Real ms between kills (drawn between the two). */
  readonly killEveryMs: readonly [number, number];
  /** How long a killed worker stays down. */
  readonly downMs: readonly [number, number];
  /** Restarts Redis (empty) once, this long after the start. */
  readonly redisRestartAfterMs: number;
  /** How long Redis stays down. */
  readonly redisDownMs: number;
  readonly startedAt: number;
  readonly log: (message: string) => void;
}

/**
 * Kills (SIGKILL) a random running worker every few seconds and starts it
 * again a moment later, never more than one down at a time, so the
 * dialplan's fallback socket always finds one; and restarts the soak's own
 * Redis once, empty. Measures, for each kill, how long the dead worker's
 * calls stayed open (until another worker took them over or closed them).
 */
export class ChaosDriver {
  readonly kills: Kill[] = [];
  workerRestarts = 0;
  redisRestarts = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private readonly watchers: Promise<void>[] = [];

  constructor(private readonly options: ChaosOptions) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Stops killing, waits for a worker that is down to be back and for the recovery watchers. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    await Promise.all(this.watchers);
  }

  private async run(): Promise<void> {
    const { pool, random, killEveryMs, downMs, redisRestartAfterMs } = this.options;
    const between = ([min, max]: readonly [number, number]) => min + random() * (max - min);
    let redisDone = false;
    while (this.running) {
      await sleepWhile(() => this.running, between(killEveryMs));
      if (!this.running) break;
      if (!redisDone && this.elapsed() >= redisRestartAfterMs) {
        redisDone = true;
        await this.restartRedis();
        continue;
      }
      const candidates = pool.running;
      const victim = candidates[Math.floor(random() * candidates.length)];
      if (!victim || candidates.length < pool.ids.length) continue;
      await this.kill(victim);
      await sleep(between(downMs));
      await pool.start(victim);
      this.workerRestarts++;
    }
  }

  private async kill(workerId: string): Promise<void> {
    const { pool, db, log } = this.options;
    await pool.kill(workerId);
    const at = this.elapsed();
    const open = await db.calls.listOpen(workerId);
    const kill: Kill = { workerId, at, openCalls: open.length, recoveryMs: null };
    this.kills.push(kill);
    log(`chaos: killed ${workerId} at ${(at / 1000).toFixed(1)} s, ${open.length} calls open`);
    this.watchers.push(this.watchRecovery(kill, new Set(open)));
  }

  /** Polls until none of `open` is still open under the dead worker. */
  private async watchRecovery(kill: Kill, open: Set<string>): Promise<void> {
    const started = Date.now();
    while (open.size > 0 && Date.now() - started < 120_000) {
      await sleep(200);
      const still = new Set(await this.options.db.calls.listOpen(kill.workerId));
      for (const uuid of open) if (!still.has(uuid)) open.delete(uuid);
    }
    kill.recoveryMs = open.size === 0 ? Date.now() - started : null;
  }

  private async restartRedis(): Promise<void> {
    const { redis, redisDownMs, log } = this.options;
    log(`chaos: restarting Redis (empty) at ${(this.elapsed() / 1000).toFixed(1)} s`);
    await redis.stop();
    await sleep(redisDownMs);
    await redis.start();
    this.redisRestarts++;
  }

  private elapsed(): number {
    return Date.now() - this.options.startedAt;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sleepWhile(condition: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (condition() && Date.now() < until) await sleep(Math.min(100, until - Date.now()));
}

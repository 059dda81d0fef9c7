import type { Queue } from "../src/queue/queue.js";
import type { QueueSlot } from "../src/queue/queue-slot.js";

/** Priority of the callers being measured: 0, ahead of any standing line. */
const MEASURED = 0;
/** Priority of the standing line, served only after the measured callers. */
const STANDING = 9;

/** Where a scenario runs: a fresh queue id on a queue, with or without a standing line. */
export interface Stage {
  readonly queue: Queue;
  readonly queueId: string;
}

function perSecond(count: number, startedAt: number): number {
  return count / ((performance.now() - startedAt) / 1000);
}

/**
 * Fills the line of `stage` with `standing` waiters behind `maxConcurrent`
 * held slots, so the measured callers (priority 0) run ahead of them.
 * Returns the held slots; releasing them starts the measured traffic.
 */
export async function prepareStage(
  stage: Stage,
  maxConcurrent: number,
  standing: number,
  standingQueue: Queue = stage.queue,
): Promise<QueueSlot[]> {
  const blockers: QueueSlot[] = [];
  for (let i = 0; i < maxConcurrent; i++) {
    blockers.push(await stage.queue.slot(stage.queueId, { maxConcurrent, priority: MEASURED }));
  }
  let left = standing;
  const allJoined =
    standing === 0
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const off = standingQueue.events.on("enqueued", () => {
            if (--left > 0) return;
            off();
            resolve();
          });
        });
  for (let i = 0; i < standing; i++) {
    // Never awaited: these entries only make the line long.
    standingQueue
      .slot(stage.queueId, { itemId: `standing-${i}`, priority: STANDING })
      .catch(() => {});
  }
  await allJoined;
  return blockers;
}

/** One caller, acquire then release, `cycles` times, on an empty queue: cycles per second. */
export async function uncontended(stage: Stage, cycles: number): Promise<number> {
  const startedAt = performance.now();
  for (let i = 0; i < cycles; i++) {
    const slot = await stage.queue.slot(stage.queueId);
    await slot.release();
  }
  return perSecond(cycles, startedAt);
}

/**
 * One caller that holds the only slot and, each cycle, joins the line again
 * before releasing, so each cycle is one join, one release and one hand-off
 * to itself. Unlike a plain acquire/release it works with a line standing
 * behind it. Cycles per second.
 */
export async function chained(stage: Stage, cycles: number, held: QueueSlot): Promise<number> {
  let current = held;
  const startedAt = performance.now();
  for (let i = 0; i < cycles; i++) {
    const next = stage.queue.slot(stage.queueId, { priority: MEASURED });
    await current.release();
    current = await next;
  }
  const rate = perSecond(cycles, startedAt);
  await current.release();
  return rate;
}

/**
 * `callers` concurrent callers looping acquire/release until `cycles` slots
 * were served, started by releasing `blockers`: cycles per second.
 */
export async function contended(
  stage: Stage,
  callers: number,
  cycles: number,
  blockers: QueueSlot[],
): Promise<number> {
  let started = 0;
  const worker = async () => {
    while (started < cycles) {
      started++;
      const slot = await stage.queue.slot(stage.queueId, { priority: MEASURED });
      await slot.release();
    }
  };
  const workers = Array.from({ length: callers }, worker);
  const startedAt = performance.now();
  await Promise.all(blockers.map((b) => b.release()));
  await Promise.all(workers);
  return perSecond(cycles, startedAt);
}

/**
 * Milliseconds from a holder calling release() to the next holder resuming,
 * over `samples` hand-offs between `callers` callers on one slot.
 */
export async function handOffs(
  stage: Stage,
  callers: number,
  samples: number,
  blocker: QueueSlot,
): Promise<number[]> {
  const latencies: number[] = [];
  let releasedAt = -1;
  let started = 0;
  const worker = async () => {
    while (started < samples) {
      started++;
      const slot = await stage.queue.slot(stage.queueId, { priority: MEASURED });
      const resumedAt = performance.now();
      if (releasedAt >= 0) latencies.push(resumedAt - releasedAt);
      releasedAt = performance.now();
      await slot.release();
    }
  };
  const workers = Array.from({ length: callers }, worker);
  releasedAt = performance.now();
  await blocker.release();
  await Promise.all(workers);
  return latencies;
}

/** The `p`-th percentile (0–100) of `values`. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

/** The median of `values`. */
export function median(values: number[]): number {
  return percentile(values, 50);
}

/**
 * The queue against its peers, side by side in one process: p-limit,
 * p-queue and bottleneck in memory; redis-semaphore and bottleneck's ioredis
 * datastore on Redis. Every contender runs the same loop — `CALLERS`
 * concurrent callers, each acquiring a slot (or running an empty task),
 * releasing it and awaiting the release, for a fixed time — first once to warm up (JIT, Redis scripts loaded, connections
 * open), then `RUNS` times in rounds that visit every contender once each,
 * so all see the same background load. The figure is the median rate.
 *
 * What the peers do not do, and the queue does: p-limit has no priority,
 * abort or position; p-queue has priority and abort but no position or
 * per-entry identity; bottleneck has priority, no abort; redis-semaphore
 * polls (every `retryInterval`, 10 ms by default), keeps no line, no
 * priority and no order.
 */
import Bottleneck from "bottleneck";
import { Redis } from "ioredis";
import pLimit from "p-limit";
import PQueue from "p-queue";
import { Semaphore } from "redis-semaphore";
import { InMemoryBackend } from "../src/queue/in-memory-backend.js";
import { Queue } from "../src/queue/queue.js";
import { RedisBackend } from "../src/queue/redis/redis-backend.js";
import { median } from "./queue-scenarios.js";

/** One contender: `open` builds it for a limit; `cycle` is one acquire + release, awaited. */
export interface Contender {
  readonly name: string;
  open(maxConcurrent: number): Promise<{ cycle: () => Promise<void>; close(): Promise<void> }>;
}

const noop = () => {};

/**
 * Cycles per second of `callers` concurrent loops of `cycle`, over
 * `seconds` (a fixed time rather than a fixed count: some peers run a
 * thousand times slower than others).
 */
async function contendedRate(
  cycle: () => Promise<void>,
  callers: number,
  seconds: number,
): Promise<number> {
  let done = 0;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  const loop = async () => {
    // The clock is read every 64 cycles: reading it costs as much as a cycle of the fastest.
    while ((done & 63) !== 0 || performance.now() < deadline) {
      await cycle();
      done++;
    }
  };
  await Promise.all(Array.from({ length: callers }, loop));
  return done / ((performance.now() - startedAt) / 1000);
}

/** The in-memory contenders: ours first. */
export function inMemoryContenders(): Contender[] {
  return [
    {
      name: "ringflow Queue (in-memory)",
      open: async (maxConcurrent) => {
        const backend = new InMemoryBackend();
        const queue = new Queue(backend);
        return {
          cycle: async () => {
            const slot = await queue.slot("peers", { maxConcurrent });
            await slot.release();
          },
          close: () => backend.close(),
        };
      },
    },
    {
      name: "p-limit",
      open: async (maxConcurrent) => {
        const limit = pLimit(maxConcurrent);
        // p-limit frees the slot itself once the task settles; nothing to await.
        return { cycle: () => limit(noop), close: async () => limit.clearQueue() };
      },
    },
    {
      name: "p-queue",
      open: async (maxConcurrent) => {
        const queue = new PQueue({ concurrency: maxConcurrent });
        return { cycle: () => queue.add(noop), close: async () => queue.clear() };
      },
    },
    {
      name: "bottleneck (local)",
      open: async (maxConcurrent) => {
        const limiter = new Bottleneck({ maxConcurrent });
        return {
          cycle: () => limiter.schedule(async () => {}),
          close: () => limiter.disconnect(),
        };
      },
    },
  ];
}

/** The Redis contenders: ours first. Each gets keys of its own under `prefix`. */
export function redisContenders(url: string, prefix: string): Contender[] {
  let scope = 0;
  return [
    {
      name: "ringflow Queue (Redis)",
      open: async (maxConcurrent) => {
        const backend = new RedisBackend({
          url,
          keyPrefix: `${prefix}ours:${scope++}:`,
          leaseMs: 600_000,
        });
        await backend.ready();
        const queue = new Queue(backend);
        return {
          cycle: async () => {
            const slot = await queue.slot("peers", { maxConcurrent });
            await slot.release();
          },
          close: () => backend.close(),
        };
      },
    },
    {
      name: "redis-semaphore",
      open: async (maxConcurrent) => {
        const redis = new Redis(url);
        const key = `${prefix}semaphore:${scope++}`;
        const semaphores = new Map<number, Semaphore>();
        let next = 0;
        return {
          // One Semaphore per cycle: each is one lock holder (its own identifier).
          cycle: async () => {
            const id = next++;
            const semaphore = new Semaphore(redis, key, maxConcurrent, {
              // Contended callers would otherwise give up after 10 s.
              acquireTimeout: 600_000,
              lockTimeout: 600_000,
              refreshInterval: 0,
            });
            semaphores.set(id, semaphore);
            await semaphore.acquire();
            await semaphore.release();
            semaphores.delete(id);
          },
          close: async () => {
            redis.disconnect();
          },
        };
      },
    },
    {
      name: "bottleneck (ioredis datastore)",
      open: async (maxConcurrent) => {
        const limiter = new Bottleneck({
          maxConcurrent,
          datastore: "ioredis",
          id: `${prefix}bottleneck:${scope++}`,
          clearDatastore: true,
          clientOptions: url,
          // Its own lookup of `ioredis` fails under pnpm's strict layout.
          Redis,
        } as Bottleneck.ConstructorOptions & { Redis: typeof Redis });
        await limiter.ready();
        return {
          cycle: () => limiter.schedule(async () => {}),
          close: () => limiter.disconnect(),
        };
      },
    },
  ];
}

/** One contender's result. */
export interface PeerResult {
  readonly name: string;
  readonly maxConcurrent: number;
  readonly rate: number;
  readonly runs: readonly number[];
}

/**
 * Warms every contender once, then runs `runs` rounds (each contender once
 * per round, in turn) of `seconds` each by `callers` callers at each limit.
 */
export async function comparePeers(
  contenders: readonly Contender[],
  limits: readonly number[],
  options: { callers: number; seconds: number; runs: number },
): Promise<PeerResult[]> {
  const results: PeerResult[] = [];
  for (const maxConcurrent of limits) {
    const rates = contenders.map(() => [] as number[]);
    const run = async (contender: Contender) => {
      const opened = await contender.open(maxConcurrent);
      try {
        return await contendedRate(opened.cycle, options.callers, options.seconds);
      } finally {
        await opened.close();
      }
    };
    for (const contender of contenders) await run(contender);
    for (let round = 0; round < options.runs; round++) {
      for (const [index, contender] of contenders.entries()) {
        rates[index]?.push(await run(contender));
      }
    }
    contenders.forEach((contender, index) => {
      const runs = rates[index] ?? [];
      results.push({ name: contender.name, maxConcurrent, rate: median(runs), runs });
    });
  }
  return results;
}

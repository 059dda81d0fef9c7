/**
 * `pnpm bench:queue`: throughput and hand-off latency of the Queue on the
 * in-memory backend and on Redis (REDIS_URL, default 127.0.0.1:6379), with an
 * empty line and with 10,000 waiters standing in it, plus the Redis
 * round-trip ceiling measured in the same run, and the queue against its
 * peers (queue-peers.ts). Every figure is the median of three runs; the
 * output is Markdown tables for docs/benchmarks.md. BENCH_QUEUE_ONLY=peers
 * runs only the peers.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { Redis } from "ioredis";
import type { QueueBackend } from "../src/queue/backend.js";
import { InMemoryBackend } from "../src/queue/in-memory-backend.js";
import { Queue } from "../src/queue/queue.js";
import type { QueueSlot } from "../src/queue/queue-slot.js";
import { RedisBackend } from "../src/queue/redis/redis-backend.js";
import { LuaScript } from "../src/redis/lua-script.js";
import {
  comparePeers,
  inMemoryContenders,
  type PeerResult,
  redisContenders,
} from "./queue-peers.js";
import {
  chained,
  contended,
  handOffs,
  median,
  percentile,
  prepareStage,
  type Stage,
  uncontended,
} from "./queue-scenarios.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const RUNS = 3;
const STANDING = 10_000;
const CALLERS = 100;
const HAND_OFF_CALLERS = 10;
/** How long each peer-comparison run lasts. */
const PEER_SECONDS = 2;

interface Sizes {
  readonly uncontended: number;
  readonly chained: number;
  readonly contended: number;
  readonly handOffs: number;
}

/** A backend under test: how to open it, and how much work to give it. */
interface Subject {
  readonly sizes: Sizes;
  /**
   * Backends for one scenario: `main` for the measured callers and
   * `standing` for the standing line, sharing their queues (for Redis, two
   * backends on one prefix, as if the line came from other workers).
   */
  open(): { main: QueueBackend; standing: QueueBackend; close(): Promise<void> };
}

/** One figure of the table: measured with an empty line and with the standing line. */
interface Row {
  readonly label: string;
  readonly unit: string;
  readonly empty: number;
  readonly standing: number | undefined;
}

/** Runs `scenario` on a fresh queue, after `standing` waiters joined behind `maxConcurrent` held slots. */
async function onFreshQueue<T>(
  subject: Subject,
  maxConcurrent: number,
  standing: number,
  scenario: (stage: Stage, blockers: QueueSlot[]) => Promise<T>,
): Promise<T> {
  const backends = subject.open();
  try {
    const stage = { queue: new Queue(backends.main), queueId: "bench" };
    const blockers = await prepareStage(
      stage,
      maxConcurrent,
      standing,
      new Queue(backends.standing),
    );
    return await scenario(stage, blockers);
  } finally {
    await backends.close();
  }
}

function only(slots: QueueSlot[]): QueueSlot {
  const [slot] = slots;
  if (!slot || slots.length !== 1) throw new Error("expected exactly one held slot");
  return slot;
}

/**
 * Runs a scenario with an empty line and with the standing line, alternating
 * (so both see the same background load), {@link RUNS} times each; returns
 * the medians of each figure `measure` extracts.
 */
async function compare(
  subject: Subject,
  maxConcurrent: number,
  scenario: (stage: Stage, blockers: QueueSlot[]) => Promise<number[]>,
): Promise<{ empty: number[]; standing: number[] }> {
  const empty: number[][] = [];
  const standing: number[][] = [];
  for (let run = 0; run < RUNS; run++) {
    empty.push(await onFreshQueue(subject, maxConcurrent, 0, scenario));
    standing.push(await onFreshQueue(subject, maxConcurrent, STANDING, scenario));
  }
  const medians = (runs: number[][]) =>
    (runs[0] ?? []).map((_, figure) => median(runs.map((r) => r[figure] ?? Number.NaN)));
  return { empty: medians(empty), standing: medians(standing) };
}

async function measureSubject(subject: Subject): Promise<Row[]> {
  const { sizes } = subject;
  const plain: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    plain.push(
      await onFreshQueue(subject, 1, 0, async (stage, blockers) => {
        await only(blockers).release();
        return uncontended(stage, sizes.uncontended);
      }),
    );
  }
  const rows: Row[] = [
    {
      label: "uncontended acquire+release, 1 caller",
      unit: "cycles/s",
      empty: median(plain),
      standing: undefined,
    },
  ];
  const chainedRates = await compare(subject, 1, async (stage, blockers) => [
    await chained(stage, sizes.chained, only(blockers)),
  ]);
  rows.push({
    label: "1 caller re-joining before each release",
    unit: "cycles/s",
    empty: chainedRates.empty[0] ?? Number.NaN,
    standing: chainedRates.standing[0],
  });
  for (const maxConcurrent of [1, 10]) {
    const rates = await compare(subject, maxConcurrent, async (stage, blockers) => [
      await contended(stage, CALLERS, sizes.contended, blockers),
    ]);
    rows.push({
      label: `${CALLERS} callers, maxConcurrent ${maxConcurrent}`,
      unit: "cycles/s",
      empty: rates.empty[0] ?? Number.NaN,
      standing: rates.standing[0],
    });
  }
  const latencies = await compare(subject, 1, async (stage, blockers) => {
    const samples = await handOffs(stage, HAND_OFF_CALLERS, sizes.handOffs, only(blockers));
    return [percentile(samples, 50), percentile(samples, 99)];
  });
  for (const [figure, name] of ["p50", "p99"].entries()) {
    rows.push({
      label: `hand-off ${name} (release → next holder resumed)`,
      unit: "ms",
      empty: latencies.empty[figure] ?? Number.NaN,
      standing: latencies.standing[figure],
    });
  }
  return rows;
}

async function medianOf(runs: number, measure: () => Promise<number>): Promise<number> {
  const results: number[] = [];
  for (let i = 0; i < runs; i++) results.push(await measure());
  return median(results);
}

/** Round trips per second of a sequential loop of `send`. */
async function roundTrips(count: number, send: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 500; i++) await send();
  const startedAt = performance.now();
  for (let i = 0; i < count; i++) await send();
  return count / ((performance.now() - startedAt) / 1000);
}

function machine(redisVersion: string): string {
  const cpuinfo = readFileSync("/proc/cpuinfo", "utf8");
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? "unknown CPU";
  return `${model}, ${availableParallelism()} cores, Node ${process.version}, Redis ${redisVersion}`;
}

function format(value: number | undefined, unit: string): string {
  if (value === undefined) return "—";
  if (unit === "ms") return value.toFixed(3);
  return Math.round(value).toLocaleString("en-US");
}

function slowdown(row: Row): string {
  if (row.standing === undefined) return "—";
  // Latency grows when things slow down; throughput shrinks.
  const ratio = row.unit === "ms" ? row.standing / row.empty : row.empty / row.standing;
  return `${((ratio - 1) * 100).toFixed(0)} %`;
}

/** The queue against its peers (queue-peers.ts): a Markdown table of rates and ratios. */
async function peers(root: string): Promise<string[]> {
  const limits = [1, 10];
  const options = { callers: CALLERS, seconds: PEER_SECONDS, runs: RUNS };
  const load = () =>
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")}`;
  const startLoad = load();
  const memory = await comparePeers(inMemoryContenders(), limits, options);
  const redis = await comparePeers(redisContenders(REDIS_URL, `${root}peers:`), limits, options);
  const lines = [
    `Against its peers (${startLoad} at the start, ${load()} at the end): ${CALLERS} callers looping acquire → release (awaited) for ${PEER_SECONDS} s, after one warm-up run of each; median of ${RUNS} rounds, each round running every contender once in turn. Ratio = ours ÷ the peer.`,
    "",
    "| contender | maxConcurrent | cycles/s | ours ÷ it |",
    "| --- | ---: | ---: | ---: |",
  ];
  for (const group of [memory, redis]) {
    for (const maxConcurrent of limits) {
      const rows = group.filter((r) => r.maxConcurrent === maxConcurrent);
      const ours = rows[0] as PeerResult;
      for (const row of rows) {
        const ratio = row === ours ? "—" : `${(ours.rate / row.rate).toFixed(2)}×`;
        lines.push(`| ${row.name} | ${maxConcurrent} | ${format(row.rate, "")} | ${ratio} |`);
      }
    }
  }
  return lines;
}

async function main(): Promise<void> {
  const root = `bench:ringflow:queue:${randomBytes(4).toString("hex")}:`;
  const admin = new Redis(REDIS_URL);
  const cleanUpRedis = async () => {
    // redis-semaphore and bottleneck put their own prefixes in front of ours.
    for (const pattern of [`${root}*`, `semaphore:${root}*`, `b_${root}*`]) {
      let cursor = "0";
      do {
        const [next, keys] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 1000);
        cursor = next;
        if (keys.length > 0) await admin.unlink(...keys);
      } while (cursor !== "0");
    }
  };
  try {
    if (process.env.BENCH_QUEUE_ONLY === "peers") {
      console.log((await peers(root)).join("\n"));
      return;
    }
    const info = await admin.info("server");
    const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? "unknown";
    const ping = await medianOf(RUNS, () => roundTrips(5_000, () => admin.ping()));
    const trivial = new LuaScript("bench-trivial", "return 1");
    const evalsha = await medianOf(RUNS, () => roundTrips(5_000, () => trivial.run(admin, [], [])));

    const inMemory = await measureSubject({
      // Runs of a second or more: shorter ones mostly measure the collection
      // of the set-up's garbage and JIT warm-up, not the steady state.
      sizes: {
        uncontended: 1_000_000,
        chained: 1_000_000,
        contended: 1_000_000,
        handOffs: 300_000,
      },
      open: () => {
        const backend = new InMemoryBackend();
        return { main: backend, standing: backend, close: () => backend.close() };
      },
    });
    let scope = 0;
    const redis = await measureSubject({
      sizes: { uncontended: 5_000, chained: 3_000, contended: 5_000, handOffs: 3_000 },
      open: () => {
        // A long lease keeps heartbeats (10,000 renewals at once for the
        // standing line) out of the measured interval.
        const options = { url: REDIS_URL, keyPrefix: `${root}${scope++}:`, leaseMs: 600_000 };
        const main = new RedisBackend(options);
        const standing = new RedisBackend(options);
        return {
          main,
          standing,
          close: async () => {
            await cleanUpRedis();
            await Promise.all([main.close(), standing.close()]);
          },
        };
      },
    });

    const roundTripsPerCycle = 2;
    const ceiling = evalsha / roundTripsPerCycle;
    const redisUncontended = redis[0]?.empty ?? Number.NaN;
    const lines = [
      `Machine: ${machine(redisVersion)}`,
      "",
      `Each figure is the median of ${RUNS} runs. "With ${STANDING.toLocaleString("en-US")} waiting": that many entries stand in the same queue at priority 9 while the measured callers join at priority 0, ahead of them.`,
      "",
      `| measurement | in-memory | in-memory, ${STANDING.toLocaleString("en-US")} waiting | slowdown | Redis | Redis, ${STANDING.toLocaleString("en-US")} waiting | slowdown |`,
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ];
    inMemory.forEach((memoryRow, index) => {
      const redisRow = redis[index] as Row;
      lines.push(
        `| ${memoryRow.label} (${memoryRow.unit}) | ${format(memoryRow.empty, memoryRow.unit)} | ${format(memoryRow.standing, memoryRow.unit)} | ${slowdown(memoryRow)} | ${format(redisRow.empty, redisRow.unit)} | ${format(redisRow.standing, redisRow.unit)} | ${slowdown(redisRow)} |`,
      );
    });
    lines.push(
      "",
      "Redis round-trip ceiling, same run (one connection, sequential):",
      "",
      "| | round trips/s |",
      "| --- | ---: |",
      `| PING | ${format(ping, "")} |`,
      `| EVALSHA of \`return 1\` | ${format(evalsha, "")} |`,
      "",
      `Uncontended Redis cycle = ${roundTripsPerCycle} round trips (enqueue script, remove script), so the ceiling is ${format(ceiling, "")} cycles/s; measured ${format(redisUncontended, "")} cycles/s = ${((redisUncontended / ceiling) * 100).toFixed(0)} % of it.`,
    );
    lines.push("", ...(await peers(root)));
    console.log(lines.join("\n"));
  } finally {
    await cleanUpRedis();
    await admin.quit();
  }
}

await main();

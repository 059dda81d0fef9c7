/**
 * A small standalone loop to profile the in-memory hot path (not part of
 * `pnpm bench:queue`): `callers` callers loop acquire → release on one queue,
 * optionally behind a standing line, alternating with p-limit and p-queue.
 *
 *   node --conditions=@ringflow/source --import tsx [--cpu-prof] [--trace-gc] \
 *     bench/queue-profile.ts [contender=ours|p-limit|p-queue|line|all] [limit=1] [standing=0] [seconds=2] [rounds=3]
 *
 * `line` runs ours with an empty line and with 10,000 waiters, alternating.
 */
import { loadavg } from "node:os";
import pLimit from "p-limit";
import PQueue from "p-queue";
import { InMemoryBackend } from "../src/queue/in-memory-backend.js";
import { Queue } from "../src/queue/queue.js";
import type { QueueSlot } from "../src/queue/queue-slot.js";

const [which = "all", limitArg = "1", standingArg = "0", secondsArg = "2", roundsArg = "3"] =
  process.argv.slice(2);
const limit = Number(limitArg);
const standing = Number(standingArg);
const seconds = Number(secondsArg);
const rounds = Number(roundsArg);
const CALLERS = 100;
const noop = () => {};

async function rate(cycle: () => Promise<unknown>, start = async () => {}): Promise<number> {
  let done = 0;
  const startedAt = performance.now();
  const deadline = startedAt + seconds * 1000;
  // All callers stop together: a straggler re-joining alone could find every
  // slot handed to the standing line (which never gives them back).
  let stop = false;
  const loop = async () => {
    while (!stop) {
      await cycle();
      if ((++done & 63) === 0 && performance.now() >= deadline) stop = true;
    }
  };
  const loops = Array.from({ length: CALLERS }, loop);
  await start();
  await Promise.all(loops);
  return done / ((performance.now() - startedAt) / 1000);
}

async function ours(standing: number): Promise<number> {
  const backend = new InMemoryBackend();
  const queue = new Queue(backend);
  const standingQueue = new Queue(backend);
  const held: QueueSlot[] = [];
  if (standing > 0) {
    for (let i = 0; i < limit; i++)
      held.push(await queue.slot("q", { maxConcurrent: limit, priority: 0 }));
    for (let i = 0; i < standing; i++) {
      standingQueue.slot("q", { itemId: `standing-${i}`, priority: 9 }).catch(noop);
    }
  }
  try {
    return await rate(
      async () => {
        const slot = await queue.slot("q", { maxConcurrent: limit, priority: 0 });
        await slot.release();
      },
      async () => {
        // Released once the callers are in line, ahead of the standing waiters.
        for (const slot of held) await slot.release();
      },
    );
  } finally {
    await backend.close();
  }
}

const contenders: Record<string, () => Promise<number>> = {
  ours: () => ours(standing),
  "ours, 10,000 waiting": () => ours(10_000),
  "p-limit": () => {
    const l = pLimit(limit);
    return rate(() => l(noop));
  },
  "p-queue": () => {
    const q = new PQueue({ concurrency: limit });
    return rate(() => q.add(noop));
  },
};
const names =
  which === "all"
    ? Object.keys(contenders)
    : which === "line"
      ? ["ours", "ours, 10,000 waiting"]
      : [which];
const results = new Map<string, number[]>(names.map((n) => [n, []]));
for (const name of names) await contenders[name]?.(); // warm-up
for (let round = 0; round < rounds; round++) {
  for (const name of names)
    results.get(name)?.push(await (contenders[name] as () => Promise<number>)());
}
const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)] ?? Number.NaN;
const oursRate = med(results.get("ours") ?? []);
for (const [name, runs] of results) {
  const m = med(runs);
  const ratio =
    name !== "ours" && results.has("ours") ? ` ours÷it ${(oursRate / m).toFixed(2)}×` : "";
  console.log(
    `${name} limit ${limit} standing ${standing}: ${Math.round(m)} cycles/s${ratio} [${runs.map(Math.round).join(", ")}]`,
  );
}
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")}`,
);

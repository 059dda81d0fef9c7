/**
 * `pnpm bench:ewt`: how honest the wait estimates are, against fs-sim.
 *
 * One worker in this process (SQLite, in-memory queue) and the simulator,
 * `SCALE` times faster than real time. Four queues run at once, each with
 * its own agents (registered in the database, so the agent registry claims
 * them) and handle times drawn at random per call, callers arriving at
 * random (Poisson) at about the rate the agents can serve, so lines grow
 * and shrink. Each waiting caller's estimate is the one the worker gave when
 * they joined and stored in their call record (`estimatedWaitMs`); it is
 * judged against the wait the record holds (`waitMs`), beside the seed's
 * `position × average handle time` on the same callers with the same
 * average (told by the worker's `onServed` hook, which also reports the
 * estimate: the two must agree). A hit: within ±25 % of the actual wait,
 * or ±30 s.
 * Times are reported in simulated seconds.
 */
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import { availableParallelism, cpus, loadavg } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { FlowGraphInput } from "@ringflow/core/flow";
import type { CallRecord } from "@ringflow/db";
import { FsSim } from "@ringflow/fs-sim";
import type { ServedCaller } from "../src/live/live-hub.js";
import { createLogger } from "../src/logger.js";
import { Worker } from "../src/worker.js";
import { openTestDb, routeNumber, testWorkerConfig } from "../test/rig.js";

const SCALE = Number(process.env.EWT_SCALE ?? 25);
const CALLS_PER_QUEUE = Number(process.env.EWT_CALLS ?? 300);
/** Callers served before this many in a queue are not counted (the average is still learning). */
const WARM_UP = 20;
/** When set, every queue event and served caller of the run is written there (JSON lines) for offline analysis. */
const EVENTS_FILE = process.env.EWT_EVENTS;
const say = (text: string) => process.stdout.write(`${text}\n`);

interface Scenario {
  readonly name: string;
  readonly agents: number;
  /** Talk time per call, simulated ms, drawn at random. */
  readonly talkMs: () => number;
  readonly meanTalkMs: number;
  /** Arrivals per agent-capacity (1 = as fast as the agents can serve on average). */
  readonly load: number;
}

const uniform = (lo: number, hi: number) => () => lo + Math.random() * (hi - lo);
const SCENARIOS: Scenario[] = [
  {
    name: "3 agents, talk 20-60 s",
    agents: 3,
    talkMs: uniform(20_000, 60_000),
    meanTalkMs: 40_000,
    load: 1.0,
  },
  {
    name: "6 agents, talk 30-150 s",
    agents: 6,
    talkMs: uniform(30_000, 150_000),
    meanTalkMs: 90_000,
    load: 1.0,
  },
  {
    name: "10 agents, talk 10 s or 120 s",
    agents: 10,
    talkMs: () => (Math.random() < 0.5 ? 10_000 : 120_000),
    meanTalkMs: 65_000,
    load: 1.0,
  },
  {
    name: "15 agents, talk 40-80 s",
    agents: 15,
    talkMs: uniform(40_000, 80_000),
    meanTalkMs: 60_000,
    load: 1.05,
  },
];
const RING_MS = 2_000;

function flowFor(number: string, queueId: string, destinations: string[]): FlowGraphInput {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: [number] } },
      {
        id: "queue",
        type: "queue",
        position: { x: 200, y: 0 },
        data: {
          queueId,
          maxConcurrent: destinations.length,
          timeoutSeconds: null,
          announceEverySeconds: null,
        },
      },
      {
        id: "agents",
        type: "ringGroup",
        position: { x: 400, y: 0 },
        data: {
          targets: { kind: "destinations", destinations },
          mode: "sequential",
          legTimeoutSeconds: 20,
          totalTimeoutSeconds: 60,
        },
      },
      {
        id: "connect",
        type: "bridge",
        position: { x: 600, y: 0 },
        data: { to: { kind: "answeredLeg" } },
      },
      { id: "bye", type: "hangup", position: { x: 800, y: 0 }, data: {} },
      {
        id: "busy",
        type: "announce",
        position: { x: 400, y: 200 },
        data: { message: { kind: "file", file: "ivr/ivr-all_agents_busy.wav" } },
      },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "queue" },
      { id: "e2", source: "queue", sourceHandle: "acquired", target: "agents" },
      { id: "e4", source: "agents", sourceHandle: "answered", target: "connect" },
      { id: "e5", source: "agents", sourceHandle: "noAnswer", target: "busy" },
      { id: "e6", source: "busy", sourceHandle: "next", target: "queue" },
      { id: "e7", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e8", source: "connect", sourceHandle: "failed", target: "busy" },
    ],
  };
}

/** A caller who waited, as judged: the recorded estimate and wait, and the naive figure. */
interface JudgedCaller {
  readonly estimateMs: number;
  readonly naiveMs: number;
  readonly waitMs: number;
}

/**
 * The callers of one queue to judge: served after the first {@link WARM_UP},
 * told an estimate at entry (their record has one), with the naive figure
 * from the same moment.
 */
function judgedOf(
  mine: readonly ServedCaller[],
  records: ReadonlyMap<string, CallRecord>,
): JudgedCaller[] {
  const judged: JudgedCaller[] = [];
  for (const s of mine.slice(WARM_UP)) {
    const record = records.get(s.callUuid);
    if (!record || record.estimatedWaitMs === null || record.waitMs === null) continue;
    if (s.naiveMs === null) continue;
    judged.push({ estimateMs: record.estimatedWaitMs, naiveMs: s.naiveMs, waitMs: record.waitMs });
  }
  return judged;
}

function share(judged: readonly JudgedCaller[], pick: (s: JudgedCaller) => number): number {
  const hits = judged.filter((s) => {
    const estimate = pick(s);
    const tolerance = Math.max(0.25 * s.waitMs, 30_000 / SCALE);
    return Math.abs(estimate - s.waitMs) <= tolerance;
  });
  return judged.length === 0 ? 0 : hits.length / judged.length;
}

/** Median of estimate ÷ actual wait (1 = unbiased), over callers who waited. */
function medianRatio(judged: readonly JudgedCaller[], pick: (s: JudgedCaller) => number): string {
  const ratios = judged
    .filter((s) => s.waitMs > 0)
    .map((s) => pick(s) / s.waitMs)
    .sort((a, b) => a - b);
  return ratios.length === 0 ? "–" : (ratios[Math.floor(ratios.length / 2)] as number).toFixed(2);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const simS = (realMs: number) => ((realMs * SCALE) / 1000).toFixed(0);

async function main(): Promise<void> {
  const sim = await FsSim.start({ port: 0, timeScale: SCALE });
  const testDb = await openTestDb("sqlite");
  const served: ServedCaller[] = [];
  const config = {
    ...testWorkerConfig({ sim, databaseUrl: testDb.url, flowPollMs: 500 }),
    logLevel: "warn" as const,
  };
  const worker = await Worker.start(config, {
    log: createLogger({ level: "warn", workerId: config.workerId }),
    onServed: (s) => served.push(s),
  });
  const events: unknown[] = [];
  const stopEvents = EVENTS_FILE
    ? worker.queue.events.onAny((event) => events.push(event))
    : () => undefined;
  // Slot holds as the estimator sees them, to set beside the scripted ring +
  // talk time: on a starved machine the worker's own work stretches them,
  // and unevenly over the run (the estimator cannot foresee that).
  const holds: Array<{ queueId: string; at: number; heldMs: number }> = [];
  const stopHolds = worker.queue.events.on("released", (e) =>
    holds.push({ queueId: e.queueId, at: e.at, heldMs: e.heldMs }),
  );
  const loopDelay = monitorEventLoopDelay({ resolution: 20 });
  loopDelay.enable();
  let peakLoad = loadavg()[0] ?? 0;
  const loadProbe = setInterval(() => {
    peakLoad = Math.max(peakLoad, loadavg()[0] ?? 0);
  }, 5_000);
  const started = Date.now();
  try {
    const runs = await Promise.all(
      SCENARIOS.map(async (scenario, index) => {
        const queueId = `ewt-${index}-${randomBytes(3).toString("hex")}`;
        const number = `78${index}0`;
        const destinations: string[] = [];
        for (let a = 0; a < scenario.agents; a++) {
          const user = `${3000 + index * 100 + a}`;
          destinations.push(`user/${user}`);
          await testDb.db.agents.create({ contact: `user/${user}`, name: `agent ${user}` });
          sim.users.set(user, {
            behaviour: Array.from({ length: CALLS_PER_QUEUE + 50 }, () => ({
              answerAfterMs: RING_MS,
              hangupAfterMs: Math.round(scenario.talkMs()),
            })),
          });
        }
        const flow = await testDb.db.flows.create({
          name: queueId,
          draftGraph: flowFor(number, queueId, destinations),
        });
        await testDb.db.versions.publish({ flowId: flow.id, publishedBy: "bench" });
        await testDb.db.routes.set({ number, flowId: flow.id });
        return { scenario, queueId, number };
      }),
    );
    await worker.refreshFlows();
    await new Promise((resolve) => setTimeout(resolve, 1_500)); // the agent sync's next poll
    for (const run of runs) routeNumber(sim, run.number, worker.callPort);

    const placed = await Promise.all(
      runs.map(async ({ scenario, number }) => {
        const meanGapMs = (scenario.meanTalkMs + RING_MS) / scenario.agents / scenario.load;
        const uuids: string[] = [];
        for (let i = 0; i < CALLS_PER_QUEUE; i++) {
          uuids.push(
            sim.placeCall({ from: `55${number}${String(i).padStart(4, "0")}`, to: number }).uuid,
          );
          const gap = -Math.log(1 - Math.random()) * meanGapMs;
          await new Promise((resolve) => setTimeout(resolve, gap / SCALE));
        }
        return uuids;
      }),
    );
    const all = placed.flat();
    const progress = setInterval(() => {
      const up = sim.channels().filter((c) => c.answerState !== "hangup").length;
      process.stderr.write(
        `… ${served.length} served, ${up} channels up, ${worker.activeCalls} calls\n`,
      );
    }, 10_000);
    try {
      // Every caller served and gone (a call the overloaded machine failed
      // to hand over in time has no record: it is counted, not waited for).
      const deadline = Date.now() + 30 * 60_000;
      while (sim.channels().some((c) => c.answerState !== "hangup") || worker.activeCalls > 0) {
        if (Date.now() > deadline) throw new Error("calls still up after 30 minutes");
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    } finally {
      clearInterval(progress);
    }
    const records = await Promise.all(all.map((uuid) => testDb.db.calls.get(uuid)));
    const answered = records.filter((r) => r?.outcome === "answered").length;
    const byUuid = new Map<string, CallRecord>();
    for (const record of records) if (record) byUuid.set(record.callUuid, record);
    // The record must hold what the worker told the hook.
    const disagreeing = served.filter(
      (s) => s.estimateMs !== (byUuid.get(s.callUuid)?.estimatedWaitMs ?? null),
    ).length;
    const elapsed = (Date.now() - started) / 1000;

    say(
      `# bench:ewt — ${all.length} calls through fs-sim at ${SCALE}× real time, ${elapsed.toFixed(0)} s`,
    );
    say(
      `machine: ${cpus()[0]?.model ?? "?"}, ${availableParallelism()} cores, load ${loadavg()[0]?.toFixed(2)} at the end (peak 1-min load ${peakLoad.toFixed(2)}), event-loop delay p99 ${(loopDelay.percentile(99) / 1e6).toFixed(0)} ms`,
    );
    say(
      `${answered} of ${all.length} calls answered (the rest never reached the worker in time, or failed)`,
    );
    say(
      `${disagreeing} of ${served.length} served callers' recorded estimates differ from the one reported at entry`,
    );
    say("");
    say(
      "| queue | callers | waited (judged) | mean wait | ours within ±25 %/±30 s | naive position × AHT | median estimate ÷ wait (ours / naive) |",
    );
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    const judgedAll: JudgedCaller[] = [];
    for (const run of runs) {
      const mine = served.filter((s) => s.queueId === run.queueId);
      const judged = judgedOf(mine, byUuid);
      judgedAll.push(...judged);
      const meanWait = judged.reduce((sum, s) => sum + s.waitMs, 0) / Math.max(1, judged.length);
      say(
        `| ${run.scenario.name} | ${mine.length} | ${judged.length} | ${simS(meanWait)} s | ${pct(share(judged, (s) => s.estimateMs))} | ${pct(share(judged, (s) => s.naiveMs))} | ${medianRatio(judged, (s) => s.estimateMs)} / ${medianRatio(judged, (s) => s.naiveMs)} |`,
      );
    }
    say(
      `| **all** | ${served.length} | ${judgedAll.length} | | **${pct(share(judgedAll, (s) => s.estimateMs))}** | ${pct(share(judgedAll, (s) => s.naiveMs))} | ${medianRatio(judgedAll, (s) => s.estimateMs)} / ${medianRatio(judgedAll, (s) => s.naiveMs)} |`,
    );
    say("");
    say("| queue | scripted ring + talk | mean slot hold, first half of its calls | second half |");
    say("| --- | ---: | ---: | ---: |");
    for (const run of runs) {
      const mine = holds.filter((h) => h.queueId === run.queueId).sort((a, b) => a.at - b.at);
      const half = Math.floor(mine.length / 2);
      const mean = (xs: typeof mine) =>
        xs.reduce((sum, h) => sum + h.heldMs, 0) / Math.max(1, xs.length);
      say(
        `| ${run.scenario.name} | ${((run.scenario.meanTalkMs + RING_MS) / 1000).toFixed(0)} s | ${simS(mean(mine.slice(0, half)))} s | ${simS(mean(mine.slice(half)))} s |`,
      );
    }
    if (EVENTS_FILE) {
      const lines = [
        ...runs.map((run) => ({
          type: "scenario",
          queueId: run.queueId,
          name: run.scenario.name,
          agents: run.scenario.agents,
        })),
        ...events,
        ...served.map((s) => ({ type: "served", ...s })),
      ];
      await writeFile(EVENTS_FILE, lines.map((line) => JSON.stringify(line)).join("\n"));
    }
  } finally {
    stopEvents();
    stopHolds();
    loopDelay.disable();
    clearInterval(loadProbe);
    await worker.stop();
    await sim.stop();
    await testDb.close();
  }
}

await main();

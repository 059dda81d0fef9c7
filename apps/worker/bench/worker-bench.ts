/**
 * `pnpm bench:worker`: what one worker process handles against fs-sim.
 *
 * The worker runs as a real process (`dist/main.js`, built by the script;
 * SQLite, in-memory queues, log level info), the simulator in another
 * (sim-process.ts, from source); this
 * process drives both and reads the worker's CPU time and RSS from /proc.
 * The flow is the issue's: start → queue → ring group (user/1001-1003 in
 * parallel; 1001 answers after 100 ms, 1002 after 150 ms, 1003 is busy) →
 * bridge → hang up.
 *
 * 1. Set-up rate: calls placed at 25, 50, 75 and 100 per second for 15 s
 *    each (queue limit 1,000, so nobody waits; agents talk 2 s). Per rate:
 *    calls answered, set-up time (arrival at the worker → agent answered,
 *    the agent's own 100 ms included), worker CPU.
 * 2. Peak: 2,000 calls placed at 40/s, agents talking for 90 s, so all
 *    are up at once: 1,000 bridged to agents (the queue's limit; the flow
 *    schema caps it at 1,000) and 1,000 waiting in line with hold music.
 *    RSS at the peak.
 * 3. Interpreter overhead: the same flow through core's `FlowEngine` on its
 *    fake switch in this process, CPU per call — compared with the worker's
 *    CPU per call at 100/s.
 *
 * Between 1 and 2, the overload phase: calls at twice the sustained rate
 * of step 1 (the highest rate with every call answered and set-up p95
 * ≤ 1 s; `BENCH_OVERLOAD_RATE` to choose) for 15 s (`BENCH_OVERLOAD_S`),
 * with admission control on at the settings the worker's README suggests
 * (`ADMISSION_MAX_CALLS_IN_SETUP=200`, `ADMISSION_MAX_EVENT_LOOP_DELAY_MS=500`,
 * the default `ADMISSION_MAX_RSS_MB=1024`, refusal by hang-up; the
 * environment overrides them). It reports set-up p95 of the calls accepted,
 * the refusal latency of the calls refused (placed → hung up, on the
 * simulator's side), `calls_refused_total` by reason from /metrics, and the
 * worker's RSS before, at its peak, and 30 s after the burst.
 *
 * `BENCH_ONLY=overload` runs the warm-up, step 1 (for the sustained rate:
 * `BENCH_RATES` shortens it) and the overload phase, and stops there;
 * `BENCH_SKIP_OVERLOAD=1` leaves the overload phase out.
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type FlowGraph, parseFlowGraph } from "@ringflow/core/flow";
import { FlowEngine } from "@ringflow/core/interpreter";
import { InMemoryBackend, Queue } from "@ringflow/core/queue";
import { FakeCallControl, FakeCallSession, ManualClock } from "@ringflow/core/testing";
import { createDb, type Db, migrateDatabase } from "@ringflow/db";
import { queueFlow } from "../test/rig.js";

const appDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const NUMBER = "7000";
const say = (text: string) => process.stdout.write(`${text}\n`);
/** The worker and simulator processes, killed if the bench fails (or they would outlive it). */
const children = new Set<ChildProcess>();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The simulator child and its IPC. */
class SimProcess {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: Record<string, unknown>) => void>();
  private constructor(
    readonly child: ChildProcess,
    readonly port: number,
  ) {
    child.on("message", (message: { id: number } & Record<string, unknown>) => {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  static async start(): Promise<SimProcess> {
    const child = fork(path.join(appDir, "bench/sim-process.ts"), [], {
      execArgv: ["--conditions=@ringflow/source", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    children.add(child);
    const port = await new Promise<number>((resolve) =>
      child.once("message", (m: { port: number }) => resolve(m.port)),
    );
    return new SimProcess(child, port);
  }

  request(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ id, ...body });
    });
  }
}

/** CPU seconds (user + system) and RSS (MB) of a process, from /proc. */
function usage(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssMb: rssKb / 1024 };
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

function machine(): string {
  const cpu =
    readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"))
      ?.split(":")[1]
      ?.trim() ?? "unknown CPU";
  return `${cpu}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")}`;
}

/** Waits until every call has a record with an outcome; returns them (null where it timed out). */
async function finishedRecords(db: Db<FlowGraph>, uuids: readonly string[], timeoutMs: number) {
  const done = new Map<string, Awaited<ReturnType<typeof db.calls.get>>>();
  const deadline = Date.now() + timeoutMs;
  while (done.size < uuids.length && Date.now() < deadline) {
    for (const uuid of uuids) {
      if (done.has(uuid)) continue;
      const record = await db.calls.get(uuid);
      if (record?.outcome) done.set(uuid, record);
    }
    if (done.size < uuids.length) await sleep(500);
  }
  return uuids.map((uuid) => done.get(uuid) ?? null);
}

/** The worker's /metrics text; "" when it does not answer within 10 s (a stalled worker). */
async function metricsText(httpPort: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${httpPort}/metrics`, {
      signal: AbortSignal.timeout(10_000),
    });
    return await response.text();
  } catch {
    return "";
  }
}

/** `ringflow_worker_active_calls` from the worker's /metrics (NaN if it did not answer). */
async function activeCalls(httpPort: number): Promise<number> {
  const text = await metricsText(httpPort);
  return Number(/^ringflow_worker_active_calls\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? Number.NaN);
}

/** `ringflow_worker_event_loop_delay` from the worker's /metrics, in ms (NaN if it did not answer). */
async function workerLoopDelayMs(httpPort: number): Promise<number> {
  const text = await metricsText(httpPort);
  const seconds = /^ringflow_worker_event_loop_delay\{[^}]*\} ([\d.e+-]+)/m.exec(text)?.[1];
  return seconds === undefined ? Number.NaN : Number(seconds) * 1000;
}

/** `ringflow_worker_calls_refused_total` by `reason` (null if /metrics did not answer). */
async function refusedByReason(httpPort: number): Promise<Record<string, number> | null> {
  const text = await metricsText(httpPort);
  if (text === "") return null;
  const counts: Record<string, number> = {};
  for (const match of text.matchAll(/^ringflow_worker_calls_refused_total\{([^}]*)\} (\d+)/gm)) {
    const reason = /reason="([^"]*)"/.exec(match[1] ?? "")?.[1] ?? "?";
    counts[reason] = (counts[reason] ?? 0) + Number(match[2]);
  }
  return counts;
}

const loadNow = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");

async function startWorker(databaseUrl: string, simPort: number) {
  const child = spawn(
    process.execPath,
    // The compiled worker, as production runs it (the script builds it first).
    [...(process.env.BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []), "dist/main.js"],
    {
      cwd: appDir,
      env: {
        ...process.env,
        ESL_PORT: String(simPort),
        ESL_PASSWORD: "ClueCon",
        LISTEN_PORT: "0",
        HTTP_HOST: "127.0.0.1",
        HTTP_PORT: "0",
        DATABASE_URL: databaseUrl,
        REDIS_URL: "",
        WORKER_ID: "bench-worker",
        DRAIN_TIMEOUT_MS: "5000",
        LOG_LEVEL: "info",
        // Admission control on, at the starting points apps/worker/README.md gives.
        ADMISSION_MAX_CALLS_IN_SETUP: process.env.ADMISSION_MAX_CALLS_IN_SETUP ?? "200",
        ADMISSION_MAX_EVENT_LOOP_DELAY_MS: process.env.ADMISSION_MAX_EVENT_LOOP_DELAY_MS ?? "500",
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  children.add(child);
  const ready = await new Promise<{ callPort: number; httpPort: number }>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    // BENCH_WORKER_LOG=<file> keeps the worker's log lines.
    const logFile = process.env.BENCH_WORKER_LOG;
    if (logFile) lines.on("line", (text) => appendFileSync(logFile, `${text}\n`));
    child.once("exit", (code, signal) => {
      if (logFile) appendFileSync(logFile, `worker exited: code ${code}, signal ${signal}\n`);
    });
    lines.on("line", (text) => {
      if (!text.includes("worker ready")) return;
      const line = JSON.parse(text) as { callPort: number; httpPort: number };
      resolve(line);
    });
    child.once("exit", (code) => reject(new Error(`worker exited with ${code}`)));
  });
  return { child, ...ready };
}

/** CPU µs per call of the interpreter alone: the flow on core's fake switch. */
async function interpreterCpuPerCall(flow: FlowGraph, calls: number): Promise<number> {
  const clock = new ManualClock();
  const fake = new FakeCallControl({ clock })
    .script("user/1001", { kind: "answer", afterMs: 100, hangupAfterMs: 2_000 })
    .script("user/1002", { kind: "answer", afterMs: 150, hangupAfterMs: 2_000 })
    .script("user/1003", { kind: "busy" });
  const queue = new Queue(new InMemoryBackend({ clock }));
  const engine = new FlowEngine({ queue, callControl: fake, clock });
  const run = async (n: number) => {
    const reports = [];
    for (let i = 0; i < n; i++) {
      const call = new FakeCallSession({ clock, callControl: fake, callerIdNumber: `555${i}` });
      reports.push(engine.run({ flow, call }));
    }
    await clock.advance(5_000);
    return Promise.all(reports);
  };
  await run(200); // warm-up
  const before = process.cpuUsage();
  const reports = await run(calls);
  const used = process.cpuUsage(before);
  engine.close();
  const answered = reports.filter((r) => r.outcome === "answered").length;
  if (answered !== calls) throw new Error(`fake run: only ${answered}/${calls} answered`);
  return (used.user + used.system) / calls;
}

type CallEnd = {
  uuid: string;
  answered: boolean;
  cause: string;
  ms: number;
  /** Placed → the switch runs the `socket` app. */
  toSocketMs?: number;
  /** The `socket` app: connect, the worker taking or refusing it, the switch seeing the result. */
  socketMs?: number;
} | null;

interface OverloadResult {
  rate: number;
  sustained: number | undefined;
  seconds: number;
  placed: number;
  accepted: number;
  acceptedAnswered: number;
  setupP50: number;
  setupP95: number;
  setupP99: number;
  refused: number;
  refusalCauses: Record<string, number>;
  refusalP50: number;
  refusalP95: number;
  refusalP99: number;
  refusalMax: number;
  /** A refusal split as the switch saw it (see `CallEnd`). */
  refusalParts: { toSocketP50: number; toSocketP95: number; socketP50: number; socketP95: number };
  /** Calls the simulator never saw end (within the wait). */
  unfinished: number;
  refusedTotal: Record<string, number> | null;
  rssBefore: number;
  rssPeak: number;
  rssAfter30s: number;
  rssAtEnd: number;
  /** The worker's event-loop delay p99 (ms) in each 0.5 s window of the burst: median, highest. */
  workerLoopDelay: { median: number; max: number };
  /** The simulator's event-loop delay over the burst (ms), where the refusal latency is timed. */
  simLoopDelay: { p50: number; p95: number; p99: number; max: number };
  load: { before: string; burstEnd: string; after30s: string };
}

/** Calls at `rate` for BENCH_OVERLOAD_S (15) seconds, admission control on; see the header. */
async function overloadPhase(options: {
  sim: SimProcess;
  db: Db<FlowGraph>;
  pid: number;
  httpPort: number;
  rate: number;
  sustained: number | undefined;
}): Promise<OverloadResult> {
  const { sim, db, pid, httpPort, rate } = options;
  const seconds = Number(process.env.BENCH_OVERLOAD_S ?? 15);
  await sim.request({ cmd: "forget" });
  const refusedBefore = (await refusedByReason(httpPort)) ?? {};
  const rssBefore = usage(pid).rssMb;
  const loadBefore = loadNow();
  // BENCH_HEAP_SNAPSHOTS=1 (with BENCH_WORKER_NODE_ARGS=--heapsnapshot-signal=SIGUSR2):
  // a snapshot before the burst and one 30 s after it, each taken once RSS was read.
  const snapshot = async (when: string) => {
    if (!process.env.BENCH_HEAP_SNAPSHOTS) return;
    process.kill(pid, "SIGUSR2");
    say(`  heap snapshot signalled (${when}); written in apps/worker/`);
    await sleep(15_000);
  };
  await snapshot("before the burst");
  let rssPeak = rssBefore;
  const peakSampler = setInterval(() => {
    rssPeak = Math.max(rssPeak, usage(pid).rssMb);
  }, 100);
  say(
    `\nOverload: ${rate} calls/s for ${seconds} s (sustained ${options.sustained ?? "?"}/s), RSS before ${rssBefore.toFixed(0)} MB, load ${loadBefore}`,
  );
  // Where a refusal's time can go: the worker's loop (which accepts and closes the socket)
  // and the simulator's (which places the call, connects, and sees it end).
  await sim.request({ cmd: "loop" });
  const workerLoop: number[] = [];
  const loopSampler = setInterval(() => {
    void workerLoopDelayMs(httpPort).then((ms) => Number.isNaN(ms) || workerLoop.push(ms));
  }, 500);
  const uuids = (
    (await sim.request({ cmd: "place", to: NUMBER, count: rate * seconds, perSecond: rate })) as {
      uuids: string[];
    }
  ).uuids;
  clearInterval(loopSampler);
  const simLoopDelay = (await sim.request({
    cmd: "loop",
  })) as unknown as OverloadResult["simLoopDelay"];
  workerLoop.sort((a, b) => a - b);
  const workerLoopDelay = {
    median: percentile(workerLoop, 50),
    max: workerLoop.at(-1) ?? Number.NaN,
  };
  const burstEnd = Date.now();
  const loadBurstEnd = loadNow();
  await sleep(30_000 - (Date.now() - burstEnd));
  const rssAfter30s = usage(pid).rssMb;
  const loadAfter30s = loadNow();
  clearInterval(peakSampler);
  const refusedAfter = await refusedByReason(httpPort);
  await snapshot("30 s after the burst");

  // Every call's end as the simulator saw it; hung up if still up after 90 s.
  const endsOf = async () =>
    ((await sim.request({ cmd: "results", uuids })) as { results: CallEnd[] }).results;
  let ends = await endsOf();
  const deadline = Date.now() + 90_000;
  while (ends.some((e) => e === null) && Date.now() < deadline) {
    await sleep(1_000);
    ends = await endsOf();
  }
  if (ends.some((e) => e === null)) {
    await sim.request({ cmd: "hupall" });
    await sleep(5_000);
    ends = await endsOf();
  }
  // Accepted calls have a record (once over); refused ones never get one.
  const records = await finishedRecords(db, uuids, 30_000);
  const accepted = records.filter((r) => r !== null);
  const setup = accepted
    .filter((r) => r?.outcome === "answered")
    .map((r) => (r?.answeredAt?.getTime() ?? 0) - (r?.startedAt.getTime() ?? 0))
    .sort((a, b) => a - b);
  // No record at all (not merely one without an outcome yet): never taken.
  const recordless = new Set<string>();
  for (const [i, uuid] of uuids.entries()) {
    if (records[i] === null && (await db.calls.get(uuid)) === null) recordless.add(uuid);
  }
  const refused = ends.filter((e) => e !== null && recordless.has(e.uuid) && !e.answered);
  const refusalMs = refused.map((e) => e?.ms ?? 0).sort((a, b) => a - b);
  const sorted = (values: (number | undefined)[]) =>
    values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  const toSocketMs = sorted(refused.map((e) => e?.toSocketMs));
  const socketMs = sorted(refused.map((e) => e?.socketMs));
  const refusalCauses: Record<string, number> = {};
  for (const e of refused)
    refusalCauses[e?.cause ?? "?"] = (refusalCauses[e?.cause ?? "?"] ?? 0) + 1;
  const refusedTotal =
    refusedAfter === null
      ? null
      : Object.fromEntries(
          Object.entries(refusedAfter).map(([reason, n]) => [
            reason,
            n - (refusedBefore[reason] ?? 0),
          ]),
        );
  const result: OverloadResult = {
    rate,
    sustained: options.sustained,
    seconds,
    placed: uuids.length,
    accepted: accepted.length,
    acceptedAnswered: setup.length,
    setupP50: percentile(setup, 50),
    setupP95: percentile(setup, 95),
    setupP99: percentile(setup, 99),
    refused: refused.length,
    refusalCauses,
    refusalP50: percentile(refusalMs, 50),
    refusalP95: percentile(refusalMs, 95),
    refusalP99: percentile(refusalMs, 99),
    refusalMax: refusalMs.at(-1) ?? Number.NaN,
    refusalParts: {
      toSocketP50: percentile(toSocketMs, 50),
      toSocketP95: percentile(toSocketMs, 95),
      socketP50: percentile(socketMs, 50),
      socketP95: percentile(socketMs, 95),
    },
    unfinished: ends.filter((e) => e === null).length,
    refusedTotal,
    rssBefore,
    rssPeak,
    rssAfter30s,
    rssAtEnd: usage(pid).rssMb,
    workerLoopDelay,
    simLoopDelay,
    load: { before: loadBefore, burstEnd: loadBurstEnd, after30s: loadAfter30s },
  };
  say(
    `  accepted ${result.accepted}/${result.placed} (${result.acceptedAnswered} answered): set-up p50 ${result.setupP50} ms p95 ${result.setupP95} ms p99 ${result.setupP99} ms`,
  );
  say(
    `  refused ${result.refused} (${JSON.stringify(refusalCauses)}): refusal latency p50 ${result.refusalP50.toFixed(1)} ms p95 ${result.refusalP95.toFixed(1)} ms p99 ${result.refusalP99.toFixed(1)} ms max ${result.refusalMax.toFixed(1)} ms; never ended ${result.unfinished}`,
  );
  const parts = result.refusalParts;
  say(
    `    of which: placed → the switch runs \`socket\` p50 ${parts.toSocketP50.toFixed(1)} ms p95 ${parts.toSocketP95.toFixed(1)} ms; the \`socket\` app (connect, refused, close seen) p50 ${parts.socketP50.toFixed(1)} ms p95 ${parts.socketP95.toFixed(1)} ms; the rest is the switch hanging up`,
  );
  say(`  calls_refused_total by reason (this phase): ${JSON.stringify(refusedTotal)}`);
  say(
    `  event-loop delay in the burst: worker p99 per 0.5 s median ${workerLoopDelay.median.toFixed(0)} ms, highest ${workerLoopDelay.max.toFixed(0)} ms; fs-sim p50 ${simLoopDelay.p50} ms p95 ${simLoopDelay.p95} ms p99 ${simLoopDelay.p99} ms max ${simLoopDelay.max} ms`,
  );
  say(
    `  RSS before ${rssBefore.toFixed(0)} MB, peak ${rssPeak.toFixed(0)} MB, 30 s after the burst ${rssAfter30s.toFixed(0)} MB (${(((rssAfter30s - rssBefore) / rssBefore) * 100).toFixed(0)} %), once all ended ${result.rssAtEnd.toFixed(0)} MB`,
  );
  say(
    `  load average: before ${loadBefore}, burst end ${loadBurstEnd}, 30 s after ${loadAfter30s}`,
  );
  return result;
}

async function main(): Promise<void> {
  say(`Machine: ${machine()}`);
  const dir = await mkdtemp(path.join(tmpdir(), "ringflow-worker-bench-"));
  const databaseUrl = `file:${path.join(dir, "bench.db")}`;
  await migrateDatabase({ url: databaseUrl });
  const db = await createDb<FlowGraph>({ url: databaseUrl, parseGraph: parseFlowGraph });
  const graph = queueFlow({ numbers: [NUMBER], queueId: "bench", maxConcurrent: 1_000 });
  const flow = await db.flows.create({ name: "bench", draftGraph: graph });
  await db.versions.publish({ flowId: flow.id, publishedBy: "bench" });
  await db.routes.set({ number: NUMBER, flowId: flow.id });

  const sim = await SimProcess.start();
  const worker = await startWorker(databaseUrl, sim.port);
  const pid = worker.child.pid as number;
  await sim.request({ cmd: "route", number: NUMBER, port: worker.callPort });
  const talk = (ms: number) =>
    sim.request({
      cmd: "users",
      users: {
        "1001": { answerAfterMs: 100, hangupAfterMs: ms },
        "1002": { answerAfterMs: 150, hangupAfterMs: ms },
        "1003": { busyAfterMs: 50 },
      },
    });
  let peakRss = 0;
  /** Hangs up whatever is left and waits until the worker holds no call. */
  const settle = async () => {
    await sim.request({ cmd: "hupall" });
    const until = Date.now() + 120_000;
    while (Date.now() < until && (await activeCalls(worker.httpPort)) !== 0) await sleep(500);
    await sleep(2_000);
  };
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, usage(pid).rssMb);
  }, 250);

  // Warm-up: JIT, SQLite pages, connection pools.
  await talk(2_000);
  const warm = (await sim.request({ cmd: "place", to: NUMBER, count: 300, perSecond: 50 }))
    .uuids as string[];
  await finishedRecords(db, warm, 60_000);
  say(`Worker RSS after warm-up: ${usage(pid).rssMb.toFixed(0)} MB\n`);

  // 1. Set-up rate.
  type RateRow = {
    rate: number;
    placed: number;
    answered: number;
    p50: number;
    p95: number;
    p99: number;
    cpuPct: number;
    cpuMsPerCall: number;
    simCpuPct: number;
    rssMb: number;
  };
  const rows: RateRow[] = [];
  const PHASE_S = Number(process.env.BENCH_PHASE_S ?? 15);
  // BENCH_RATES=50 (comma-separated) and BENCH_SKIP_PEAK=1 shorten the run (e.g. to profile).
  const rates = (process.env.BENCH_RATES ?? "25,50,75,100,125,150").split(",").map(Number);
  for (const rate of rates) {
    const before = usage(pid);
    const simBefore = usage(sim.child.pid as number);
    const startedAt = Date.now();
    const uuids = (await sim.request({
      cmd: "place",
      to: NUMBER,
      count: rate * PHASE_S,
      perSecond: rate,
    })) as { uuids: string[] };
    const records = await finishedRecords(db, uuids.uuids, 120_000);
    const after = usage(pid);
    const simAfter = usage(sim.child.pid as number);
    const seconds = (Date.now() - startedAt) / 1000;
    const answered = records.filter((r) => r?.outcome === "answered");
    const setup = answered
      .map((r) => (r?.answeredAt?.getTime() ?? 0) - (r?.startedAt.getTime() ?? 0))
      .sort((a, b) => a - b);
    const cpu = after.cpuSeconds - before.cpuSeconds;
    rows.push({
      rate,
      placed: uuids.uuids.length,
      answered: answered.length,
      p50: percentile(setup, 50),
      p95: percentile(setup, 95),
      p99: percentile(setup, 99),
      cpuPct: (cpu / seconds) * 100,
      cpuMsPerCall: (cpu * 1000) / uuids.uuids.length,
      simCpuPct: ((simAfter.cpuSeconds - simBefore.cpuSeconds) / seconds) * 100,
      rssMb: after.rssMb,
    });
    const row = rows.at(-1) as RateRow;
    say(
      `${rate}/s: ${row.answered}/${row.placed} answered, set-up p50 ${row.p50} ms p95 ${row.p95} ms ` +
        `p99 ${row.p99} ms, worker CPU ${row.cpuPct.toFixed(0)} % (${row.cpuMsPerCall.toFixed(2)} ms/call), fs-sim CPU ${row.simCpuPct.toFixed(0)} %, RSS ${row.rssMb.toFixed(0)} MB`,
    );
    // A call admission control refused was never taken, so it has no record.
    const recordless = records.filter((r) => r === null).length;
    if (recordless > 0) {
      say(
        `  ${recordless} calls have no record: refused at admission or never handed to the worker (its log says which)`,
      );
    }
    await settle();
    // Sustained = every call answered and set up within a second at the 95th percentile.
    if ((row.answered < row.placed || row.p95 > 1_000) && !process.env.BENCH_KEEP_GOING) {
      say(`  not sustained at ${rate}/s: the ladder stops here`);
      break;
    }
  }
  const sustained = rows.filter((r) => r.answered === r.placed && r.p95 <= 1_000).at(-1);

  // Overload: twice the sustained rate, admission control on.
  const only = process.env.BENCH_ONLY;
  if (only !== undefined && only !== "overload")
    throw new Error(`BENCH_ONLY=${only}: only "overload" is known`);
  let overload: OverloadResult | undefined;
  if (!process.env.BENCH_SKIP_OVERLOAD) {
    const lowest = rows[0]?.rate;
    const base = sustained?.rate ?? lowest ?? Number.NaN;
    const rate = Number(process.env.BENCH_OVERLOAD_RATE ?? 0) || 2 * base;
    if (!sustained && !process.env.BENCH_OVERLOAD_RATE)
      say(
        `\nNo rate sustained in this run (see the load average): the overload phase runs at twice the lowest rate tried (${lowest}/s), not twice a sustained rate`,
      );
    if (Number.isNaN(rate)) say("\nOverload: no rate to start from: skipped");
    else {
      await talk(2_000);
      overload = await overloadPhase({
        sim,
        db,
        pid,
        httpPort: worker.httpPort,
        rate,
        sustained: sustained?.rate,
      });
      await settle();
    }
  }

  // 2. Peak concurrency.
  if (process.env.BENCH_SKIP_PEAK || only === "overload") {
    worker.child.kill("SIGTERM");
    await new Promise((resolve) => worker.child.once("exit", resolve));
    await sim.request({ cmd: "stop" }).catch(() => undefined);
    clearInterval(sampler);
    await db.close();
    await rm(dir, { recursive: true, force: true });
    say(`\nJSON: ${JSON.stringify({ rows, overload })}`);
    return;
  }
  await talk(90_000);
  const PEAK = 2_000;
  // Below the sustained set-up rate, so the peak measures holding calls, not a backlog.
  const PEAK_RATE = Number(process.env.BENCH_PEAK_RATE ?? 40);
  const peakStart = Date.now();
  const peakCalls = (
    (await sim.request({ cmd: "place", to: NUMBER, count: PEAK, perSecond: PEAK_RATE })) as {
      uuids: string[];
    }
  ).uuids;
  let callersMax = 0;
  let bridgedMax = 0;
  let rssAtPeak = 0;
  let activeAtPeak = 0;
  const peakDeadline = Date.now() + 120_000;
  while (Date.now() < peakDeadline) {
    const stats = (await sim.request({ cmd: "stats" })) as { bridged: number; callers: number };
    // Each conversation is two bridged channels (caller and agent).
    const conversations = Math.floor(stats.bridged / 2);
    if (stats.callers > callersMax || conversations > bridgedMax) {
      callersMax = Math.max(callersMax, stats.callers);
      bridgedMax = Math.max(bridgedMax, conversations);
      rssAtPeak = usage(pid).rssMb;
      activeAtPeak = await activeCalls(worker.httpPort);
    }
    if (stats.callers >= PEAK && conversations >= 1_000) break;
    await sleep(500);
  }
  const reachedAfter = (Date.now() - peakStart) / 1000;
  say(
    `\nPeak: ${callersMax}/${PEAK} callers up at once, ${bridgedMax} of them bridged to agents ` +
      `(after ${reachedAfter.toFixed(0)} s); worker active calls ${activeAtPeak}, RSS ${rssAtPeak.toFixed(0)} MB`,
  );
  await sim.request({ cmd: "hupall" });
  const peakRecords = await finishedRecords(db, peakCalls, 120_000);
  say(
    `  after hanging them all up: ${peakRecords.filter((r) => r?.outcome === "answered").length}/${PEAK} ` +
      `records answered, ${peakRecords.filter((r) => r === null).length} missing`,
  );

  // 3. Interpreter overhead.
  const fakeUs = await interpreterCpuPerCall(parseFlowGraph(graph), 2_000);
  const workerUs = (sustained?.cpuMsPerCall ?? Number.NaN) * 1000;
  say(
    `\nInterpreter alone (FlowEngine on the fake switch): ${fakeUs.toFixed(0)} µs CPU/call; ` +
      `worker at ${sustained?.rate}/s: ${workerUs.toFixed(0)} µs CPU/call; interpreter share ${((fakeUs / workerUs) * 100).toFixed(1)} %`,
  );
  clearInterval(sampler);
  say(`Worker peak RSS over the whole run: ${peakRss.toFixed(0)} MB`);

  worker.child.kill("SIGTERM");
  await new Promise((resolve) => worker.child.once("exit", resolve));
  await sim.request({ cmd: "stop" }).catch(() => undefined);
  await db.close();
  await rm(dir, { recursive: true, force: true });
  say(
    `\nJSON: ${JSON.stringify({ rows, overload, callersMax, bridgedMax, activeAtPeak, rssAtPeak, peakRss, fakeUs, workerUs })}`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  for (const child of children) child.kill("SIGKILL");
  process.exit(1);
});

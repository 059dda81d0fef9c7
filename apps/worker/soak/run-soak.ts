import { randomBytes } from "node:crypto";
import type { FlowGraph } from "@ringflow/core/flow";
import { type CallRecord, createDb, migrateDatabase } from "@ringflow/db";
import { createTestDatabase } from "@ringflow/db/testing";
import { connect as connectEsl } from "@ringflow/esl";
import { FsSim } from "@ringflow/fs-sim";
import { Redis } from "ioredis";
import { freePort, RedisServer } from "../../../packages/core/test/redis-server.js";
import { publishFlow } from "../test/rig.js";
import { workerEnv } from "../test/worker-process.js";
import { ChaosDriver, type Kill } from "./chaos.js";
import { type CallerKind, type SoakNumbers, seededRandom, soakCaller } from "./soak-callers.js";
import { SOAK_CHECKS, type SoakCall, type SoakState } from "./soak-checks.js";
import { SOAK_QUEUES, salesFlow, supportFlow } from "./soak-flows.js";
import { WorkerPool } from "./worker-pool.js";

/** Options of {@link runSoak}. */
export interface SoakOptions {
  readonly calls: number;
  /** New calls per second of real time (default 20). */
  readonly callsPerSecond?: number;
  readonly seed?: number;
  /** Progress lines (default: none). */
  readonly log?: (line: string) => void;
  /** Real ms between kills (default 4-8 s). */
  readonly killEveryMs?: readonly [number, number];
}

/** What a soak saw. */
export interface SoakReport {
  readonly calls: number;
  readonly durationMs: number;
  readonly callers: Record<CallerKind, number>;
  readonly outcomes: Record<string, number>;
  readonly kills: readonly Kill[];
  readonly workerRestarts: number;
  readonly redisRestarts: number;
  readonly longestRecoveryMs: number | null;
  readonly setupMs: { readonly p50: number; readonly p95: number; readonly samples: number };
  readonly holdersSeen: Record<string, { most: number; limit: number }>;
  readonly checks: ReadonlyArray<{ readonly name: string; readonly problems: readonly string[] }>;
  /** Warnings and errors the workers logged, by message, most frequent first. */
  readonly workerProblems: ReadonlyArray<readonly [string, number]>;
  readonly passed: boolean;
}

const WORKERS = 3;
const TIME_SCALE = 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The chaos soak: `calls` simulated calls through three worker processes
 * sharing a Redis of the soak's own and a PostgreSQL database of its own,
 * against fs-sim (ten times faster than real time), while a chaos driver
 * kills workers and restarts Redis once. Then every end-of-run check in
 * `SOAK_CHECKS`; the report says what held.
 */
export async function runSoak(options: SoakOptions): Promise<SoakReport> {
  const log = options.log ?? (() => {});
  const random = seededRandom(options.seed ?? 14);
  const rate = options.callsPerSecond ?? 20;
  const keyPrefix = `soak:${randomBytes(3).toString("hex")}:`;
  const database = await createTestDatabase("postgresql");
  const redis = await RedisServer.start();
  const sim = await FsSim.start({ port: 0, timeScale: TIME_SCALE });
  const observer = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  observer.on("error", () => {});
  let pool: WorkerPool | undefined;
  let chaos: ChaosDriver | undefined;
  let db: Awaited<ReturnType<typeof createDb<FlowGraph>>> | undefined;
  try {
    await migrateDatabase({ url: database.url });
    db = await createDb<FlowGraph>({ url: database.url });
    const agents = await setUpAgents(db, sim);
    const ports = await Promise.all(Array.from({ length: WORKERS }, () => freePort()));
    const numbers: SoakNumbers = {
      support: ports.map((_, i) => `710${i + 1}`),
      sales: ports.map((_, i) => `720${i + 1}`),
      unrouted: "7999",
    };
    await publishFlow(db, supportFlow(numbers.support, agents.groupId), numbers.support);
    await publishFlow(db, salesFlow(numbers.sales, ["user/1007", "user/1008"]), numbers.sales);
    routeWithFallback(sim, numbers, ports);

    pool = new WorkerPool(ports, (id, listenPort) =>
      workerEnv({
        simPort: sim.port,
        databaseUrl: database.url,
        workerId: id,
        redis: { url: redis.url, keyPrefix },
        extra: {
          LISTEN_PORT: String(listenPort),
          WORKER_LIVENESS_MS: "4000",
          DRAIN_TIMEOUT_MS: "5000",
        },
      }),
    );
    await Promise.all(pool.ids.map((id) => pool?.start(id)));
    log(`soak: ${WORKERS} workers up; placing ${options.calls} calls at ${rate}/s`);

    const setup = await watchAnswers(sim.port);
    const holders = watchHolders(observer, keyPrefix);
    const startedAt = Date.now();
    const expectedMs = (options.calls / rate) * 1000;
    chaos = new ChaosDriver({
      pool,
      redis,
      db,
      random,
      killEveryMs: options.killEveryMs ?? [4_000, 8_000],
      downMs: [1_000, 3_000],
      redisRestartAfterMs: expectedMs * 0.4,
      redisDownMs: 1_000,
      startedAt,
      log,
    });
    chaos.start();
    const stopBreaks = takeBreaks(db, agents.onAndOff);

    const calls = new Map<string, SoakCall>();
    const callers = Object.fromEntries(
      [
        "patient",
        "vip",
        "leavesWaiting",
        "leavesBridged",
        "sales",
        "voicemail",
        "noKey",
        "unrouted",
      ].map((k) => [k, 0]),
    ) as Record<CallerKind, number>;
    const ended: Promise<unknown>[] = [];
    let lastProgress = Date.now();
    for (let i = 0; i < options.calls; i++) {
      const due = startedAt + (i * 1000) / rate;
      if (due > Date.now()) await sleep(due - Date.now());
      const { kind, spec } = soakCaller(i, random, numbers);
      callers[kind]++;
      const placed = sim.placeCall(spec);
      const call: SoakCall = { bridgedTo: undefined, ended: false, cause: undefined };
      calls.set(placed.uuid, call);
      setup.placed(placed.uuid);
      ended.push(
        placed.result.then(
          (result) => {
            call.bridgedTo = result.bridgedTo;
            call.cause = result.hangupCause;
            call.ended = true;
          },
          () => {
            call.ended = true;
          },
        ),
      );
      if (Date.now() - lastProgress > 10_000) {
        lastProgress = Date.now();
        const up = sim.channels().filter((c) => c.answerState !== "hangup").length;
        log(
          `soak: ${i + 1}/${options.calls} placed, ${up} channels up, ${chaos.kills.length} kills, ${Math.round(process.memoryUsage().rss / 1e6)} MB`,
        );
      }
    }
    log("soak: every call placed; stopping the chaos");
    await chaos.stop();
    await stopBreaks();
    for (const id of pool.ids) await pool.start(id);
    await Promise.race([Promise.all(ended), sleep(90_000)]);
    log("soak: calls over; reading the records");
    const records = await waitForRecords(db, [...calls.keys()], 60_000);
    await sleep(1_000);
    const state: SoakState = {
      sim,
      db,
      redis: observer,
      keyPrefix,
      calls,
      records,
      agents: agents.configured,
      holdersSeen: holders.stop(),
    };
    const checks = [];
    for (const check of SOAK_CHECKS)
      checks.push({ name: check.name, problems: await check.run(state) });
    const outcomes: Record<string, number> = {};
    for (const record of records.values()) {
      const key = record.outcome ?? "open";
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    const killed = new Set(chaos.kills.map((k) => k.workerId));
    const closedLive = pool
      .problems()
      .filter(
        (line) => String(line.msg).startsWith("closed ") && !killed.has(String(line.lostWorkerId)),
      );
    checks.push({
      name: "records closed only for killed workers",
      problems: closedLive.map((line) => `${line.workerId}: ${line.msg}`),
    });
    const recoveries = chaos.kills.map((k) => k.recoveryMs);
    const unrecovered = recoveries.some((ms) => ms === null);
    if (unrecovered) {
      checks.push({
        name: "every kill recovered",
        problems: chaos.kills
          .filter((k) => k.recoveryMs === null)
          .map((k) => `${k.workerId} killed at ${k.at} ms: its calls stayed open`),
      });
    }
    setup.close();
    await pool.stopAll();
    return {
      calls: options.calls,
      durationMs: Date.now() - startedAt,
      callers,
      outcomes,
      kills: chaos.kills,
      workerRestarts: chaos.workerRestarts,
      redisRestarts: chaos.redisRestarts,
      longestRecoveryMs: unrecovered ? null : Math.max(0, ...(recoveries as number[])),
      setupMs: setup.percentiles(),
      holdersSeen: Object.fromEntries(state.holdersSeen),
      checks,
      workerProblems: tally(pool.problems()),
      passed: checks.every((c) => c.problems.length === 0),
    };
  } finally {
    await chaos?.stop();
    await pool?.stopAll();
    observer.disconnect();
    await sim.stop();
    await redis.stop();
    await db?.close();
    await database.drop();
  }
}

/**
 * Agents of the support group (in the database and on the switch): two
 * who answer, one who never does, one busy, one who answers but goes on a
 * break now and then (see `takeBreaks`), one on a break all along (the
 * group never rings it); the sales line rings 1007 (answers) and 1008
 * (never answers) in turn.
 */
async function setUpAgents(db: Awaited<ReturnType<typeof createDb<FlowGraph>>>, sim: FsSim) {
  const talk = (answerAfterMs: number, hangupAfterMs: number) => ({ answerAfterMs, hangupAfterMs });
  sim.users.set("1001", { behaviour: talk(1_500, 8_000) });
  sim.users.set("1002", { behaviour: talk(2_500, 12_000) });
  sim.users.set("1003", { behaviour: { ringAfterMs: 0, answerAfterMs: 3_600_000 } });
  sim.users.set("1004", { behaviour: { busyAfterMs: 500 } });
  sim.users.set("1005", { behaviour: talk(1_000, 10_000) });
  sim.users.set("1006", { behaviour: talk(1_000, 10_000) });
  sim.users.set("1007", { behaviour: talk(1_200, 10_000) });
  sim.users.set("1008", { behaviour: { ringAfterMs: 0, answerAfterMs: 3_600_000 } });
  const configured: Array<{ id: string; status: string; mayBreak: boolean }> = [];
  // 1003 never answers and 1004 is always busy: after `maxNoAnswer` (3)
  // missed offers in a row the worker puts them On break, as it should.
  const neverAnswers = new Set([1003, 1004]);
  const ids: string[] = [];
  for (const [n, status] of [
    [1001, "available"],
    [1002, "available"],
    [1003, "available"],
    [1004, "available"],
    [1005, "available"],
    [1006, "onBreak"],
  ] as const) {
    const agent = await db.agents.create({ name: `Agent ${n}`, contact: `user/${n}`, status });
    ids.push(agent.id);
    configured.push({ id: agent.id, status, mayBreak: neverAnswers.has(n) });
  }
  const group = await db.groups.create({ name: "Support agents", agentIds: ids });
  return { groupId: group.id, configured, onAndOff: ids[4] as string };
}

/** Sends an agent on a break and back every few seconds; back to available when stopped. */
function takeBreaks(db: Awaited<ReturnType<typeof createDb<FlowGraph>>>, agentId: string) {
  let onBreak = false;
  const setStatus = async (status: "available" | "onBreak") => {
    const agent = await db.agents.get(agentId);
    if (agent) await db.agents.update({ id: agentId, expectedRevision: agent.revision, status });
  };
  const timer = setInterval(() => {
    onBreak = !onBreak;
    void setStatus(onBreak ? "onBreak" : "available").catch(() => {});
  }, 7_000);
  return async () => {
    clearInterval(timer);
    await setStatus("available");
  };
}

/**
 * Each number's extension tries its own worker first, then the others (a
 * killed worker's callers, and calls while it is down, go on to the next
 * socket), then apologises and hangs up.
 */
function routeWithFallback(sim: FsSim, numbers: SoakNumbers, ports: readonly number[]): void {
  const socketsFrom = (first: number) =>
    ports.map((_, k) => ({
      app: "socket",
      arg: `127.0.0.1:${ports[(first + k) % ports.length]} async full`,
    }));
  const fallback = [
    { app: "playback", arg: "ivr/ivr-please_try_again_later.wav" },
    { app: "hangup", arg: "NORMAL_TEMPORARY_FAILURE" },
  ];
  for (const line of [numbers.support, numbers.sales]) {
    line.forEach((number, i) => {
      sim.dialplan.add(number, [...socketsFrom(i), ...fallback]);
    });
  }
  sim.dialplan.add(numbers.unrouted, [...socketsFrom(0), ...fallback]);
}

/** Call set-up times: from placing a call to its answer (CHANNEL_ANSWER on the switch). */
async function watchAnswers(port: number) {
  const placedAt = new Map<string, number>();
  const setups: number[] = [];
  const esl = await connectEsl({ host: "127.0.0.1", port, password: "ClueCon" });
  esl.onError(() => {});
  esl.onEvent((event) => {
    if (event.name !== "CHANNEL_ANSWER") return;
    const uuid = event.uniqueId;
    const at = uuid === undefined ? undefined : placedAt.get(uuid);
    if (uuid === undefined || at === undefined) return;
    placedAt.delete(uuid);
    setups.push(Date.now() - at);
  });
  await esl.subscribe(["CHANNEL_ANSWER"]);
  return {
    placed: (uuid: string) => placedAt.set(uuid, Date.now()),
    percentiles() {
      const sorted = [...setups].sort((a, b) => a - b);
      const at = (q: number) =>
        sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { p50: at(0.5), p95: at(0.95), samples: sorted.length };
    },
    close: () => void esl.disconnect().catch(() => {}),
  };
}

/** Samples each queue's holders in Redis every 50 ms: the most ever seen at once. */
function watchHolders(redis: Redis, keyPrefix: string) {
  const seen = new Map<string, { most: number; limit: number }>(
    Object.entries(SOAK_QUEUES).map(([queueId, limit]) => [queueId, { most: 0, limit }]),
  );
  const timer = setInterval(() => {
    for (const [queueId, entry] of seen) {
      redis
        .scard(`${keyPrefix}queue:{${queueId}}:holding`)
        .then((count) => {
          entry.most = Math.max(entry.most, count);
        })
        .catch(() => {});
    }
  }, 50);
  return {
    stop() {
      clearInterval(timer);
      return seen;
    },
  };
}

async function waitForRecords(
  db: Awaited<ReturnType<typeof createDb<FlowGraph>>>,
  uuids: readonly string[],
  timeoutMs: number,
): Promise<Map<string, CallRecord>> {
  const records = new Map<string, CallRecord>();
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const uuid of uuids) {
      if (records.get(uuid)?.outcome) continue;
      const record = await db.calls.get(uuid);
      if (record) records.set(uuid, record);
    }
    const done = uuids.every((uuid) => records.get(uuid)?.outcome);
    if (done || Date.now() > deadline) return records;
    await sleep(1_000);
  }
}

function tally(lines: ReadonlyArray<Record<string, unknown>>): Array<[string, number]> {
  const counts = new Map<string, number>();
  for (const line of lines) {
    const message = String(line.msg).replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, "<uuid>");
    counts.set(message, (counts.get(message) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
}

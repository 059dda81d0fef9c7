import { randomBytes } from "node:crypto";
import { type FlowGraph, type FlowGraphInput, parseFlowGraph } from "@ringflow/core/flow";
import { type CallRecord, createDb, type Db, migrateDatabase } from "@ringflow/db";
import { createTestDatabase, type TestDatabase } from "@ringflow/db/testing";
import { type ChannelInfo, FsSim } from "@ringflow/fs-sim";
import {
  type CallbackSettings,
  DEFAULT_CALLBACK_SETTINGS,
} from "../src/callbacks/callback-settings.js";
import type { AdmissionLimits } from "../src/calls/admission.js";
import type { WorkerConfig } from "../src/env.js";
import { createLogger } from "../src/logger.js";
import { type StartWorkerOptions, Worker } from "../src/worker.js";

/** Redis the integration tests use (`REDIS_URL`, default 127.0.0.1:6379). */
export const TEST_REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

/** A fresh key prefix: each test owns its Redis keys. */
export function uniquePrefix(label: string): string {
  return `ringflow-test:${label}:${randomBytes(4).toString("hex")}:`;
}

/** Log lines a worker wrote, parsed. */
export class LogCapture {
  readonly lines: Array<Record<string, unknown>> = [];
  /** A pino destination. */
  readonly stream = {
    write: (line: string) => {
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
    },
  };
  find(predicate: (line: Record<string, unknown>) => boolean): Record<string, unknown> | undefined {
    return this.lines.find(predicate);
  }
}

/** A database a test owns: migrated, opened, dropped by {@link TestDb.close}. */
export interface TestDb {
  readonly url: string;
  readonly db: Db<FlowGraph>;
  close(): Promise<void>;
}

/** Creates, migrates and opens a database of its own for a test file. */
export async function openTestDb(provider: "sqlite" | "postgresql"): Promise<TestDb> {
  const database: TestDatabase = await createTestDatabase(provider);
  await migrateDatabase({ url: database.url });
  const db = await createDb<FlowGraph>({ url: database.url, parseGraph: parseFlowGraph });
  return {
    url: database.url,
    db,
    async close() {
      await db.close();
      await database.drop();
    },
  };
}

/** Creates a flow with `graph` as its draft, publishes it and routes `numbers` to it. */
export async function publishFlow(
  db: Db<FlowGraph>,
  graph: FlowGraphInput,
  numbers: readonly string[],
): Promise<{ flowId: string; versionId: string; version: number }> {
  const flow = await db.flows.create({
    name: `flow ${randomBytes(4).toString("hex")}`,
    draftGraph: graph,
  });
  const version = await db.versions.publish({ flowId: flow.id, publishedBy: "test" });
  for (const number of numbers) await db.routes.set({ number, flowId: flow.id });
  return { flowId: flow.id, versionId: version.id, version: version.version };
}

/** Publishes `graph` as the next version of `flowId`. */
export async function publishNextVersion(
  db: Db<FlowGraph>,
  flowId: string,
  graph: FlowGraphInput,
): Promise<{ versionId: string; version: number }> {
  await db.flows.saveDraft({ id: flowId, draftGraph: graph });
  const version = await db.versions.publish({ flowId, publishedBy: "test" });
  return { versionId: version.id, version: version.version };
}

/** What {@link queueFlow} builds. */
export interface QueueFlowOptions {
  readonly numbers: readonly string[];
  readonly queueId: string;
  readonly maxConcurrent?: number;
  readonly destinations?: readonly string[];
  readonly vipNumbers?: readonly string[];
  readonly timeoutSeconds?: number | null;
  /** Names the version in the flow's start label (tests tell versions apart by it). */
  readonly label?: string;
}

/**
 * The flow the end-to-end tests run: start → queue → ring group (parallel)
 * → bridge → hang up; nobody answering or a failed bridge queues the caller
 * again after a short message; a queue timeout goes to voicemail.
 */
export function queueFlow(options: QueueFlowOptions): FlowGraphInput {
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: "start",
        type: "start",
        position: { x: 0, y: 0 },
        data: { label: options.label ?? "start", numbers: [...options.numbers] },
      },
      {
        id: "queue",
        type: "queue",
        position: { x: 200, y: 0 },
        data: {
          queueId: options.queueId,
          maxConcurrent: options.maxConcurrent ?? 2,
          timeoutSeconds: options.timeoutSeconds === undefined ? 300 : options.timeoutSeconds,
          vipNumbers: [...(options.vipNumbers ?? [])],
          vipPriority: 0,
          announceEverySeconds: null,
        },
      },
      {
        id: "agents",
        type: "ringGroup",
        position: { x: 400, y: 0 },
        data: {
          targets: {
            kind: "destinations",
            destinations: [...(options.destinations ?? ["user/1001", "user/1002", "user/1003"])],
          },
          mode: "parallel",
          legTimeoutSeconds: 20,
          totalTimeoutSeconds: 30,
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
      {
        id: "mailbox",
        type: "voicemail",
        position: { x: 600, y: 200 },
        data: { mailbox: "7000" },
      },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "queue" },
      { id: "e2", source: "queue", sourceHandle: "acquired", target: "agents" },
      ...(options.timeoutSeconds === null
        ? []
        : [{ id: "e3", source: "queue", sourceHandle: "timeout", target: "mailbox" }]),
      { id: "e4", source: "agents", sourceHandle: "answered", target: "connect" },
      { id: "e5", source: "agents", sourceHandle: "noAnswer", target: "busy" },
      { id: "e6", source: "busy", sourceHandle: "next", target: "queue" },
      { id: "e7", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e8", source: "connect", sourceHandle: "failed", target: "busy" },
    ],
  };
}

/** A flow that rejects every call at once (start → hang up CALL_REJECTED): its calls are easy to tell apart. */
export function rejectingFlow(number: string): FlowGraphInput {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: [number] } },
      { id: "no", type: "hangup", position: { x: 200, y: 0 }, data: { cause: "CALL_REJECTED" } },
    ],
    edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "no" }],
  };
}

/** Settings of a worker started by {@link startTestWorker}. */
export interface TestWorkerOptions {
  readonly sim: FsSim;
  readonly databaseUrl: string;
  readonly redis?: { readonly url: string; readonly keyPrefix: string };
  readonly workerId?: string;
  readonly drainTimeoutMs?: number;
  readonly flowPollMs?: number;
  readonly workerLivenessMs?: number;
  /** Overload limits; default: none (a loaded test machine must not shed calls). */
  readonly admission?: Partial<AdmissionLimits>;
  /** Run drafts for calls carrying X-Ringflow-Draft (TEST_CALLS). */
  readonly testCalls?: boolean;
  /** Callback settings over the defaults (`CALLBACK_*`). */
  readonly callbacks?: Partial<CallbackSettings>;
  /** Told of every caller served from a queue (see `StartWorkerOptions.onServed`). */
  readonly onServed?: StartWorkerOptions["onServed"];
}

/** A worker in this process, on ephemeral ports, logging into a {@link LogCapture}. */
export async function startTestWorker(
  options: TestWorkerOptions,
): Promise<{ worker: Worker; logs: LogCapture; config: WorkerConfig }> {
  const config = testWorkerConfig(options);
  const logs = new LogCapture();
  const log = createLogger({ level: "debug", workerId: config.workerId, destination: logs.stream });
  const worker = await Worker.start(config, {
    log,
    ...(options.onServed ? { onServed: options.onServed } : {}),
  });
  return { worker, logs, config };
}

/** The config of a test worker pointed at `sim`. */
export function testWorkerConfig(options: TestWorkerOptions): WorkerConfig {
  return {
    esl: { host: "127.0.0.1", port: options.sim.port, password: "ClueCon" },
    listen: { host: "127.0.0.1", port: 0 },
    databaseUrl: options.databaseUrl,
    redis: options.redis ?? null,
    workerId: options.workerId ?? `test-worker-${randomBytes(3).toString("hex")}`,
    http: { host: "127.0.0.1", port: 0 },
    drainTimeoutMs: options.drainTimeoutMs ?? 10_000,
    flowPollMs: options.flowPollMs ?? (options.redis ? 30_000 : 1_000),
    workerLivenessMs: options.workerLivenessMs ?? 10_000,
    logLevel: "debug",
    admission: {
      maxEventLoopDelayMs: Number.POSITIVE_INFINITY,
      maxCallsInSetUp: Number.POSITIVE_INFINITY,
      maxRssMb: Number.POSITIVE_INFINITY,
      refusal: { kind: "hangup", cause: "NORMAL_TEMPORARY_FAILURE" },
      ...options.admission,
    },
    testCalls: options.testCalls ?? false,
    callbacks: { ...DEFAULT_CALLBACK_SETTINGS, ...options.callbacks },
  };
}

/** Points `number` in the simulator's dialplan at a worker's outbound-socket port. */
export function routeNumber(sim: FsSim, number: string, callPort: number): void {
  sim.dialplan.add(number, [{ app: "socket", arg: `127.0.0.1:${callPort} async full` }]);
}

/** Scripts the three agents of {@link queueFlow}: 1001 and 1002 answer, 1003 is busy. */
export function scriptAgents(
  sim: FsSim,
  { answerAfterMs, talkMs }: { answerAfterMs: number; talkMs: number },
): void {
  sim.users.set("1001", { behaviour: { answerAfterMs, hangupAfterMs: talkMs } });
  sim.users.set("1002", {
    behaviour: { answerAfterMs: answerAfterMs + 50, hangupAfterMs: talkMs },
  });
  sim.users.set("1003", { behaviour: { busyAfterMs: Math.max(1, answerAfterMs / 2) } });
}

/** The simulator's channels that are not hung up. */
export function liveChannels(sim: FsSim): ChannelInfo[] {
  return sim.channels().filter((c) => c.answerState !== "hangup");
}

/** Waits (real time) until `condition` holds. */
export async function eventually(
  condition: () => boolean | Promise<boolean>,
  { timeoutMs = 20_000, what = "condition" }: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until every one of `uuids` has a finished call record (an outcome). */
export async function waitForRecords(
  db: Db<FlowGraph>,
  uuids: readonly string[],
  timeoutMs = 60_000,
): Promise<CallRecord[]> {
  const records = new Map<string, CallRecord>();
  await eventually(
    async () => {
      for (const uuid of uuids) {
        if (records.has(uuid)) continue;
        const record = await db.calls.get(uuid);
        if (record?.outcome) records.set(uuid, record);
      }
      return records.size === uuids.length;
    },
    { timeoutMs, what: `${uuids.length} finished call records` },
  );
  return uuids.map((uuid) => records.get(uuid) as CallRecord);
}

/** One stay in a queue's line, read from a call's trace. */
export interface QueueJoin {
  readonly callUuid: string;
  readonly priority: number;
  /** When the entry joined the line (the backend's stamp: the `enqueued` note is taken at it). */
  readonly enqueuedAt: number;
  /**
   * When it got a slot: `enqueuedAt` + the wait the queue reported, both the
   * backend's own stamps, so this is the slot's `acquiredAt` exactly. Null
   * if it never got one.
   */
  readonly acquiredAt: number | null;
  /**
   * A moment by which the slot was surely still held: the trace's next
   * entry into a node that gives slots back, or the caller hanging up. The
   * slot is given back then or a little later, never earlier.
   */
  readonly heldUntil: number | null;
}

type TraceData = {
  output?: string;
  detail?: { event?: string; priority?: number; waitMs?: number };
} | null;

/**
 * Every join of every call, from the traces the worker wrote: the `enqueued`
 * note (time and priority), the queue's `acquired` output (its wait), and
 * the first later step that gives the slot back (entering one of
 * `releaseNodes`, or the caller hanging up).
 */
export async function queueJoins(
  db: Db<FlowGraph>,
  records: readonly CallRecord[],
  releaseNodes: readonly string[],
): Promise<QueueJoin[]> {
  const joins: QueueJoin[] = [];
  for (const record of records) {
    const trace = await db.calls.getTrace(record.callUuid);
    const steps = trace?.steps ?? [];
    steps.forEach((step, index) => {
      const data = step.data as TraceData;
      if (step.kind !== "note" || data?.detail?.event !== "enqueued") return;
      const enqueuedAt = step.at.getTime();
      const rest = steps.slice(index + 1);
      const left = rest.find((s) => s.kind === "output" && s.nodeId === step.nodeId);
      const leftData = left?.data as TraceData;
      const acquired = leftData?.output === "acquired" ? (leftData.detail?.waitMs ?? 0) : null;
      let heldUntil: number | null = null;
      if (acquired !== null && left) {
        const release = rest.slice(rest.indexOf(left) + 1).find((s) => {
          const d = s.data as TraceData;
          if (s.kind === "enter") return s.nodeId !== null && releaseNodes.includes(s.nodeId);
          return s.kind === "note" && d?.detail?.event === "callerHungUp";
        });
        heldUntil = release ? release.at.getTime() : (record.endedAt?.getTime() ?? null);
      }
      joins.push({
        callUuid: record.callUuid,
        priority: data.detail.priority ?? 5,
        enqueuedAt,
        acquiredAt: acquired === null ? null : enqueuedAt + acquired,
        heldUntil,
      });
    });
  }
  return joins;
}

/**
 * The most slot holders at any instant, from {@link queueJoins}: each
 * holding interval [acquiredAt, heldUntil) lies inside the true one, so the
 * count never overstates; a count above the limit is a real breach.
 */
export function maxConcurrentHolders(joins: readonly QueueJoin[]): number {
  const points: Array<{ at: number; delta: number }> = [];
  for (const join of joins) {
    if (join.acquiredAt === null || join.heldUntil === null) continue;
    points.push({ at: join.acquiredAt, delta: 1 }, { at: join.heldUntil, delta: -1 });
  }
  // Ends before starts at the same instant: half-open intervals.
  points.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let now = 0;
  let max = 0;
  for (const point of points) {
    now += point.delta;
    max = Math.max(max, now);
  }
  return max;
}

/**
 * Checks FIFO within a priority and priority across them, over joins that
 * got a slot: of two joins of one priority, the earlier is served no later;
 * a join of a better (lower) priority waiting when a worse one is served is
 * served no later. Returns the pairs that break this (empty when none do).
 *
 * With Redis, pass a `toleranceMs`: Redis decides the order, but the
 * stamps are taken by the workers — a join or an at-once slot just before
 * the command is sent, a grant to a waiter when its message arrives — so
 * stamps of changes a few ms apart can disagree with Redis's order.
 */
export function orderViolations(joins: readonly QueueJoin[], toleranceMs = 0): string[] {
  const served = joins.filter((j) => j.acquiredAt !== null);
  const problems: string[] = [];
  for (const a of served) {
    for (const b of served) {
      if (a === b) continue;
      const aAcq = a.acquiredAt as number;
      const bAcq = b.acquiredAt as number;
      const aFirst =
        a.priority === b.priority
          ? a.enqueuedAt + toleranceMs < b.enqueuedAt
          : a.priority < b.priority && a.enqueuedAt + toleranceMs < bAcq;
      if (aFirst && aAcq > bAcq + toleranceMs) {
        problems.push(
          `${a.callUuid} (priority ${a.priority}, joined ${a.enqueuedAt}) served at ${aAcq}, ` +
            `after ${b.callUuid} (priority ${b.priority}, joined ${b.enqueuedAt}) at ${bAcq}`,
        );
      }
    }
  }
  return problems;
}

/** Starts a simulator on a free port, ten times faster than real time by default. */
export function startSim(timeScale = 10): Promise<FsSim> {
  return FsSim.start({ port: 0, timeScale });
}

/** start → queue (1 slot, offers a callback at once) → ring user/1001 → bridge; `callback` → thanks → hang up. */
export function callbackOfferFlow(queueId: string): FlowGraphInput {
  const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({
    id,
    type,
    position: { x: 0, y: 0 },
    data,
  });
  return {
    schemaVersion: 1,
    nodes: [
      node("start", "start", { numbers: ["7000"] }),
      node("queue", "queue", {
        queueId,
        maxConcurrent: 1,
        announceEverySeconds: 10,
        callbackOfferSeconds: 0,
        callbackRetrySeconds: 10,
      }),
      node("agents", "ringGroup", {
        targets: { kind: "destinations", destinations: ["user/1001"] },
        legTimeoutSeconds: 20,
      }),
      node("connect", "bridge", { to: { kind: "answeredLeg" } }),
      node("thanks", "announce", { message: { kind: "speech", text: "Thank you, goodbye." } }),
      node("bye", "hangup"),
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "queue" },
      { id: "e2", source: "queue", sourceHandle: "acquired", target: "agents" },
      { id: "e3", source: "agents", sourceHandle: "answered", target: "connect" },
      { id: "e4", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e5", source: "queue", sourceHandle: "callback", target: "thanks" },
      { id: "e6", source: "thanks", sourceHandle: "next", target: "bye" },
    ],
  } as FlowGraphInput;
}

/**
 * Waits until `uuid` hears a prompt containing `text` and then collects
 * digits, then keys `digits` (none when empty: the test keys them itself).
 */
export async function answerPrompt(
  sim: FsSim,
  uuid: string,
  text: string,
  digits: string,
): Promise<void> {
  const app = () => sim.channel(uuid)?.variables ?? {};
  await eventually(
    () =>
      app().current_application === "speak" &&
      (app().current_application_data ?? "").includes(text),
    { what: `the prompt "${text}"` },
  );
  await eventually(() => app().current_application === "play_and_get_digits", {
    what: `digits collected after "${text}"`,
  });
  if (digits !== "") sim.sendDtmf(uuid, digits);
}

import { Queue } from "@ringflow/core/queue";
import type { CallbackRequest } from "@ringflow/db";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { openTestDb, type TestDb, uniquePrefix } from "../../test/rig.js";
import { createLogger } from "../logger.js";
import {
  type CallbackContext,
  type CallbackDial,
  type CallbackDialOutcome,
  CallbackDispatcher,
  type CallbackDispatcherOptions,
} from "./callback-dispatcher.js";
import { type CallbackSettings, DEFAULT_CALLBACK_SETTINGS } from "./callback-settings.js";

const log = createLogger({ level: "silent", workerId: "test" });
const OPEN: CallbackContext = { maxConcurrent: 1, hours: [], ringGroup: null };
const CLOSED: CallbackContext = {
  maxConcurrent: 1,
  hours: [{ label: "", timeZone: "UTC", hours: [], holidays: [] }],
  ringGroup: null,
};

const settings = (overrides: Partial<CallbackSettings> = {}): CallbackSettings => ({
  ...DEFAULT_CALLBACK_SETTINGS,
  dialTemplate: "user/{number}",
  leaseMs: 3_000,
  pollMs: 100,
  backoff: { initialMs: 1_000, maxMs: 1_000 },
  ...overrides,
});

/**
 * The dispatcher on a real SQLite database and a real in-memory queue; the
 * dial (core's connectCallback in the worker) is scripted per test, so the
 * dispatcher's own rules are what is checked: line order, leases, attempts,
 * opening hours, the dial rate.
 */
describe("CallbackDispatcher", () => {
  let testDb: TestDb;
  const running: CallbackDispatcher[] = [];

  beforeAll(async () => {
    testDb = await openTestDb("sqlite");
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop(1_000)));
    // Each dispatcher serves every queue: leave no request to the next test.
    for (const open of await testDb.db.callbacks.listOpen())
      await testDb.db.callbacks.cancel(open.id);
  });
  afterAll(async () => {
    await testDb?.close();
  });

  function start(options: {
    owner?: string;
    queue?: Queue;
    settings?: Partial<CallbackSettings>;
    context?: CallbackContext;
    dial: (dial: CallbackDial) => Promise<CallbackDialOutcome>;
    onSettled?: (queueId: string) => void;
    line?: CallbackDispatcherOptions["line"];
    liveConversation?: (customerLeg: string) => Promise<boolean>;
  }): CallbackDispatcher {
    const dispatcher = new CallbackDispatcher({
      owner: options.owner ?? "w1",
      db: testDb.db,
      queue: options.queue ?? new Queue(),
      settings: settings(options.settings),
      contextOf: async () => options.context ?? OPEN,
      dial: options.dial,
      liveConversation: options.liveConversation ?? (async () => false),
      log,
      ...(options.onSettled ? { onSettled: options.onSettled } : {}),
      ...(options.line ? { line: options.line } : {}),
    });
    running.push(dispatcher);
    dispatcher.start();
    return dispatcher;
  }

  const store = (queueId: string, number: string, requestedAt: number, maxAttempts = 3) =>
    testDb.db.callbacks.create({
      queueId,
      number,
      requestedAt: new Date(requestedAt),
      maxAttempts,
    });

  it("dials requests through the queue in the callers' order and completes them", async () => {
    const queueId = uniquePrefix("cb");
    const t = Date.now() - 60_000;
    // Stored out of order: the line goes by when each caller first joined.
    const second = await store(queueId, "1002", t + 2_000);
    const first = await store(queueId, "1001", t + 1_000);
    const dialled: Array<{ number: string; destination: string; inSlot: boolean }> = [];
    const settled: string[] = [];
    const line: string[] = [];
    start({
      dial: async ({ request, destination, slot }) => {
        dialled.push({ number: request.number, destination, inSlot: slot.queueId === queueId });
        return { kind: "completed", agentContact: "user/1001" };
      },
      onSettled: (id) => settled.push(id),
      line: {
        joined: (request, itemId) => line.push(`joined ${itemId} ${request.number}`),
        unserved: (itemId) => line.push(`unserved ${itemId}`),
        left: (itemId) => line.push(`left ${itemId}`),
      },
    });
    await vi.waitFor(
      async () => {
        for (const r of [first, second]) {
          expect((await testDb.db.callbacks.get(r.request.id))?.status).toBe("completed");
        }
      },
      { timeout: 10_000 },
    );
    expect(dialled).toEqual([
      { number: "1001", destination: "user/1001", inSlot: true },
      { number: "1002", destination: "user/1002", inSlot: true },
    ]);
    // Each completion is told (the wall-board refreshes its callback counts).
    await vi.waitFor(() => expect(settled).toEqual([queueId, queueId]));
    // Each joined the line under its item id, with its number, and left it.
    await vi.waitFor(() =>
      expect([...line].sort()).toEqual(
        [
          `joined callback:${first.request.id} 1001`,
          `joined callback:${second.request.id} 1002`,
          `left callback:${first.request.id}`,
          `left callback:${second.request.id}`,
        ].sort(),
      ),
    );
    for (const r of [first, second]) {
      const id = `callback:${r.request.id}`;
      expect(line.indexOf(`left ${id}`)).toBeGreaterThan(line.findIndex((l) => l.includes(id)));
    }
  });

  it("retries a customer who does not answer after the backoff, and fails after maxAttempts", async () => {
    const queueId = uniquePrefix("cb");
    const { request } = await store(queueId, "1003", Date.now() - 1_000, 2);
    const dials: number[] = [];
    const settled: string[] = [];
    start({
      dial: async () => {
        dials.push(Date.now());
        return { kind: "customerNotReached", result: "NO_ANSWER" };
      },
      onSettled: (id) => settled.push(id),
    });
    await vi.waitFor(
      async () => expect((await testDb.db.callbacks.get(request.id))?.status).toBe("failed"),
      { timeout: 10_000 },
    );
    const stored = (await testDb.db.callbacks.get(request.id)) as CallbackRequest;
    expect(stored).toMatchObject({ attempts: 2, lastResult: "NO_ANSWER", leaseOwner: null });
    expect(dials).toHaveLength(2);
    // Told once: when it failed, not on the retry.
    await vi.waitFor(() => expect(settled).toEqual([queueId]));
    // The second attempt waited out the 1 s backoff.
    expect((dials[1] ?? 0) - (dials[0] ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("gives back a request whose slot found no agent, without counting an attempt", async () => {
    const queueId = uniquePrefix("cb");
    const { request } = await store(queueId, "1004", Date.now() - 1_000);
    let dials = 0;
    const line: string[] = [];
    start({
      settings: { noAgentRetryMs: 60_000 },
      dial: async () => {
        dials++;
        return { kind: "noAgent", result: "noAnswer" };
      },
      line: {
        joined: (_, itemId) => line.push(`joined ${itemId}`),
        unserved: (itemId) => line.push(`unserved ${itemId}`),
        left: (itemId) => line.push(`left ${itemId}`),
      },
    });
    await vi.waitFor(
      async () => {
        expect(dials).toBe(1);
        const stored = await testDb.db.callbacks.get(request.id);
        expect(stored).toMatchObject({ status: "pending", attempts: 0, leaseOwner: null });
        expect(stored?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
      },
      { timeout: 10_000 },
    );
    // Its slot served nobody: said before the slot went back (its hold is no handle time).
    const itemId = `callback:${request.id}`;
    await vi.waitFor(() =>
      expect(line).toEqual([`joined ${itemId}`, `unserved ${itemId}`, `left ${itemId}`]),
    );
  });

  it("gives the dial permit back when a try rang nobody, so all-busy retries do not use up the rate", async () => {
    const queueId = uniquePrefix("cb");
    const { request } = await store(queueId, "1011", Date.now() - 1_000);
    let dials = 0;
    start({
      // One customer dialled a minute; each all-busy try is retried 100 ms later.
      settings: { dialsPerMinute: 1, noAgentRetryMs: 100 },
      dial: async () => {
        dials++;
        return dials <= 3
          ? { kind: "noAgent", result: "allBusy" }
          : { kind: "completed", agentContact: "user/1001" };
      },
    });
    // Three tries found no agent; the fourth still had the minute's one permit.
    await vi.waitFor(
      async () => expect((await testDb.db.callbacks.get(request.id))?.status).toBe("completed"),
      { timeout: 10_000 },
    );
    expect(dials).toBe(4);
  });

  it("dials nobody outside the queue's opening hours", async () => {
    const queueId = uniquePrefix("cb");
    const { request } = await store(queueId, "1005", Date.now() - 1_000);
    const dial = vi.fn(
      async (): Promise<CallbackDialOutcome> => ({ kind: "completed", agentContact: "x" }),
    );
    start({ context: CLOSED, settings: { closedRecheckMs: 60_000 }, dial });
    await vi.waitFor(
      async () => {
        const stored = await testDb.db.callbacks.get(request.id);
        expect(stored?.status).toBe("pending");
        expect(stored?.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 50_000);
      },
      { timeout: 10_000 },
    );
    expect(dial).not.toHaveBeenCalled();
  });

  it("dials no more than the queue's rate, across two dispatchers", async () => {
    const queueId = uniquePrefix("cb");
    const t = Date.now() - 10_000;
    for (let i = 0; i < 5; i++) await store(queueId, `20${i}`, t + i);
    const dialled: string[] = [];
    const dial = async ({ request }: CallbackDial): Promise<CallbackDialOutcome> => {
      dialled.push(request.number);
      return { kind: "completed", agentContact: "user/1001" };
    };
    const queue = new Queue();
    const context = { maxConcurrent: 5, hours: [], ringGroup: null };
    start({ owner: "a", queue, context, settings: { dialsPerMinute: 2 }, dial });
    start({ owner: "b", queue, context, settings: { dialsPerMinute: 2 }, dial });
    await vi.waitFor(() => expect(dialled).toHaveLength(2), { timeout: 10_000 });
    // The other three hold slots (5 at once) yet are not dialled: the rate
    // limit holds them until the minute is over.
    await vi.waitFor(
      async () => {
        expect((await queue.snapshot(queueId)).holders).toHaveLength(3);
        const open = await testDb.db.callbacks.listOpen({ queueId });
        expect(open.filter((r) => r.status === "dialling")).toHaveLength(3);
      },
      { timeout: 10_000 },
    );
    expect(dialled).toHaveLength(2);
  });

  it("leaves a request whose lease was taken over to its new owner", async () => {
    const queueId = uniquePrefix("cb");
    const { request } = await store(queueId, "1006", Date.now() - 1_000);
    let signal: AbortSignal | undefined;
    start({
      settings: { leaseMs: 1_000 },
      dial: ({ signal: s }) => {
        signal = s;
        // Rings until the dispatcher gives up on it.
        return new Promise((_, reject) => s.addEventListener("abort", () => reject(s.reason)));
      },
    });
    await vi.waitFor(() => expect(signal).toBeDefined(), { timeout: 10_000 });
    // Another worker took it over (as after a lease that ran out in an outage).
    await testDb.db.callbacks.release({ id: request.id, owner: "w1" });
    await testDb.db.callbacks.claimDue({
      owner: "other",
      now: new Date(),
      leaseMs: 60_000,
      limit: 1,
      queueIds: [queueId],
    });
    await vi.waitFor(() => expect(signal?.aborted).toBe(true), { timeout: 10_000 });
    expect(await testDb.db.callbacks.get(request.id)).toMatchObject({
      status: "dialling",
      leaseOwner: "other",
      attempts: 0,
    });
  });

  it("takes over a killed dispatcher's request once its lease runs out, keeping its place", async () => {
    const queueId = uniquePrefix("cb");
    const { request } = await store(queueId, "1007", Date.now() - 5_000);
    // A dispatcher that claimed it and died: nobody renews the lease.
    await testDb.db.callbacks.claimDue({
      owner: "killed",
      now: new Date(),
      leaseMs: 500,
      limit: 1,
      queueIds: [queueId],
    });
    const dialled: CallbackRequest[] = [];
    start({
      owner: "survivor",
      dial: async ({ request: r }) => {
        dialled.push(r);
        return { kind: "completed", agentContact: "user/1001" };
      },
    });
    await vi.waitFor(
      async () => expect((await testDb.db.callbacks.get(request.id))?.status).toBe("completed"),
      { timeout: 10_000 },
    );
    expect(dialled.map((r) => [r.id, r.requestedAt])).toEqual([[request.id, request.requestedAt]]);
  });

  it("completes, without dialling again, a request whose dead holder left the customer talking", async () => {
    const queueId = uniquePrefix("cb");
    const dialled: string[] = [];
    const asked: string[] = [];
    const survivor = () =>
      start({
        owner: "survivor",
        dial: async ({ request: r }) => {
          dialled.push(r.id);
          return { kind: "completed", agentContact: "user/1001" };
        },
        liveConversation: async (leg) => {
          asked.push(leg);
          return leg === "talking-leg";
        },
      });
    // Two requests whose holder died mid-dial: one's customer is still
    // bridged to an agent, the other's dial had not reached them.
    const talking = (await store(queueId, "1009", Date.now() - 2_000)).request;
    const lost = (await store(queueId, "1010", Date.now() - 1_000)).request;
    await testDb.db.callbacks.claimDue({
      owner: "killed",
      now: new Date(),
      leaseMs: 300,
      limit: 2,
      queueIds: [queueId],
    });
    for (const [r, customerLeg] of [
      [talking, "talking-leg"],
      [lost, "gone-leg"],
    ] as const) {
      await testDb.db.callbacks.markDialling({
        id: r.id,
        owner: "killed",
        now: new Date(),
        customerLeg,
      });
    }
    survivor();
    await vi.waitFor(
      async () => {
        expect((await testDb.db.callbacks.get(talking.id))?.status).toBe("completed");
        expect((await testDb.db.callbacks.get(lost.id))?.status).toBe("completed");
      },
      { timeout: 10_000 },
    );
    expect(await testDb.db.callbacks.get(talking.id)).toMatchObject({
      lastResult: "connectedBeforeWorkerLost",
      lostDials: 1,
      attempts: 0,
    });
    expect(dialled).toEqual([lost.id]);
    expect(asked.sort()).toEqual(["gone-leg", "talking-leg"]);
  });

  it("gives back the requests waiting in line when it stops", async () => {
    const queueId = uniquePrefix("cb");
    const queue = new Queue();
    // The one slot is taken: the request waits in line.
    const blocker = await queue.slot(queueId, { maxConcurrent: 1 });
    const { request } = await store(queueId, "1008", Date.now() - 1_000);
    const dispatcher = start({
      queue,
      dial: async () => ({ kind: "completed", agentContact: "x" }),
    });
    await vi.waitFor(() => expect(dispatcher.activeCount).toBe(1), { timeout: 10_000 });
    await dispatcher.stop(1_000);
    expect(await testDb.db.callbacks.get(request.id)).toMatchObject({
      status: "pending",
      leaseOwner: null,
      attempts: 0,
    });
    expect((await queue.snapshot(queueId)).waiters).toHaveLength(0);
    await blocker.release();
  });
});

import { parseFlowGraph } from "@ringflow/core/flow";
import { RedisFlowAnnouncer } from "@ringflow/core/redis";
import { createDb } from "@ringflow/db";
import type { FsSim } from "@ringflow/fs-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  publishFlow,
  publishNextVersion,
  queueFlow,
  rejectingFlow,
  routeNumber,
  scriptAgents,
  startSim,
  startTestWorker,
  TEST_REDIS_URL,
  type TestDb,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";
import { UNROUTED_CAUSE } from "../calls/call-runner.js";
import type { Worker } from "../worker.js";

/**
 * Places a call every 100 ms until one runs `version` (read from its
 * record), and returns how long after `since` that call was placed.
 */
async function timeUntilVersion(
  sim: FsSim,
  testDb: TestDb,
  number: string,
  version: number,
  since: number,
): Promise<number> {
  const placed: Array<{ uuid: string; at: number }> = [];
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    placed.push({ uuid: sim.placeCall({ from: "5552000", to: number }).uuid, at: Date.now() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    for (const call of placed) {
      const record = await testDb.db.calls.get(call.uuid);
      if (record?.flowVersion === version) return call.at - since;
    }
  }
  throw new Error(`no call ran version ${version} within 15 s`);
}

describe("routing calls to published flows", () => {
  let sim: FsSim;
  let testDb: TestDb;
  let worker: Worker;
  let logs: Awaited<ReturnType<typeof startTestWorker>>["logs"];
  beforeAll(async () => {
    sim = await startSim(10);
    testDb = await openTestDb("sqlite");
    ({ worker, logs } = await startTestWorker({ sim, databaseUrl: testDb.url, flowPollMs: 1_000 }));
  });
  afterAll(async () => {
    await worker?.stop();
    await sim?.stop();
    await testDb?.close();
  });

  it("records a call to an unknown number, then hangs it up with UNALLOCATED_NUMBER, and serves the next", async () => {
    routeNumber(sim, "7999", worker.callPort);
    const unknown = sim.placeCall({ from: "5551111", to: "7999" });
    const result = await unknown.result;
    expect(result).toMatchObject({ hangupCause: UNROUTED_CAUSE, answered: false });
    // Written before the hang-up, not after it (a worker killed at the
    // hang-up must not leave the call without a record): read at once.
    const record = await testDb.db.calls.get(unknown.uuid);
    expect(record).toMatchObject({
      outcome: "failed",
      hangupCause: "UNALLOCATED_NUMBER",
      flowId: null,
      numberDialled: "7999",
    });
    expect(
      logs.find(
        (line) =>
          line.level === 40 &&
          line.callUuid === unknown.uuid &&
          String(line.msg).includes('no published flow for dialled number "7999"'),
      ),
    ).toBeDefined();

    // The worker carries on: a routed number right after is served.
    await publishFlow(testDb.db, queueFlow({ numbers: ["7100"], queueId: "q7100" }), ["7100"]);
    routeNumber(sim, "7100", worker.callPort);
    scriptAgents(sim, { answerAfterMs: 500, talkMs: 2_000 });
    const next = sim.placeCall({ from: "5551112", to: "7100" });
    const [served] = await waitForRecords(testDb.db, [next.uuid]);
    expect(served).toMatchObject({ outcome: "answered", flowVersion: 1 });
  });

  it("runs a new version for new calls within 2 s of publishing (poll), while running calls keep theirs", async () => {
    const number = "7200";
    const { flowId } = await publishFlow(
      testDb.db,
      queueFlow({ numbers: [number], queueId: "q7200" }),
      [number],
    );
    await worker.refreshFlows();
    routeNumber(sim, number, worker.callPort);
    // The agent talks for 40 simulated seconds: 4 s of real time.
    sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 40_000 } });
    sim.users.set("1002", { behaviour: { busyAfterMs: 100 } });
    sim.users.set("1003", { behaviour: { busyAfterMs: 100 } });
    const running = sim.placeCall({ from: "5553000", to: number });
    await eventually(
      async () => (await testDb.db.calls.get(running.uuid))?.agentContact === "user/1001",
      { what: "the first call bridged on version 1" },
    );

    await publishNextVersion(testDb.db, flowId, rejectingFlow(number));
    const after = await timeUntilVersion(sim, testDb, number, 2, Date.now());
    expect(after).toBeLessThan(2_000);

    const [kept] = await waitForRecords(testDb.db, [running.uuid]);
    expect(kept).toMatchObject({ outcome: "answered", flowVersion: 1, queueId: "q7200" });
  });
});

describe("publish announcements through Redis", () => {
  it("reaches the worker at once, long before its (30 s) safety poll", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const keyPrefix = uniquePrefix("publish");
    // What the web app holds: a database handle that announces each publish.
    const announcer = new RedisFlowAnnouncer({ url: TEST_REDIS_URL, keyPrefix });
    const publisher = await createDb({ url: testDb.url, parseGraph: parseFlowGraph, announcer });
    const { worker } = await startTestWorker({
      sim,
      databaseUrl: testDb.url,
      redis: { url: TEST_REDIS_URL, keyPrefix },
      flowPollMs: 30_000,
    });
    try {
      const number = "7300";
      const { flowId } = await publishFlow(
        testDb.db,
        queueFlow({ numbers: [number], queueId: "q7300" }),
        [number],
      );
      await worker.refreshFlows();
      routeNumber(sim, number, worker.callPort);
      scriptAgents(sim, { answerAfterMs: 500, talkMs: 1_000 });
      const first = sim.placeCall({ from: "5554000", to: number });
      expect((await waitForRecords(testDb.db, [first.uuid]))[0]?.flowVersion).toBe(1);

      await publishNextVersion(publisher, flowId, rejectingFlow(number));
      const after = await timeUntilVersion(sim, testDb, number, 2, Date.now());
      expect(after).toBeLessThan(2_000);
    } finally {
      await publisher.close();
      await announcer.close();
      await worker.stop();
      await sim.stop();
      await testDb.close();
    }
  });
});

import type { FsSim } from "@ringflow/fs-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  rejectingFlow,
  routeNumber,
  startSim,
  startTestWorker,
  type TestDb,
  waitForRecords,
} from "../../test/rig.js";
import { UNROUTED_CAUSE } from "../calls/call-runner.js";
import type { Worker } from "../worker.js";

const DRAFT = "X-Ringflow-Draft";

describe("test calls: a call carrying X-Ringflow-Draft runs the flow's draft", () => {
  let sim: FsSim;
  let testDb: TestDb;
  let worker: Worker;
  let strict: Worker;
  beforeAll(async () => {
    sim = await startSim(10);
    testDb = await openTestDb("sqlite");
    ({ worker } = await startTestWorker({ sim, databaseUrl: testDb.url, testCalls: true }));
    ({ worker: strict } = await startTestWorker({ sim, databaseUrl: testDb.url }));
    routeNumber(sim, "7300", worker.callPort);
    routeNumber(sim, "7301", strict.callPort);
  });
  afterAll(async () => {
    await worker?.stop();
    await strict?.stop();
    await sim?.stop();
    await testDb?.close();
  });

  it("runs the unpublished draft, not the live version, and saves its trace while the call is still up", async () => {
    // Live: every call is rejected. Draft: callers queue and ring agents who never answer.
    const { flowId } = await publishFlow(testDb.db, rejectingFlow("7300"), ["7300"]);
    await testDb.db.flows.saveDraft({
      id: flowId,
      draftGraph: queueFlow({
        numbers: ["7300"],
        queueId: "q-test-calls",
        destinations: ["user/1201"],
      }),
    });
    sim.users.set("1201", { behaviour: { ringAfterMs: 0 } });

    const live = sim.placeCall({ from: "5553000", to: "7300" });
    expect((await live.result).hangupCause).toBe("CALL_REJECTED");

    const test = sim.placeCall({
      from: "5553001",
      fromName: "Test call",
      to: "7300",
      headers: { [DRAFT]: flowId },
    });
    // The agent rings (the draft's ring group) and the path is in the
    // database already, the call still up.
    await sim.waitForChannel((c) => c.dialedUser === "1201" && c.answerState !== "hangup");
    await eventually(
      async () => {
        const trace = await testDb.db.calls.getTrace(test.uuid);
        return (trace?.steps ?? []).some((s) => s.kind === "enter" && s.nodeId === "agents");
      },
      { what: "the test call's trace to reach the ring group while it rings", timeoutMs: 5_000 },
    );
    expect(sim.channel(test.uuid)?.answerState).not.toBe("hangup");
    const during = await testDb.db.calls.get(test.uuid);
    expect(during).toMatchObject({ flowId, flowVersion: null, flowVersionId: null, outcome: null });

    sim.hangup(test.uuid);
    const [record] = await waitForRecords(testDb.db, [test.uuid]);
    expect(record).toMatchObject({
      flowId,
      flowVersion: null,
      outcome: "abandoned",
      callerName: "Test call",
    });
    // Every step once, in order: the live saves and the final one do not overlap.
    const trace = await testDb.db.calls.getTrace(test.uuid);
    const enters = (trace?.steps ?? []).filter((s) => s.kind === "enter").map((s) => s.nodeId);
    expect(enters.slice(0, 3)).toEqual(["start", "queue", "agents"]);
    expect(new Set(trace?.steps.map((s) => s.seq)).size).toBe(trace?.steps.length);
    const seqs = trace?.steps.map((s) => s.at.getTime()) ?? [];
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  });

  it("refuses a draft that could not be published, saying why in the record's trace", async () => {
    const { flowId } = await publishFlow(testDb.db, rejectingFlow("7302"), ["7302"]);
    const broken = rejectingFlow("7302");
    await testDb.db.flows.saveDraft({
      id: flowId,
      // A queue node with no settings at all: it could not be published.
      draftGraph: {
        ...broken,
        nodes: [...broken.nodes, { id: "q", type: "queue", position: { x: 0, y: 200 }, data: {} }],
      },
    });
    const test = sim.placeCall({ from: "5553002", to: "7300", headers: { [DRAFT]: flowId } });
    expect((await test.result).hangupCause).toBe(UNROUTED_CAUSE);
    const record = await testDb.db.calls.get(test.uuid);
    expect(record).toMatchObject({ outcome: "failed", hangupCause: UNROUTED_CAUSE });
    const trace = await testDb.db.calls.getTrace(test.uuid);
    expect(trace?.steps[0]?.data).toMatchObject({
      detail: { event: "draftNotRunnable", flowId, reason: expect.stringMatching(/cannot run/) },
    });
  });

  it("ignores the header on a worker that takes no test calls: the live version runs", async () => {
    const { flowId } = await publishFlow(testDb.db, rejectingFlow("7301"), ["7301"]);
    await testDb.db.flows.saveDraft({
      id: flowId,
      draftGraph: queueFlow({
        numbers: ["7301"],
        queueId: "q-strict",
        destinations: ["user/1202"],
      }),
    });
    const call = sim.placeCall({ from: "5553003", to: "7301", headers: { [DRAFT]: flowId } });
    expect((await call.result).hangupCause).toBe("CALL_REJECTED");
    const [record] = await waitForRecords(testDb.db, [call.uuid]);
    expect(record).toMatchObject({ flowId, flowVersion: 1 });
  });
});

import { describe, expect, it } from "vitest";
import {
  answerPrompt,
  callbackOfferFlow,
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  startTestWorker,
} from "../../test/rig.js";

describe("callbacks", () => {
  it("a caller accepts a callback and hangs up; once the agent is free they are rung, the customer called and bridged, and the request completes", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    let stop: (() => Promise<void>) | undefined;
    try {
      await publishFlow(testDb.db, callbackOfferFlow("cb-offer"), ["7000"]);
      // Calls here take 3 minutes: the estimate the offer is made on.
      await testDb.db.queueStates.saveHandleTime("cb-offer", { ewmaMs: 180_000, samples: 50 });
      // The agent's first call lasts until the test hangs it up; the second stays.
      sim.users.set("1001", { behaviour: { answerAfterMs: 300, hangupAfterMs: 600_000 } });
      sim.users.set("1010", { behaviour: { answerAfterMs: 500, hangupAfterMs: 600_000 } });
      const { worker } = await startTestWorker({
        sim,
        databaseUrl: testDb.url,
        callbacks: { dialTemplate: "user/{number}", pollMs: 100, leaseMs: 2_000 },
      });
      stop = () => worker.stop();
      routeNumber(sim, "7000", worker.callPort);

      const first = sim.placeCall({ from: "5557001", to: "7000" }).uuid;
      await eventually(async () => (await testDb.db.calls.get(first))?.agentContact != null, {
        what: "the first caller talking to the agent",
      });
      const caller = sim.placeCall({ from: "1010", fromName: "Ann", to: "7000" });
      await answerPrompt(sim, caller.uuid, "press 1", "1");
      await answerPrompt(sim, caller.uuid, "Press 1 to confirm", "1");
      // Stored before the caller is let go; the caller's call then ends.
      const ended = await caller.result;
      const [request] = await testDb.db.callbacks.listOpen({ queueId: "cb-offer" });
      expect(request).toMatchObject({ number: "1010", callerName: "Ann", callUuid: caller.uuid });
      expect(ended.answered).toBe(true);
      // The agent is still busy: nobody is rung for the callback.
      expect(sim.channels().some((c) => c.dialedUser === "1010")).toBe(false);

      // The agent frees up.
      const agentLeg = sim.channels().find((c) => c.dialedUser === "1001" && c.bridgedTo === first);
      sim.hangup(agentLeg?.uuid ?? "", "NORMAL_CLEARING");
      await eventually(
        async () => (await testDb.db.callbacks.get(request?.id ?? ""))?.status === "completed",
        { what: "the callback completed", timeoutMs: 30_000 },
      );
      // The customer is bridged to the agent, who saw who it was for.
      let agent: ReturnType<typeof sim.channel>;
      await eventually(
        () => {
          const customer = sim
            .channels()
            .find((c) => c.dialedUser === "1010" && c.answerState === "answered");
          agent = sim
            .channels()
            .find(
              (c) =>
                customer !== undefined &&
                (c.uuid === customer.bridgedTo || c.bridgedTo === customer.uuid),
            );
          return agent !== undefined;
        },
        { what: "the customer bridged to the agent" },
      );
      expect(agent?.dialedUser).toBe("1001");
      expect(agent?.variables.origination_caller_id_name).toBe("Callback Ann");
      await eventually(
        async () => (await testDb.db.calls.get(caller.uuid))?.outcome === "callback",
        {
          what: "the caller's record closed as callback",
        },
      );
    } finally {
      await stop?.();
      await sim.stop();
      await testDb.close();
    }
  }, 90_000);

  it("rings an agent once a slot is free, calls the customer, bridges them, and completes the request", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    let stop: (() => Promise<void>) | undefined;
    try {
      const { versionId } = await publishFlow(
        testDb.db,
        queueFlow({
          numbers: ["7000"],
          queueId: "cb-e2e",
          maxConcurrent: 1,
          destinations: ["user/1001"],
        }),
        ["7000"],
      );
      // The agent answers and stays; the customer (1010) answers after a ring.
      sim.users.set("1001", { behaviour: { answerAfterMs: 300, hangupAfterMs: 600_000 } });
      sim.users.set("1010", { behaviour: { answerAfterMs: 500, hangupAfterMs: 3_000 } });
      const { worker, queue } = await startTestWorker({
        sim,
        databaseUrl: testDb.url,
        callbacks: { dialTemplate: "user/{number}", pollMs: 100, leaseMs: 2_000 },
      }).then(({ worker }) => ({ worker, queue: worker.queue }));
      stop = () => worker.stop();
      // The queue's one slot is taken: the callback waits in line.
      const blocker = await queue.slot("cb-e2e", { maxConcurrent: 1 });
      const request = await worker.callbacks.store({
        queueId: "cb-e2e",
        number: "1010",
        callerName: "Ann Caller",
        callUuid: "no-such-call",
        requestedAt: Date.now() - 30_000,
        priority: 5,
        maxAttempts: 3,
        retryAfterMs: 60_000,
        flowNodeId: "queue",
        flowVersionId: versionId,
      });
      await eventually(
        async () =>
          (await queue.snapshot("cb-e2e")).waiters.some((w) => w.itemId.includes(request.id)),
        { what: "the callback waiting in line" },
      );
      expect(sim.channels().filter((c) => c.answerState !== "hangup")).toHaveLength(0);

      await blocker.release();
      // The agent is rung first, then the customer, and the two are bridged.
      const agent = await sim.waitForChannel(
        (c) => c.dialedUser === "1001" && c.answerState === "answered",
        { timeoutMs: 20_000 },
      );
      // The agent's phone says who it is for.
      expect(agent.callerIdNumber).toBe("1010");
      expect(agent.variables.origination_caller_id_name).toBe("Callback Ann Caller");
      let customer: ReturnType<typeof sim.channel>;
      await eventually(
        () => {
          customer = sim
            .channels()
            .find(
              (c) =>
                c.dialedUser === "1010" &&
                (c.bridgedTo === agent.uuid || sim.channel(agent.uuid)?.bridgedTo === c.uuid),
            );
          return customer !== undefined;
        },
        { what: "the customer bridged to the agent" },
      );
      await eventually(
        async () => (await testDb.db.callbacks.get(request.id))?.status === "completed",
        { what: "the request completed" },
      );
      expect(await testDb.db.callbacks.get(request.id)).toMatchObject({
        status: "completed",
        attempts: 0,
        leaseOwner: null,
      });
      // The slot is held while they talk, and given back once they hang up.
      expect((await queue.snapshot("cb-e2e")).holders).toHaveLength(1);
      await eventually(async () => (await queue.snapshot("cb-e2e")).holders.length === 0, {
        what: "the slot given back after the customer hung up",
        timeoutMs: 30_000,
      });
    } finally {
      await stop?.();
      await sim.stop();
      await testDb.close();
    }
  }, 90_000);
});

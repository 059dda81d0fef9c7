import { describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  startSim,
  startTestWorker,
} from "../../test/rig.js";

/**
 * Callbacks end to end on fs-sim: a stored request (what the queue node
 * stores before it lets the caller go) is dispatched by the worker: it
 * waits for a slot of the queue, rings the flow's agents, calls the
 * customer (`CALLBACK_DIAL_TEMPLATE`), bridges them and completes.
 */
describe("callbacks", () => {
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

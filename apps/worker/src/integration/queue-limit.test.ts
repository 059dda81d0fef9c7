import { HttpLiveCommands } from "@ringflow/core/redis";
import { describe, expect, it } from "vitest";
import {
  eventually,
  liveChannels,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  startTestWorker,
} from "../../test/rig.js";

const QUEUE = "limit-q";

describe("a queue's saved Max concurrent", () => {
  it("is the queue's limit from the worker's start, over the flow's; a setQueueLimit command changes it at once", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    // Saved 3 on the Queues page; the flow's queue step says 1.
    await testDb.db.queues.save({ id: QUEUE, name: "Limits", maxConcurrent: 3 });
    await publishFlow(
      testDb.db,
      queueFlow({
        numbers: ["7401"],
        queueId: QUEUE,
        maxConcurrent: 1,
        destinations: ["user/1001"],
      }),
      ["7401"],
    );
    const { worker } = await startTestWorker({ sim, databaseUrl: testDb.url });
    const commands = new HttpLiveCommands({ url: `http://127.0.0.1:${worker.httpPort}` });
    try {
      routeNumber(sim, "7401", worker.callPort);
      sim.users.set("1001", { behaviour: {} }); // rings, never answers: callers keep their slots
      expect((await worker.queue.snapshot(QUEUE)).maxConcurrent).toBe(3);

      // Two callers take two slots at once: the flow's 1 does not apply.
      const calls = ["5554101", "5554102"].map((from) => sim.placeCall({ from, to: "7401" }));
      await eventually(async () => (await worker.queue.snapshot(QUEUE)).holders.length === 2, {
        what: "two callers in slots",
      });
      expect((await worker.queue.snapshot(QUEUE)).maxConcurrent).toBe(3);

      // Lowered to 2 on the Queues page: a third caller waits.
      await commands.send({ type: "setQueueLimit", queueId: QUEUE, maxConcurrent: 2 });
      expect((await worker.queue.snapshot(QUEUE)).maxConcurrent).toBe(2);
      const third = sim.placeCall({ from: "5554103", to: "7401" });
      await eventually(async () => (await worker.queue.snapshot(QUEUE)).waiters.length === 1, {
        what: "the third caller waiting",
      });
      expect((await worker.queue.snapshot(QUEUE)).holders).toHaveLength(2);

      // Raised to 3: the waiting caller gets the slot at once.
      await commands.send({ type: "setQueueLimit", queueId: QUEUE, maxConcurrent: 3 });
      await eventually(
        async () => {
          const snapshot = await worker.queue.snapshot(QUEUE);
          return snapshot.waiters.length === 0 && snapshot.holders.length === 3;
        },
        { what: "the third caller in a slot" },
      );
      for (const call of [...calls, third]) sim.hangup(call.uuid);
      await eventually(() => liveChannels(sim).length === 0, { what: "every channel hung up" });
    } finally {
      await worker.stop();
      await sim.stop();
      await testDb.close();
    }
  }, 60_000);
});

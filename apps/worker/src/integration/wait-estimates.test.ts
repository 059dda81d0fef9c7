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
  waitForRecords,
} from "../../test/rig.js";
import type { ServedCaller } from "../live/live-hub.js";

const QUEUE = "estimate-q";

describe("the estimate a caller is given at entry", () => {
  it("is kept in the call record beside the actual wait, as the worker reported it", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    // A handle time from earlier calls, so the first caller who waits gets an estimate.
    await testDb.db.queueStates.saveHandleTime(QUEUE, { ewmaMs: 2_000, samples: 50 });
    const served: ServedCaller[] = [];
    const { worker } = await startTestWorker({
      sim,
      databaseUrl: testDb.url,
      flowPollMs: 500,
      onServed: (s) => served.push(s),
    });
    try {
      await testDb.db.agents.create({ contact: "user/1001", name: "Ann" });
      sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 3_000 } });
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
      routeNumber(sim, "7401", worker.callPort);

      const first = sim.placeCall({ from: "5554101", to: "7401" });
      await eventually(() => served.length === 1, { what: "the first caller in the slot" });
      const second = sim.placeCall({ from: "5554102", to: "7401" });
      const [firstRecord, secondRecord] = await waitForRecords(testDb.db, [
        first.uuid,
        second.uuid,
      ]);
      expect(served.map((s) => s.callUuid)).toEqual([first.uuid, second.uuid]);
      const waited = served[1] as ServedCaller;
      // Behind one call of a 2 s average: at most that long, at least a quarter of it.
      expect(waited.estimateMs).toBeGreaterThanOrEqual(500);
      expect(waited.estimateMs).toBeLessThanOrEqual(2_000);
      expect(secondRecord).toMatchObject({
        outcome: "answered",
        estimatedWaitMs: waited.estimateMs,
        waitMs: waited.waitMs,
      });
      expect(secondRecord?.waitMs).toBeGreaterThan(0);
      // A slot at once: nothing was promised.
      expect(served[0]?.estimateMs).toBeNull();
      expect(firstRecord).toMatchObject({ outcome: "answered", estimatedWaitMs: null });
      // Both holds join the handle-time figures the next start loads.
      await eventually(
        async () => (await testDb.db.queueStates.get(QUEUE)).recentHandleMs.length === 2,
        { what: "the two hold times stored with the average" },
      );
      await eventually(() => liveChannels(sim).length === 0, { what: "every channel hung up" });
    } finally {
      await worker.stop();
      await sim.stop();
      await testDb.close();
    }
  }, 60_000);
});

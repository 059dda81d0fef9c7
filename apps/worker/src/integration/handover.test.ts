import { describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  startSim,
  startTestWorker,
  TEST_REDIS_URL,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";
import { spawnWorker, workerEnv } from "../../test/worker-process.js";

describe("a worker killed under waiting callers, with a second worker as the dialplan's fallback", () => {
  it("hands its callers on to the second worker, each keeping its place in line", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const redis = { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("handover") };
    let doomed: ReturnType<typeof spawnWorker> | undefined;
    let second: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
    let logs: Awaited<ReturnType<typeof startTestWorker>>["logs"] | undefined;
    try {
      await publishFlow(
        testDb.db,
        queueFlow({
          numbers: ["7000", "7001"],
          queueId: "handover",
          maxConcurrent: 1,
          destinations: ["user/1001"],
        }),
        ["7000", "7001"],
      );
      // Simulated ms: the first call talks until the test ends it; the others 2 s.
      sim.users.set("1001", {
        behaviour: [
          { answerAfterMs: 500, hangupAfterMs: 6_000_000 },
          { answerAfterMs: 500, hangupAfterMs: 20_000 },
        ],
      });
      doomed = spawnWorker(
        workerEnv({ simPort: sim.port, databaseUrl: testDb.url, workerId: "doomed", redis }),
      );
      const ready = await doomed.waitForLine((line) => line.msg === "worker ready: taking calls");
      ({ worker: second, logs } = await startTestWorker({
        sim,
        databaseUrl: testDb.url,
        workerId: "second",
        redis,
      }));
      const toSecond = `127.0.0.1:${second.callPort} async full`;
      // 7000 goes to the doomed worker first, then to the second; 7001 to the second only.
      sim.dialplan.add("7000", [
        { app: "socket", arg: `127.0.0.1:${Number(ready.callPort)} async full` },
        { app: "socket", arg: toSecond },
      ]);
      sim.dialplan.add("7001", [{ app: "socket", arg: toSecond }]);

      const holder = sim.placeCall({ from: "5559100", to: "7001" });
      await eventually(async () => (await testDb.db.calls.get(holder.uuid))?.agentContact != null, {
        what: "the first call bridged",
      });
      const line: string[] = [];
      for (const [from, to] of [
        ["5559101", "7000"],
        ["5559102", "7000"],
        ["5559103", "7001"],
      ] as const) {
        const uuid = sim.placeCall({ from, to }).uuid;
        line.push(uuid);
        await eventually(
          async () =>
            (await second?.queue.snapshot("handover"))?.waiters.some((w) => w.itemId === uuid) ??
            false,
          { what: "a caller in line" },
        );
      }

      await doomed.kill();
      // The switch hands the two callers on to the second worker at once;
      // it takes their entries over once the dead worker stops counting as
      // alive (until then a freed slot would pass them over).
      const joinedAgain = (uuid: string) =>
        logs?.lines.some(
          (l) =>
            l.callUuid === uuid &&
            l.msg === "call progress" &&
            (l.progress as { kind?: string } | undefined)?.kind === "enqueued",
        ) ?? false;
      await eventually(() => line.slice(0, 2).every(joinedAgain), {
        timeoutMs: 15_000,
        what: "both callers in line again through the second worker",
      });
      const snapshot = await second.queue.snapshot("handover");
      expect(snapshot.waiters.map((w) => w.itemId)).toEqual(line);

      sim.hangup(holder.uuid, "NORMAL_CLEARING");
      const records = await waitForRecords(testDb.db, line, 60_000);
      const served = records.map((r) => r.acquiredAt?.getTime() ?? Number.POSITIVE_INFINITY);
      expect(served).toEqual([...served].sort((a, b) => a - b));
      for (const record of records)
        expect(record).toMatchObject({ outcome: "answered", workerId: "second" });
    } finally {
      doomed?.killIfRunning();
      await second?.stop();
      await sim.stop();
      await testDb.close();
    }
  }, 120_000);
});

import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  waitForRecords,
} from "../../test/rig.js";
import { spawnWorker, workerEnv } from "../../test/worker-process.js";

/** True while any process of the group `pgid` lives. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("SIGTERM to the process group of `pnpm --filter @ringflow/worker start`", () => {
  it("drains once although the signal is relayed: calls hung up and recorded, the database closed", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    let worker: ReturnType<typeof spawnWorker> | undefined;
    try {
      await publishFlow(
        testDb.db,
        queueFlow({ numbers: ["7000"], queueId: "signals", destinations: ["user/1001"] }),
        ["7000"],
      );
      sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 600_000 } });
      worker = spawnWorker(
        workerEnv({
          simPort: sim.port,
          databaseUrl: testDb.url,
          workerId: "signals",
          extra: { DRAIN_TIMEOUT_MS: "1000" },
        }),
        { viaPnpm: true },
      );
      const ready = await worker.waitForLine((line) => line.msg === "worker ready: taking calls");
      routeNumber(sim, "7000", Number(ready.callPort));
      const call = sim.placeCall({ from: "5553001", to: "7000" }).uuid;
      await eventually(async () => (await testDb.db.calls.get(call))?.agentContact != null, {
        what: "the call bridged",
      });

      const pid = worker.child.pid as number;
      process.kill(-pid, "SIGTERM");
      // What a relay does when its child is slow to acknowledge (tsx waits
      // 30 ms): the same signal again, a few tens of ms later.
      await new Promise((resolve) => setTimeout(resolve, 40));
      if (groupAlive(pid)) process.kill(-pid, "SIGTERM");
      // pnpm itself gives up at once (its shell dies of the signal); the
      // worker drains on, in the same process group, until it exits.
      await eventually(() => !groupAlive(pid), { timeoutMs: 30_000, what: "the worker to exit" });
      expect(
        worker.lines.some((line) => line.msg === "second signal: exiting without draining"),
      ).toBe(false);
      expect(worker.lines.filter((line) => line.msg === "shutting down")).toHaveLength(1);
      expect(worker.lines.some((line) => line.msg === "every call is over")).toBe(true);
      expect(worker.lines.some((line) => line.msg === "worker stopped")).toBe(true);
      const [record] = await waitForRecords(testDb.db, [call], 5_000);
      expect(record).toMatchObject({ outcome: "answered", hangupCause: "SYSTEM_SHUTDOWN" });
      // With the test's own connection closed, nothing holds the file: a
      // worker that closed its database cleanly left no write-ahead log.
      await testDb.db.close();
      const file = testDb.url.slice("file:".length);
      expect(existsSync(`${file}-wal`)).toBe(false);
    } finally {
      const pid = worker?.child.pid;
      if (pid && groupAlive(pid)) {
        try {
          process.kill(-pid, "SIGKILL");
        } catch {}
      }
      await sim.stop();
      await testDb.close();
    }
  }, 90_000);
});

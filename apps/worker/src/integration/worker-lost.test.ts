import type { CallRecord } from "@ringflow/db";
import { describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  startTestWorker,
  TEST_REDIS_URL,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";
import { spawnWorker, workerEnv } from "../../test/worker-process.js";

/**
 * A worker killed (SIGKILL) under calls: one bridged, one waiting in line,
 * one answered a moment ago. Every one of them has a record, and a surviving
 * worker (or the next one started) closes each as workerLost.
 */
async function killUnderCalls(options: {
  readonly redis: boolean;
  /**
   * The survivor stops once it closed the records, and another worker starts:
   * the calls it was watching for being left parked must not go with it.
   */
  readonly survivorLeaves?: boolean;
}) {
  const sim = await startSim(10);
  const testDb = await openTestDb("sqlite");
  const redis = options.redis
    ? { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("lost") }
    : undefined;
  let doomed: ReturnType<typeof spawnWorker> | undefined;
  let survivor: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
  try {
    await publishFlow(
      testDb.db,
      queueFlow({
        numbers: ["7000"],
        queueId: "lost",
        maxConcurrent: 1,
        destinations: ["user/1001"],
      }),
      ["7000"],
    );
    sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 600_000 } });
    doomed = spawnWorker(
      workerEnv({
        simPort: sim.port,
        databaseUrl: testDb.url,
        workerId: "doomed",
        ...(redis ? { redis } : {}),
        extra: { WORKER_LIVENESS_MS: "1500" },
      }),
    );
    const ready = await doomed.waitForLine((line) => line.msg === "worker ready: taking calls");
    routeNumber(sim, "7000", Number(ready.callPort));

    const bridgedCall = sim.placeCall({ from: "5556001", to: "7000" });
    const bridged = bridgedCall.uuid;
    await eventually(async () => (await testDb.db.calls.get(bridged))?.agentContact != null, {
      what: "the first call bridged",
    });
    const waiting = sim.placeCall({ from: "5556002", to: "7000" }).uuid;
    await eventually(async () => (await testDb.db.calls.get(waiting))?.enqueuedAt != null, {
      what: "the second call in line",
    });
    const fresh = sim.placeCall({ from: "5556003", to: "7000" }).uuid;
    // Answered by the flow's first step: its record must already be there.
    await eventually(() => sim.channel(fresh)?.answerState === "answered", {
      what: "the third call answered",
    });
    const killedAt = Date.now();
    await doomed.kill();

    survivor = (
      await startTestWorker({
        sim,
        databaseUrl: testDb.url,
        workerId: "survivor",
        ...(redis ? { redis } : {}),
        workerLivenessMs: 1500,
      })
    ).worker;
    const records: CallRecord[] = await waitForRecords(
      testDb.db,
      [bridged, waiting, fresh],
      20_000,
    );
    for (const record of records) {
      expect(record, record.callUuid).toMatchObject({ outcome: "workerLost", workerId: "doomed" });
      expect(record.endedAt?.getTime()).toBeGreaterThanOrEqual(killedAt);
      const trace = await testDb.db.calls.getTrace(record.callUuid);
      expect(trace?.steps.at(-1)?.data).toMatchObject({
        detail: { event: "workerLost", workerId: "doomed", closedBy: "survivor" },
      });
    }
    if (options.survivorLeaves) {
      await survivor.stop();
      survivor = (
        await startTestWorker({
          sim,
          databaseUrl: testDb.url,
          workerId: "heir",
          ...(redis ? { redis } : {}),
          workerLivenessMs: 1500,
        })
      ).worker;
    }
    // The bridged caller is not in its socket app any more: when the agent
    // hangs up, the switch parks it, and with its worker dead nobody would
    // ever end the call. The worker that closed its record hangs it up.
    const agentLeg = sim.channels().find((c) => c.bridgedTo === bridged);
    expect(agentLeg).toBeDefined();
    sim.hangup(agentLeg?.uuid ?? "", "NORMAL_CLEARING");
    const ended = await Promise.race([
      bridgedCall.result,
      new Promise((resolve) => setTimeout(() => resolve("still up"), 10_000)),
    ]);
    expect(ended).toMatchObject({ hangupCause: "NORMAL_TEMPORARY_FAILURE" });
  } finally {
    doomed?.killIfRunning();
    await survivor?.stop();
    await sim.stop();
    await testDb.close();
  }
}

describe("a worker killed under calls", () => {
  it("has a record of every call, which a surviving worker closes as workerLost (Redis)", async () => {
    await killUnderCalls({ redis: true });
  }, 90_000);

  it("hangs up a caller left parked even when the worker that closed its record is gone (Redis)", async () => {
    await killUnderCalls({ redis: true, survivorLeaves: true });
  });

  it("has a record of every call, which the next worker closes as workerLost (no Redis)", async () => {
    await killUnderCalls({ redis: false });
  }, 90_000);
});

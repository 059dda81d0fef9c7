import { once } from "node:events";
import { Queue } from "@ringflow/core/queue";
import { RedisBackend } from "@ringflow/core/redis";
import { describe, expect, it } from "vitest";
import {
  eventually,
  liveChannels,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  TEST_REDIS_URL,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";
import { spawnWorker } from "../../test/worker-process.js";

const DRAIN_TIMEOUT_MS = 6_000;

describe("SIGTERM", () => {
  it("drains: no new calls, running calls finish or are hung up at the drain timeout, slots are given back, exit 0", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const keyPrefix = uniquePrefix("shutdown");
    const backend = new RedisBackend({ url: TEST_REDIS_URL, keyPrefix: `${keyPrefix}queue:` });
    const queue = new Queue(backend);
    let worker: ReturnType<typeof spawnWorker> | undefined;
    try {
      // 7001: agent 1001 talks 3 s (real); 7002: agent 1002 talks a minute, one caller at a time.
      await publishFlow(
        testDb.db,
        queueFlow({ numbers: ["7001"], queueId: "short", destinations: ["user/1001"] }),
        ["7001"],
      );
      await publishFlow(
        testDb.db,
        queueFlow({
          numbers: ["7002"],
          queueId: "long",
          maxConcurrent: 1,
          destinations: ["user/1002"],
        }),
        ["7002"],
      );
      sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 30_000 } });
      sim.users.set("1002", { behaviour: { answerAfterMs: 500, hangupAfterMs: 600_000 } });

      worker = spawnWorker({
        ESL_HOST: "127.0.0.1",
        ESL_PORT: String(sim.port),
        ESL_PASSWORD: "ClueCon",
        LISTEN_PORT: "0",
        HTTP_HOST: "127.0.0.1",
        HTTP_PORT: "0",
        DATABASE_URL: testDb.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: keyPrefix,
        WORKER_ID: "shutdown-test",
        DRAIN_TIMEOUT_MS: String(DRAIN_TIMEOUT_MS),
        LOG_LEVEL: "info",
      });
      const ready = await worker.waitForLine((line) => line.msg === "worker ready: taking calls");
      const callPort = Number(ready.callPort);
      routeNumber(sim, "7001", callPort);
      routeNumber(sim, "7002", callPort);

      const short = [0, 1].map((i) => sim.placeCall({ from: `555400${i}`, to: "7001" }).uuid);
      const longTalk = sim.placeCall({ from: "5554010", to: "7002" }).uuid;
      await eventually(
        async () => (await testDb.db.calls.get(longTalk))?.agentContact === "user/1002",
        { what: "the long call bridged" },
      );
      const longWait = sim.placeCall({ from: "5554011", to: "7002" }).uuid;
      await eventually(
        async () => {
          const [a, b, waiting] = await Promise.all(
            [...short, longWait].map((uuid) => testDb.db.calls.get(uuid)),
          );
          return (
            a?.agentContact === "user/1001" &&
            b?.agentContact === "user/1001" &&
            waiting?.enqueuedAt != null
          );
        },
        { what: "two short calls bridged and one caller waiting" },
      );

      const signalledAt = Date.now();
      const exited = once(worker.child, "exit");
      worker.child.kill("SIGTERM");
      await worker.waitForLine((line) => String(line.msg).startsWith("draining"));
      // The listener is closed: a new call never reaches the worker.
      const late = sim.placeCall({ from: "5554020", to: "7001" });
      expect(await late.result).toMatchObject({ answered: false });

      const [code, signal] = (await exited) as [number | null, string | null];
      const tookMs = Date.now() - signalledAt;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      // The minute-long call kept it until the drain timeout; then it went at once.
      expect(tookMs).toBeGreaterThanOrEqual(DRAIN_TIMEOUT_MS - 100);
      expect(tookMs).toBeLessThan(DRAIN_TIMEOUT_MS + 4_000);

      const [short1, short2, talking, waiting] = await waitForRecords(testDb.db, [
        ...short,
        longTalk,
        longWait,
      ]);
      // Calls that could finish within the drain timeout finished normally.
      for (const record of [short1, short2]) {
        expect(record).toMatchObject({ outcome: "answered", hangupCause: "NORMAL_CLEARING" });
      }
      // The rest were hung up for the shutdown, and say so.
      expect(talking).toMatchObject({ outcome: "answered", hangupCause: "SYSTEM_SHUTDOWN" });
      expect(waiting).toMatchObject({
        outcome: "failed",
        hangupCause: "SYSTEM_SHUTDOWN",
        acquiredAt: null,
      });
      const trace = await testDb.db.calls.getTrace(longWait);
      expect(trace?.steps.at(-1)?.data).toMatchObject({
        detail: { event: "workerShutdown", cause: "SYSTEM_SHUTDOWN" },
      });
      expect(await testDb.db.calls.get(late.uuid)).toBeNull();
      expect(
        worker.lines.some(
          (line) => line.msg === "drain timeout reached; hanging up the calls still running",
        ),
      ).toBe(true);

      // Nothing left behind: no channel on the switch, no slot or place in line in Redis.
      await eventually(() => liveChannels(sim).length === 0, { what: "every channel hung up" });
      for (const queueId of ["short", "long"]) {
        expect(await queue.snapshot(queueId)).toMatchObject({ holders: [], waiters: [] });
      }
    } finally {
      if (worker?.child.exitCode === null) worker.child.kill("SIGKILL");
      await backend.close();
      await sim.stop();
      await testDb.close();
    }
  }, 120_000);
});

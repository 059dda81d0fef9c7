import { describe, expect, it, vi } from "vitest";
import { RedisServer } from "../../../../packages/core/test/redis-server.js";
import {
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  startTestWorker,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("Redis stopped under waiting callers", () => {
  it("keeps the callers on hold through a 5 s outage, serves them in order after, and logs it once each way", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const server = await RedisServer.start();
    let worker: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
    try {
      await publishFlow(
        testDb.db,
        queueFlow({
          numbers: ["7000"],
          queueId: "outage",
          maxConcurrent: 1,
          destinations: ["user/1001"],
        }),
        ["7000"],
      );
      // Simulated ms: the first agent talks for 100 s (10 s real), later ones 2 s.
      sim.users.set("1001", {
        behaviour: [
          { answerAfterMs: 500, hangupAfterMs: 100_000 },
          { answerAfterMs: 500, hangupAfterMs: 2_000 },
        ],
      });
      const started = await startTestWorker({
        sim,
        databaseUrl: testDb.url,
        redis: { url: server.url, keyPrefix: uniquePrefix("outage") },
      });
      worker = started.worker;
      const { logs } = started;
      routeNumber(sim, "7000", worker.callPort);
      const talking = sim.placeCall({ from: "5557001", to: "7000" }).uuid;
      await eventually(async () => (await testDb.db.calls.get(talking))?.agentContact != null, {
        what: "the first call bridged",
      });
      const waiting: string[] = [];
      for (const from of ["5557002", "5557003"]) {
        const uuid = sim.placeCall({ from, to: "7000" }).uuid;
        waiting.push(uuid);
        await eventually(async () => (await testDb.db.calls.get(uuid))?.enqueuedAt != null, {
          what: "a caller in line",
        });
      }

      const printed = vi.spyOn(console, "error");
      await server.stop();
      await sleep(5_000);
      // Still on hold: nobody was hung up.
      for (const uuid of waiting) expect(sim.channel(uuid)?.answerState).toBe("answered");
      await server.start();

      const records = await waitForRecords(testDb.db, [talking, ...waiting], 60_000);
      for (const record of records) expect(record.outcome, record.callUuid).toBe("answered");
      const [, second, third] = records;
      expect(second?.acquiredAt?.getTime()).toBeLessThan(third?.acquiredAt?.getTime() ?? 0);
      const outage = logs.lines.filter(
        (line) =>
          line.level === 40 && /^Redis (is not answering|answers again)/.test(String(line.msg)),
      );
      expect(outage.map((line) => line.msg)).toEqual([
        expect.stringMatching(/^Redis is not answering/),
        expect.stringMatching(/^Redis answers again/),
      ]);
      expect(outage[1]).toMatchObject({ dataLost: true });
      // Every client's trouble went through pino, at most once per 10 s per client.
      const ioredis = printed.mock.calls.filter((args) => String(args[0]).includes("[ioredis]"));
      printed.mockRestore();
      expect(ioredis).toEqual([]);
      const trouble = logs.lines.filter((line) => String(line.msg).startsWith("Redis trouble"));
      expect(trouble.length).toBeGreaterThan(0);
      const sources = trouble.map((line) => String(line.source));
      expect(sources).toEqual([...new Set(sources)]);
    } finally {
      await worker?.stop();
      await sim.stop();
      await server.stop();
      await testDb.close();
    }
  }, 90_000);
});

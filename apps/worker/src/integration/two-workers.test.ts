import { describe, expect, it } from "vitest";
import { watchHolders } from "../../test/queue-scenario.js";
import {
  eventually,
  liveChannels,
  maxConcurrentHolders,
  openTestDb,
  orderViolations,
  publishFlow,
  queueFlow,
  queueJoins,
  routeNumber,
  scriptAgents,
  startSim,
  startTestWorker,
  TEST_REDIS_URL,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";

const CALLERS = 16;
const QUEUE = "shared";

describe("two workers sharing Redis", () => {
  it("serve one queue in one global order, never more than its limit at once", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const redis = { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("two-workers") };
    const started = await Promise.all(
      ["worker-a", "worker-b"].map((workerId) =>
        startTestWorker({ sim, databaseUrl: testDb.url, redis, workerId }),
      ),
    );
    const [a, b] = started.map((s) => s.worker);
    if (!a || !b) throw new Error("two workers expected");
    try {
      const numbers = ["7101", "7102"];
      await publishFlow(
        testDb.db,
        queueFlow({ numbers, queueId: QUEUE, maxConcurrent: 2 }),
        numbers,
      );
      // The switch sends 7101 to worker A and 7102 to worker B.
      routeNumber(sim, "7101", a.callPort);
      routeNumber(sim, "7102", b.callPort);
      scriptAgents(sim, { answerAfterMs: 1_000, talkMs: 6_000 });
      const watcher = watchHolders(a.queue, QUEUE);

      // One caller at a time, alternating between the workers, each placed
      // once the one before is in the (shared) line: the arrival order is
      // known, whatever the load on the machine.
      const placed: string[] = [];
      for (let i = 0; i < CALLERS; i++) {
        const call = sim.placeCall({ from: `555${3000 + i}`, to: numbers[i % 2] as string });
        placed.push(call.uuid);
        await eventually(
          async () => {
            const snapshot = await a.queue.snapshot(QUEUE);
            return [...snapshot.holders, ...snapshot.waiters].some((e) => e.itemId === call.uuid);
          },
          { what: `caller ${i} in line` },
        );
      }

      const records = await waitForRecords(testDb.db, placed, 120_000);
      const maxSampled = await watcher.stop();
      expect(records.every((r) => r.outcome === "answered")).toBe(true);
      expect(new Set(records.map((r) => r.workerId))).toEqual(new Set(["worker-a", "worker-b"]));

      const joins = await queueJoins(testDb.db, records, ["bye", "queue", "mailbox"]);
      // Stamps of changes sent by different workers may be a few ms out of
      // Redis's order (see orderViolations): allow 100 ms, far below the
      // 700 ms (ring + talk) each caller holds a slot.
      expect(orderViolations(joins, 100)).toEqual([]);
      // First joins were made in the order placed, so they are served in it.
      const firstJoins = placed.map((uuid) => joins.find((j) => j.callUuid === uuid));
      firstJoins.forEach((earlier, i) => {
        for (const later of firstJoins.slice(i + 1)) {
          if (earlier?.acquiredAt == null || later?.acquiredAt == null) continue;
          expect(earlier.acquiredAt, `caller ${i} served after a later one`).toBeLessThanOrEqual(
            later.acquiredAt + 100,
          );
        }
      });
      expect(maxConcurrentHolders(joins)).toBe(2);
      expect(maxSampled).toBeLessThanOrEqual(2);

      await eventually(() => liveChannels(sim).length === 0, { what: "every channel hung up" });
      const snapshot = await b.queue.snapshot(QUEUE);
      expect(snapshot).toMatchObject({ holders: [], waiters: [] });
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await sim.stop();
      await testDb.close();
    }
  }, 120_000);
});

import { randomUUID } from "node:crypto";
import { ManualClock } from "@ringflow/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDb } from "../../test/rig.js";
import { createLogger } from "../logger.js";
import { HistoryCleanup } from "./history-cleanup.js";

const DAY = 86_400_000;
const log = createLogger({ level: "silent", workerId: "t" });

describe("HistoryCleanup", () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb("sqlite");
  });
  afterAll(async () => {
    await testDb?.close();
  });

  it("deletes finished calls older than the retention in batches, keeping recent and open ones", async () => {
    const clock = new ManualClock(Date.parse("2026-03-01T00:00:00Z"));
    const now = clock.now();
    const record = (ageDays: number, outcome: "answered" | null) => {
      const callUuid = randomUUID();
      return testDb.db.calls
        .record({
          callUuid,
          numberDialled: "7000",
          callerNumber: "555",
          startedAt: new Date(now - ageDays * DAY),
          workerId: "w",
          outcome,
        })
        .then(() => callUuid);
    };
    const old = await Promise.all(Array.from({ length: 7 }, () => record(40, "answered")));
    const open = await record(40, null);
    const recent = await record(5, "answered");
    let asked = 0;
    const batches: number[] = [];
    let batchWritten = () => {};
    const nextBatch = () => new Promise<void>((resolve) => (batchWritten = resolve));
    const cleanup = new HistoryCleanup({
      calls: {
        deleteFinishedBefore: async (input) => {
          asked++;
          const deleted = await testDb.db.calls.deleteFinishedBefore(input);
          batches.push(deleted);
          batchWritten();
          return deleted;
        },
      },
      retentionMs: 30 * DAY,
      batchSize: 3,
      pauseMs: 200,
      log,
      clock,
    });
    let written = nextBatch();
    const run = cleanup.runOnce();
    await written;
    // Each further batch waits out the pause.
    for (const done of [1, 2]) {
      await clock.advance(199);
      expect(asked).toBe(done);
      written = nextBatch();
      await clock.advance(1);
      await written;
    }
    expect(await run).toBe(7);
    expect(batches).toEqual([3, 3, 1]);
    for (const uuid of old) expect(await testDb.db.calls.get(uuid)).toBeNull();
    expect(await testDb.db.calls.get(open)).not.toBeNull();
    expect(await testDb.db.calls.get(recent)).not.toBeNull();
    await cleanup.stop();
  });

  it("runs firstRunMs after start, then every everyMs, until stopped", async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const runs: number[] = [];
    const cutoffs: number[] = [];
    const cleanup = new HistoryCleanup({
      calls: {
        deleteFinishedBefore: async ({ before }) => {
          runs.push(clock.now() - t0);
          cutoffs.push(clock.now() - before.getTime());
          return 0;
        },
      },
      retentionMs: DAY,
      firstRunMs: 60_000,
      everyMs: 3_600_000,
      log,
      clock,
    });
    cleanup.start();
    await clock.advance(59_999);
    expect(runs).toEqual([]);
    await clock.advance(1);
    expect(runs).toEqual([60_000]);
    await clock.advance(2 * 3_600_000);
    expect(runs).toEqual([60_000, 3_660_000, 7_260_000]);
    expect(cutoffs).toEqual([DAY, DAY, DAY]);
    await cleanup.stop();
    await clock.advance(10 * 3_600_000);
    expect(runs).toHaveLength(3);
    expect(clock.pendingTimers).toBe(0);
  });
});

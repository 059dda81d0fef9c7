import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDb, type TestDb } from "../../test/rig.js";
import { createLogger } from "../logger.js";
import { HistoryCleanup } from "./history-cleanup.js";

const DAY = 86_400_000;

describe("HistoryCleanup", () => {
  let testDb: TestDb;
  beforeAll(async () => {
    testDb = await openTestDb("sqlite");
  });
  afterAll(async () => {
    await testDb?.close();
  });

  it("deletes finished calls older than the retention in batches, keeping recent and open ones", async () => {
    const now = Date.parse("2026-03-01T00:00:00Z");
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
    const batches: number[] = [];
    const cleanup = new HistoryCleanup({
      calls: {
        deleteFinishedBefore: async (input) => {
          const deleted = await testDb.db.calls.deleteFinishedBefore(input);
          batches.push(deleted);
          return deleted;
        },
      },
      retentionMs: 30 * DAY,
      batchSize: 3,
      pauseMs: 1,
      log: createLogger({ level: "silent", workerId: "t" }),
      now: () => now,
    });
    expect(await cleanup.runOnce()).toBe(7);
    expect(batches).toEqual([3, 3, 1]);
    for (const uuid of old) expect(await testDb.db.calls.get(uuid)).toBeNull();
    expect(await testDb.db.calls.get(open)).not.toBeNull();
    expect(await testDb.db.calls.get(recent)).not.toBeNull();
    await cleanup.stop();
  });
});

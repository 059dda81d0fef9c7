import { describe, expect, it } from "vitest";
import type { LiveQueue } from "./live-state.js";
import { countQueues, type QueueDayCounts, queueCountsSchema } from "./queue-counts.js";

const utcDay = new Date("2026-12-07T00:00:00Z");
const berlinDay = new Date("2026-12-06T23:00:00Z");

function live(queueId: string, waiting: number, inSlot: number): LiveQueue {
  return {
    queueId,
    name: null,
    paused: false,
    maxConcurrent: 2,
    inSlot,
    at: 1,
    waiting: Array.from({ length: waiting }, (_, i) => ({
      callUuid: `${queueId}-${i}`,
      callerNumber: null,
      priority: 0,
      vip: false,
      callback: false,
      position: i + 1,
      enqueuedAt: 0,
      estimateMs: null,
    })),
  };
}

function stored(queueId: string, patch: Partial<QueueDayCounts> = {}): QueueDayCounts {
  return {
    queueId,
    dayStartedAt: berlinDay,
    completed: 0,
    abandoned: 0,
    timedOut: 0,
    callbacksPending: 0,
    callbacksFailed: 0,
    ...patch,
  };
}

describe("countQueues", () => {
  it("puts live and stored counts side by side, one entry per queue either knows, by id", () => {
    const counts = countQueues({
      live: [live("sales", 3, 2), live("adhoc", 1, 0)],
      stored: [stored("support", { completed: 4, abandoned: 1, timedOut: 2 }), stored("sales")],
      utcDayStartedAt: utcDay,
    });
    expect(counts.map((c) => c.queueId)).toEqual(["adhoc", "sales", "support"]);
    expect(counts[0]).toEqual({
      queueId: "adhoc",
      dayStartedAt: utcDay,
      waiting: 1,
      inSlot: 0,
      completed: 0,
      abandoned: 0,
      timedOut: 0,
      callbacksPending: 0,
      callbacksFailed: 0,
    });
    expect(counts[1]).toMatchObject({ waiting: 3, inSlot: 2, dayStartedAt: berlinDay });
    // Configured but nobody live: nobody waits, today's outcomes stand.
    expect(counts[2]).toMatchObject({
      waiting: 0,
      inSlot: 0,
      completed: 4,
      abandoned: 1,
      timedOut: 2,
    });
    for (const entry of counts) expect(queueCountsSchema.parse(entry)).toEqual(entry);
  });

  it("says the live counts are unknown, not zero, when the live state could not be read", () => {
    const [support] = countQueues({
      live: null,
      stored: [stored("support", { completed: 1 })],
      utcDayStartedAt: utcDay,
    });
    expect(support).toMatchObject({ waiting: null, inSlot: null, completed: 1 });
  });
});

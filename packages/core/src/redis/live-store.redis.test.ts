import { afterEach, describe, expect, it } from "vitest";
import { deleteKeys, redisTarget, uniquePrefix } from "../../test/redis.js";

// Runs against one Redis and, in the cluster project, against a 3-master Cluster.
import {
  applyLiveEvent,
  type LiveEvent,
  type LiveFeedStatus,
  type LiveQueue,
  type LiveSnapshot,
} from "../live/index.js";
import { RedisLiveCommands, subscribeLiveCommands } from "./live-commands.js";
import { RedisLiveStore } from "./live-store.js";
import { RedisLiveFeed } from "./redis-live-feed.js";

const prefixes: string[] = [];
afterEach(async () => {
  for (const prefix of prefixes.splice(0)) await deleteKeys(prefix);
});

function queue(at: number, waiting = 0): LiveQueue {
  return {
    queueId: "q",
    name: null,
    paused: false,
    maxConcurrent: 1,
    inSlot: 1,
    at,
    waiting: Array.from({ length: waiting }, (_, i) => ({
      callUuid: `c${i}`,
      callerNumber: null,
      priority: 5,
      vip: false,
      callback: false,
      position: i + 1,
      enqueuedAt: at,
      estimateMs: null,
    })),
  };
}

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("RedisLiveStore and RedisLiveFeed", () => {
  it("store only newer states, publish each stored one, and read back as a snapshot", async () => {
    const keyPrefix = uniquePrefix("live");
    prefixes.push(keyPrefix);
    const store = new RedisLiveStore({ url: redisTarget, keyPrefix });
    const feed = new RedisLiveFeed({ url: redisTarget, keyPrefix });
    try {
      const seen: LiveEvent[] = [];
      const statuses: LiveFeedStatus["state"][] = [];
      await feed.subscribe((e) => seen.push(e), { onStatus: (s) => statuses.push(s.state) });
      expect(await store.publish({ type: "queue", queue: queue(10, 2) })).toBe(true);
      expect(await store.publish({ type: "queue", queue: queue(5, 7) })).toBe(false);
      expect(await store.publish({ type: "queue", queue: queue(12, 1) })).toBe(true);
      await store.publish({
        type: "callEnded",
        queueId: "q",
        callUuid: "c9",
        outcome: "answered",
        waitMs: 3,
        at: 13,
      });
      await until(() => seen.length === 3, "three events");
      expect(seen.map((e) => e.type)).toEqual(["queue", "queue", "callEnded"]);
      expect(statuses).toEqual(["live"]);
      const snapshot = await feed.snapshot();
      expect(snapshot.queues).toEqual([queue(12, 1)]);
      // Subscribe-then-snapshot, then apply: nothing counted twice.
      const applied = seen.reduce<LiveSnapshot>(applyLiveEvent, snapshot);
      expect(applied.queues[0]?.waiting).toHaveLength(1);
    } finally {
      await feed.close();
      await store.close();
    }
  });

  it("keep callers' details for any worker, and forget them", async () => {
    const keyPrefix = uniquePrefix("live-callers");
    prefixes.push(keyPrefix);
    const store = new RedisLiveStore({ url: redisTarget, keyPrefix });
    try {
      await store.putCaller("a", { callerNumber: "555", vip: true, estimateMs: 1000 });
      expect(await store.callers(["a", "b"])).toEqual([
        { callerNumber: "555", vip: true, estimateMs: 1000 },
        null,
      ]);
      await store.removeCaller("a");
      expect(await store.callers(["a"])).toEqual([null]);
    } finally {
      await store.close();
    }
  });

  it("carry commands to every subscribed worker, and refuse when none listens", async () => {
    const keyPrefix = uniquePrefix("live-commands");
    const sender = new RedisLiveCommands({ url: redisTarget, keyPrefix });
    await expect(
      sender.send({ type: "setQueuePaused", queueId: "q", paused: true }),
    ).rejects.toThrow(/no worker/);
    const got: unknown[] = [];
    const subscriptions = await Promise.all(
      [1, 2].map(() =>
        subscribeLiveCommands({ url: redisTarget, keyPrefix, onCommand: (c) => got.push(c) }),
      ),
    );
    try {
      await sender.send({ type: "setAgentStatus", agentId: "a1", status: "onBreak" });
      await until(() => got.length === 2, "both workers told");
      expect(got[0]).toEqual({ type: "setAgentStatus", agentId: "a1", status: "onBreak" });
    } finally {
      await Promise.all(subscriptions.map((s) => s.close()));
      await sender.close();
    }
  });
});

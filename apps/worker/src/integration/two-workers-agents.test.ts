import { RedisLiveFeed } from "@ringflow/core/redis";
import { describe, expect, it } from "vitest";
import {
  eventually,
  liveChannels,
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

describe("two workers sharing Redis and one agent", () => {
  it("never ring the agent from one worker while they are on a call from the other", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const redis = { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("two-workers-agents") };
    const started = await Promise.all(
      ["worker-a", "worker-b"].map((workerId) =>
        startTestWorker({ sim, databaseUrl: testDb.url, redis, workerId, flowPollMs: 500 }),
      ),
    );
    const [a, b] = started.map((s) => s.worker);
    if (!a || !b) throw new Error("two workers expected");
    const feed = new RedisLiveFeed({ url: redis.url, keyPrefix: redis.keyPrefix });
    let sampling = true;
    let mostAtOnce = 0;
    try {
      const agent = await testDb.db.agents.create({ contact: "user/1001", name: "Ann" });
      await eventually(async () => (await b.agents.get(agent.id))?.status === "available", {
        what: "the agent available in the shared registry",
      });
      sim.users.set("1001", { behaviour: { answerAfterMs: 300, hangupAfterMs: 4_000 } });
      const numbers = ["7401", "7402"];
      // Two slots: without the registry's claim, B would ring 1001 mid-call.
      await publishFlow(
        testDb.db,
        queueFlow({ numbers, queueId: "one-agent", maxConcurrent: 2, destinations: ["user/1001"] }),
        numbers,
      );
      await Promise.all([a.refreshFlows(), b.refreshFlows()]);
      routeNumber(sim, "7401", a.callPort);
      routeNumber(sim, "7402", b.callPort);
      const sampler = (async () => {
        while (sampling) {
          const legs = liveChannels(sim).filter((c) => c.name.includes("1001"));
          mostAtOnce = Math.max(mostAtOnce, legs.length);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const first = sim.placeCall({ from: "5555001", to: "7401" });
      await eventually(async () => (await a.agents.get(agent.id))?.state === "inCall", {
        what: "the agent on worker A's call",
      });
      const second = sim.placeCall({ from: "5555002", to: "7402" });
      // Worker B's caller holds a slot and tries the agent while A's call lasts.
      await eventually(
        async () =>
          (await b.queue.snapshot("one-agent")).holders.some((h) => h.itemId === second.uuid),
        { what: "B's caller in a slot" },
      );
      const records = await waitForRecords(testDb.db, [first.uuid, second.uuid], 90_000);
      sampling = false;
      await sampler;
      expect(records.map((r) => [r.workerId, r.outcome])).toEqual([
        ["worker-a", "answered"],
        ["worker-b", "answered"],
      ]);
      expect(mostAtOnce).toBe(1);
      // B's call was answered only after A's ended.
      expect(records[1]?.answeredAt?.getTime()).toBeGreaterThanOrEqual(
        records[0]?.endedAt?.getTime() ?? Number.POSITIVE_INFINITY,
      );
      // The shared feed shows the agent, idle again.
      await eventually(
        async () => {
          const snapshot = await feed.snapshot();
          return snapshot.agents.some((x) => x.id === agent.id && x.state === "idle");
        },
        { what: "the agent idle in the shared live feed" },
      );
    } finally {
      sampling = false;
      await feed.close();
      await Promise.all([a.stop(), b.stop()]);
      await sim.stop();
      await testDb.close();
    }
  }, 120_000);
});

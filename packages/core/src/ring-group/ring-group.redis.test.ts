import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { drive } from "../../test/drive.js";
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from "../../test/redis.js";
import type { AgentEvent } from "../agents/agent.js";
import { RedisAgentRegistry } from "../agents/redis-agent-registry.js";
import { RedisLoadBalancer } from "../balancer/redis-load-balancer.js";
import { FakeCallControl } from "../testing/fake-call-control.js";
import { ManualClock } from "../testing/manual-clock.js";
import { RingGroup } from "./ring-group.js";
import { RingMode } from "./ring-mode.js";

let redis: Redis;
const keyPrefix = uniquePrefix("ring-group");
beforeAll(async () => {
  redis = await connectRedis();
});
afterAll(async () => {
  await deleteKeys(keyPrefix, redis);
  await redis.quit();
});

describe("RingGroup with the Redis balancer and agent registry", () => {
  it("skips the busy agent, rings the rest least busy first, and tracks the answered call to its end", async () => {
    const clock = new ManualClock();
    const fake = new FakeCallControl({ clock });
    const options = { url: redisUrl, keyPrefix, clock, leaseMs: 3_600_000 };
    const balancer = new RedisLoadBalancer(options);
    const agents = new RedisAgentRegistry(options);
    const events: AgentEvent[] = [];
    await agents.subscribe((e) => events.push(e));
    const group = ["user/1001", "user/1002", "user/1003"];
    for (const [i, contact] of group.entries()) {
      await agents.upsert({ id: `agent-${i + 1}`, contact, wrapUpMs: 5000 });
      await agents.setStatus(`agent-${i + 1}`, "available");
    }
    await agents.observeChannel({ contact: "user/1001", uuid: "direct-call", up: true });
    const held = await balancer.reserve("user/1003");
    fake
      .script("user/1002", { kind: "ring" })
      .script("user/1003", { kind: "answer", afterMs: 500, hangupAfterMs: 60_000 });

    const outcome = await drive(
      clock,
      RingGroup.run(fake, group, RingMode.Balancing, {
        clock,
        balancer,
        agents,
        timeoutMs: 10_000,
      }),
      { pauseMs: 20 },
    );

    if (outcome.result !== "answered") throw new Error(outcome.result);
    expect(outcome.leg).toMatchObject({ destination: "user/1003", agentId: "agent-3" });
    // user/1001 and user/1002 tie (no load, never used); user/1003 already carries a call.
    const tried = outcome.attempts.map((a) => [a.destination, a.outcome]);
    expect(tried.slice(0, 2)).toEqual(
      expect.arrayContaining([
        ["user/1002", "noAnswer"],
        ["user/1001", "skipped"],
      ]),
    );
    expect(tried[2]).toEqual(["user/1003", "answered"]);
    expect((await agents.list()).map((a) => a.state)).toEqual(["inCall", "idle", "inCall"]);
    expect(await balancer.load(group)).toEqual(
      new Map([
        ["user/1001", 0],
        ["user/1002", 0],
        ["user/1003", 2],
      ]),
    );
    await held.release();
    await clock.advance(60_000);
    await vi.waitFor(async () => expect((await agents.get("agent-3"))?.state).toBe("wrapUp"));
    await vi.waitFor(async () =>
      expect((await balancer.load(["user/1003"])).get("user/1003")).toBe(0),
    );
    await clock.advance(5000);
    await vi.waitFor(() =>
      expect(
        events
          .filter((e) => e.agentId === "agent-3" && e.type === "stateChanged")
          .map((e) => e.type === "stateChanged" && e.state),
      ).toEqual(["ringing", "inCall", "wrapUp", "idle"]),
    );
    await balancer.close();
    await agents.close();
  });
});

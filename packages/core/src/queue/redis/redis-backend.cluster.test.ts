import type { Cluster } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { describeQueueBehaviour } from "../../../test/queue-behaviour.js";
import { describeQueueInputChecks } from "../../../test/queue-input-behaviour.js";
import { deleteKeys, redisTarget, targetClient, uniquePrefix } from "../../../test/redis.js";
import { agentKeys, RedisAgentRegistry } from "../../agents/redis-agent-registry.js";
import { balancerKeys, RedisLoadBalancer } from "../../balancer/redis-load-balancer.js";
import type { Clock } from "../../clock.js";
import { liveKeys } from "../../redis/live-store.js";
import { ManualClock } from "../../testing/manual-clock.js";
import { Queue } from "../queue.js";
import { RedisBackend } from "./redis-backend.js";
import { queueKeys, registryKey } from "./redis-keys.js";

// The `cluster` project only: redisTarget is a local 3-master Redis Cluster
// (test/redis-cluster-setup.ts). A script whose keys span slots fails there
// with CROSSSLOT, so these suites prove the hash tags.

const root = uniquePrefix("cluster");
let next = 0;
const freshPrefix = () => `${root}${next++}:`;

const behaviourBackend = (clock: Clock) =>
  new RedisBackend({ url: redisTarget, keyPrefix: freshPrefix(), clock, leaseMs: 3_600_000 });
describeQueueBehaviour("RedisBackend on a Redis Cluster", behaviourBackend);
describeQueueInputChecks("RedisBackend on a Redis Cluster", behaviourBackend);

const client = targetClient() as Cluster;
afterAll(async () => {
  await deleteKeys(root, client);
  await client.quit();
});

async function slotOf(key: string): Promise<number> {
  return Number(await client.cluster("KEYSLOT", key));
}

async function slotsOf(keys: readonly string[]): Promise<Set<number>> {
  return new Set(await Promise.all(keys.map(slotOf)));
}

describe("Key layout on a Redis Cluster", () => {
  it("keeps each queue's keys in one slot, and spreads queues over the masters", async () => {
    const prefix = freshPrefix();
    for (const id of ["a", "b", "sales"])
      expect((await slotsOf(queueKeys(prefix, id))).size).toBe(1);
    const slots = await slotsOf(
      Array.from({ length: 32 }, (_, i) => queueKeys(prefix, `q${i}`)[0] as string),
    );
    // 32 queues in one slot would mean the tag is not the queue id.
    expect(slots.size).toBeGreaterThan(16);
    // The registry of queues is elsewhere: no script may take it with a queue's keys.
    expect(await slotOf(registryKey(prefix))).not.toBe(
      await slotOf(queueKeys(prefix, "a")[0] as string),
    );
  });

  it("keeps the registry's, the balancer's and the live feed's keys each in one slot", async () => {
    const prefix = freshPrefix();
    const agents = agentKeys(prefix);
    const lb = balancerKeys(prefix);
    const live = liveKeys(prefix);
    expect(
      (await slotsOf([agents.ids, agents.contacts, agents.agent("x"), agents.leases("y")])).size,
    ).toBe(1);
    expect((await slotsOf([lb.idle, lb.turn, lb.leases("user/1"), lb.leases("user/2")])).size).toBe(
      1,
    );
    expect(
      (await slotsOf([live.queues, live.agents, live.caller("a"), live.caller("b")])).size,
    ).toBe(1);
  });
});

describe("Queue on a Redis Cluster", () => {
  it("hands a released slot to a waiter of another process (grant published across nodes)", async () => {
    const keyPrefix = freshPrefix();
    const clock = new ManualClock();
    const [first, second] = [0, 1].map(
      () => new RedisBackend({ url: redisTarget, keyPrefix, clock, leaseMs: 3_600_000 }),
    ) as [RedisBackend, RedisBackend];
    try {
      const a = new Queue(first);
      const b = new Queue(second);
      const held = await a.slot("q", { itemId: "held" });
      const waiting = b.slot("q", { itemId: "next" });
      await expect.poll(async () => (await b.snapshot("q")).waiters.length).toBe(1);
      await held.release();
      const granted = await waiting;
      expect((await a.snapshot("q")).holders.map((h) => h.itemId)).toEqual(["next"]);
      await granted.release();
    } finally {
      await Promise.all([first.close(), second.close()]);
    }
  });
});

describe("Agent registry and load balancer on a Redis Cluster", () => {
  it("adds, claims, lists and removes agents (scripts on the id set, contacts and the agent)", async () => {
    const registry = new RedisAgentRegistry({ url: redisTarget, keyPrefix: freshPrefix() });
    try {
      await registry.upsert({ id: "a", contact: "user/1001" });
      await registry.upsert({ id: "b", contact: "user/1002" });
      await registry.setStatus("a", "available");
      const events: string[] = [];
      await registry.subscribe((event) => events.push(event.type));
      expect(await registry.claim({ contact: "user/1001", uuid: "leg-1" })).toEqual({
        claimed: true,
        agentId: "a",
      });
      expect((await registry.list()).map((agent) => [agent.id, agent.state])).toEqual([
        ["a", "ringing"],
        ["b", "idle"],
      ]);
      await expect.poll(() => events).toContain("stateChanged");
      await registry.remove("a");
      expect((await registry.list()).map((agent) => agent.id)).toEqual(["b"]);
    } finally {
      await registry.close();
    }
  });

  it("picks the least busy of several destinations and reads their loads in one pipeline", async () => {
    const balancer = new RedisLoadBalancer({ url: redisTarget, keyPrefix: freshPrefix() });
    try {
      const first = await balancer.reserveLeastBusy(["user/1", "user/2", "user/3"]);
      const second = await balancer.reserveLeastBusy(["user/1", "user/2", "user/3"]);
      expect(first?.destination).not.toBe(second?.destination);
      const loads = await balancer.load(["user/1", "user/2", "user/3"]);
      expect([...loads.values()].reduce((a, b) => a + b, 0)).toBe(2);
      await first?.release();
      await second?.release();
      expect([...(await balancer.load(["user/1", "user/2", "user/3"])).values()]).toEqual([
        0, 0, 0,
      ]);
    } finally {
      await balancer.close();
    }
  });
});

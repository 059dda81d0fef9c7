import type { Redis } from "ioredis";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { collectOutput, spawnTs, waitForLine } from "../../test/child.js";
import { redisUrl, useRedis } from "../../test/redis.js";
import { ManualClock } from "../testing/manual-clock.js";
import { balancerKeys, balancerScripts, RedisLoadBalancer } from "./redis-load-balancer.js";

const { reserve: reserveScript, release: releaseScript } = balancerScripts();

const fixture = useRedis();
const prefix = (label: string) => fixture.prefix(label);
let redis: Redis;
beforeAll(() => {
  redis = fixture.client;
});

describe("balancer/reserve.lua", () => {
  it("drops expired leases, records when the load fell to zero, and reserves the least busy", async () => {
    const p = prefix("reserve");
    const [idle, turn, a, b] = [`${p}idle`, `${p}turn`, `${p}a`, `${p}b`];
    // a: one live lease and one expired; b: two leases, both expired at 900 and 950.
    await redis.zadd(a, 5000, "live", 500, "dead");
    await redis.zadd(b, 900, "x", 950, "y");
    const reply = await reserveScript.run(redis, [idle, turn, a, b], [1000, 3000, "new", "a", "b"]);
    expect(reply).toEqual([2, 0]);
    expect(await redis.zrange(a, 0, -1)).toEqual(["live"]);
    expect(await redis.zrange(b, 0, -1, "WITHSCORES")).toEqual(["new", "4000"]);
    expect(await redis.hget(idle, "b")).toBe("950");
    expect(await redis.hget(idle, "a")).toBeNull();
    expect(await redis.get(turn)).toBeNull();
  });

  it("advances the turn only on an exact tie and rotates through the tied", async () => {
    const p = prefix("turn");
    const [idle, turn, a, b] = [`${p}idle`, `${p}turn`, `${p}a`, `${p}b`];
    const picks: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const reply = (await reserveScript.run(
        redis,
        [idle, turn, a, b],
        [1000, 3000, `l${i}`, "a", "b"],
      )) as [number, number];
      picks.push(reply[0]);
      await redis.del(a, b);
    }
    expect(picks).toEqual([1, 2]);
    expect(await redis.get(turn)).toBe("2");
    await redis.hset(idle, "a", 10);
    const reply = await reserveScript.run(redis, [idle, turn, a, b], [1000, 3000, "l3", "a", "b"]);
    expect(reply).toEqual([2, 0]);
    expect(await redis.get(turn)).toBe("2");
  });
});

describe("balancer/release.lua", () => {
  it("removes the lease once and stamps the idle time when the load reaches zero", async () => {
    const p = prefix("release");
    const [leases, idle] = [`${p}a`, `${p}idle`];
    await redis.zadd(leases, 9000, "one", 9000, "two");
    expect(await releaseScript.run(redis, [leases, idle], [1000, "one", "a"])).toBe(1);
    expect(await redis.hget(idle, "a")).toBeNull();
    expect(await releaseScript.run(redis, [leases, idle], [1000, "one", "a"])).toBe(0);
    expect(await releaseScript.run(redis, [leases, idle], [2000, "two", "a"])).toBe(1);
    expect(await redis.hget(idle, "a")).toBe("2000");
    expect(await redis.exists(leases)).toBe(0);
  });
});

describe("RedisLoadBalancer leases", () => {
  it("renews a held count while its worker lives; it lapses once renewals stop", async () => {
    const clock = new ManualClock(1_000_000);
    const keyPrefix = prefix("renew");
    const lb = new RedisLoadBalancer({ url: redisUrl, keyPrefix, clock, leaseMs: 3000 });
    const key = balancerKeys(keyPrefix).leases("user/1001");
    await lb.reserve("user/1001");
    for (let step = 1; step <= 4; step++) {
      await clock.advance(1000);
      await vi.waitFor(async () =>
        expect(Number((await redis.zrange(key, 0, 0, "WITHSCORES"))[1])).toBe(clock.now() + 3000),
      );
    }
    expect((await lb.load(["user/1001"])).get("user/1001")).toBe(1);
    await lb.close(); // renewals stop, as if the worker had died
    const observer = new RedisLoadBalancer({ url: redisUrl, keyPrefix, clock });
    await clock.advance(3000);
    expect((await observer.load(["user/1001"])).get("user/1001")).toBe(0);
    const next = await observer.reserve("user/1001");
    expect(next.previousLoad).toBe(0);
    await observer.close();
  });

  it("lets a SIGKILLed worker's count expire after the lease, not before", async () => {
    const keyPrefix = prefix("kill");
    const child = spawnTs("balancer-worker.ts", ["hold", redisUrl, keyPrefix, "user/2001", "1000"]);
    const observer = new RedisLoadBalancer({ url: redisUrl, keyPrefix });
    try {
      await waitForLine(child, "held");
      // Two lease lengths later the live worker has kept renewing it.
      await new Promise((resolve) => setTimeout(resolve, 2200));
      expect((await observer.load(["user/2001"])).get("user/2001")).toBe(1);
      child.kill("SIGKILL");
      await new Promise((resolve) => child.once("exit", resolve));
      await vi.waitFor(
        async () => expect((await observer.load(["user/2001"])).get("user/2001")).toBe(0),
        { timeout: 3000, interval: 50 },
      );
    } finally {
      child.kill("SIGKILL");
      await observer.close();
    }
  });
});

describe("RedisLoadBalancer under concurrent workers", () => {
  it("never lets two processes hold the same idle agent at once", async () => {
    const keyPrefix = prefix("race");
    const agents = ["user/3001", "user/3002", "user/3003"];
    const startAt = Date.now() + 1500;
    const children = agents.map(() =>
      spawnTs("balancer-worker.ts", [
        "race",
        redisUrl,
        keyPrefix,
        agents.join(","),
        "150",
        `${startAt}`,
      ]),
    );
    const outputs = await Promise.all(children.map(collectOutput));
    type Hold = {
      destination: string;
      from: number;
      to: number;
      previousLoad: number;
      holdersSeen: number;
    };
    const holds = outputs.flatMap((out, worker) =>
      (JSON.parse(out) as Hold[]).map((h) => ({ ...h, worker })),
    );
    expect(holds).toHaveLength(agents.length * 150);
    // As many workers as agents, each holding one at a time: every pick must find an idle one.
    expect(holds.filter((h) => h.previousLoad !== 0)).toEqual([]);
    // While holding, each worker counted itself into a per-agent counter in
    // Redis (INCR after the pick returned, DECR before the release): a second
    // holder of the same agent at the same moment would have seen 2. Redis
    // orders the counts, so no comparison of the processes' clocks is needed.
    expect(holds.filter((h) => h.holdersSeen !== 1)).toEqual([]);
    // The workers really did run side by side.
    const byWorker = (w: number) => holds.filter((h) => h.worker === w);
    const [first, second] = [byWorker(0), byWorker(1)];
    const span = (hs: Hold[]) => [
      Math.min(...hs.map((h) => h.from)),
      Math.max(...hs.map((h) => h.to)),
    ];
    const [a0, a1] = span(first) as [number, number];
    const [b0, b1] = span(second) as [number, number];
    expect(Math.min(a1, b1) - Math.max(a0, b0)).toBeGreaterThan(0);
    expect((await redis.keys(balancerKeys(keyPrefix).leases("*"))).length).toBe(0);
  }, 60_000);
});

import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { connectRedis, deleteKeys, redisUrl, uniquePrefix } from "../../test/redis.js";
import { ManualClock } from "../testing/manual-clock.js";
import { agentKeys, agentScripts, RedisAgentRegistry } from "./redis-agent-registry.js";

const { upsert, remove, setStatus, claim, ringEnded, channel, settle } = agentScripts();

let redis: Redis;
let subscriber: Redis;
const published = new Map<string, unknown[]>();
const prefixes: string[] = [];

beforeAll(async () => {
  redis = await connectRedis();
  subscriber = await connectRedis();
  subscriber.on("pmessage", (_pattern: string, ch: string, message: string) => {
    published.set(ch, [...(published.get(ch) ?? []), JSON.parse(message)]);
  });
  await subscriber.psubscribe("test:agent-lua:*");
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteKeys(prefix, redis);
  await subscriber.quit();
  await redis.quit();
});

/** Keys of one agent `a` under a fresh prefix, created Available with the given settings. */
async function agentA(settings: { wrapUpMs?: number; maxNoAnswer?: number } = {}) {
  const p = uniquePrefix("agent-lua");
  prefixes.push(p);
  const layout = agentKeys(p);
  const keys = {
    ids: layout.ids,
    contacts: layout.contacts,
    hash: layout.agent("a"),
    leases: layout.leases("a"),
    channel: `${p}events`,
  };
  await upsert.run(
    redis,
    [keys.ids, keys.contacts, keys.hash],
    [1000, "a", "user/1001", "[]", settings.wrapUpMs ?? 0, settings.maxNoAnswer ?? 0],
  );
  await setStatus.run(redis, [keys.hash, keys.leases], [1000, "a", "available", keys.channel]);
  return {
    ...keys,
    both: [keys.hash, keys.leases],
    events: () => published.get(keys.channel) ?? [],
  };
}

describe("agents/upsert.lua", () => {
  it("creates Logged out and Idle, keeps status on update, moves the contact, refuses a taken one", async () => {
    const p = uniquePrefix("agent-lua");
    prefixes.push(p);
    const k = agentKeys(p);
    const keys = [k.ids, k.contacts, k.agent("a")];
    expect(await upsert.run(redis, keys, [5, "a", "user/1", '["s"]', 100, 2])).toEqual(["ok"]);
    expect(await redis.hgetall(k.agent("a"))).toEqual({
      id: "a",
      contact: "user/1",
      groups: '["s"]',
      wrapUpMs: "100",
      maxNoAnswer: "2",
      status: "loggedOut",
      statusSince: "5",
      state: "idle",
      stateSince: "5",
      wrapUpUntil: "0",
      noAnswerCount: "0",
      version: "0",
    });
    await redis.hset(k.agent("a"), "status", "available");
    expect(await upsert.run(redis, keys, [9, "a", "user/2", "[]", 0, 0])).toEqual(["ok"]);
    expect(await redis.hmget(k.agent("a"), "status", "contact")).toEqual(["available", "user/2"]);
    expect(await redis.hgetall(k.contacts)).toEqual({ "user/2": "a" });
    const other = [k.ids, k.contacts, k.agent("b")];
    expect(await upsert.run(redis, other, [9, "b", "user/2", "[]", 0, 0])).toEqual([
      "contactTaken",
      "a",
    ]);
    expect(await redis.exists(k.agent("b"))).toBe(0);
    expect(await redis.smembers(k.ids)).toEqual(["a"]);
  });
});

describe("agents/remove.lua", () => {
  it("deletes the agent, its leases, its id and its contact", async () => {
    const k = await agentA();
    await redis.zadd(k.leases, 99_999, "o:x");
    expect(await remove.run(redis, [k.ids, k.contacts, k.hash, k.leases], ["a"])).toBe(1);
    expect(await redis.exists(k.hash, k.leases, k.contacts, k.ids)).toBe(0);
    expect(await remove.run(redis, [k.ids, k.contacts, k.hash, k.leases], ["a"])).toBe(0);
  });
});

describe("agents/set-status.lua", () => {
  it("sets the status, clears the missed count on Available, publishes once per change", async () => {
    const k = await agentA();
    await redis.hset(k.hash, "noAnswerCount", 2, "status", "onBreak");
    expect(await setStatus.run(redis, k.both, [2000, "a", "available", k.channel])).toBe(1);
    expect(await setStatus.run(redis, k.both, [2001, "a", "available", k.channel])).toBe(1);
    expect(await redis.hmget(k.hash, "status", "statusSince", "noAnswerCount")).toEqual([
      "available",
      "2000",
      "0",
    ]);
    await vi.waitFor(() =>
      expect(k.events()).toEqual([
        expect.objectContaining({ status: "available", previous: "loggedOut", version: 1 }),
        {
          type: "statusChanged",
          agentId: "a",
          status: "available",
          previous: "onBreak",
          reason: "manual",
          at: 2000,
          version: 2,
        },
      ]),
    );
    expect(
      await setStatus.run(redis, [`${k.hash}x`, k.leases], [1, "x", "onBreak", k.channel]),
    ).toBe(0);
  });
});

describe("agents/claim.lua", () => {
  it("takes an Available, Idle agent with an r: lease and refuses while it lives", async () => {
    const k = await agentA();
    expect(await claim.run(redis, k.both, [2000, "a", "user/1001", "u1", 500, k.channel])).toEqual([
      "claimed",
      "available",
      "ringing",
    ]);
    expect(await redis.zrange(k.leases, 0, -1, "WITHSCORES")).toEqual(["r:u1", "2500"]);
    expect(await claim.run(redis, k.both, [2499, "a", "user/1001", "u2", 500, k.channel])).toEqual([
      "busy",
      "available",
      "ringing",
    ]);
    // The lease of a worker that died lapses: the agent can be claimed again.
    expect(await claim.run(redis, k.both, [2500, "a", "user/1001", "u3", 500, k.channel])).toEqual([
      "claimed",
      "available",
      "ringing",
    ]);
    expect(await redis.zrange(k.leases, 0, -1)).toEqual(["r:u3"]);
    expect(await claim.run(redis, k.both, [2600, "a", "user/9", "u4", 500, k.channel])).toEqual([
      "unknown",
    ]);
    await redis.hset(k.hash, "status", "onBreak");
    await redis.del(k.leases);
    expect(await claim.run(redis, k.both, [2600, "a", "user/1001", "u5", 500, k.channel])).toEqual([
      "notAvailable",
      "onBreak",
      "idle",
    ]);
  });
});

describe("agents/ring-ended.lua", () => {
  it("turns an answered offer into a call and counts missed ones up to On break", async () => {
    const k = await agentA({ maxNoAnswer: 2 });
    const ring = (uuid: string, result: string, now: number) =>
      ringEnded.run(redis, k.both, [now, "a", uuid, result, 500, k.channel]);
    await redis.zadd(k.leases, 9999, "r:u1");
    expect(await ring("u1", "missed", 2000)).toBe(1);
    expect(await redis.hget(k.hash, "noAnswerCount")).toBe("1");
    await redis.zadd(k.leases, 9999, "r:u2");
    await ring("u2", "answered", 2100);
    expect(await redis.zrange(k.leases, 0, -1, "WITHSCORES")).toEqual(["d:u2", "2600"]);
    expect(await redis.hmget(k.hash, "noAnswerCount", "state")).toEqual(["0", "inCall"]);
    await redis.del(k.leases);
    await ring("u3", "missed", 3000);
    await ring("u4", "released", 3000);
    await ring("u5", "missed", 3001);
    expect(await redis.hmget(k.hash, "status", "noAnswerCount")).toEqual(["onBreak", "2"]);
    await vi.waitFor(() =>
      expect(k.events().at(-1)).toEqual({
        type: "statusChanged",
        agentId: "a",
        status: "onBreak",
        previous: "available",
        reason: "maxNoAnswer",
        at: 3001,
        version: expect.any(Number),
      }),
    );
    expect(
      await ringEnded.run(redis, [`${k.hash}x`, k.leases], [1, "x", "u", "missed", 1, k.channel]),
    ).toBe(0);
  });
});

describe("agents/channel.lua", () => {
  it("adds o: calls except for ring-group legs, and starts wrap-up when a delivered call ends", async () => {
    const k = await agentA({ wrapUpMs: 700 });
    const observe = (uuid: string, up: boolean, now: number) =>
      channel.run(redis, k.both, [now, "a", uuid, up ? "1" : "0", 500, k.channel]);
    expect(await observe("x", true, 2000)).toEqual(["o:x", ""]);
    expect(await redis.hget(k.hash, "state")).toBe("inCall");
    expect(await observe("x", false, 2100)).toEqual(["", ""]);
    expect(await redis.hmget(k.hash, "state", "wrapUpUntil")).toEqual(["idle", "0"]);
    await redis.zadd(k.leases, 9999, "d:leg");
    expect(await observe("leg", true, 2200)).toEqual(["", ""]);
    expect(await redis.zrange(k.leases, 0, -1)).toEqual(["d:leg"]);
    expect(await observe("leg", false, 2300)).toEqual(["", "3000"]);
    expect(await redis.hmget(k.hash, "state", "wrapUpUntil", "stateSince")).toEqual([
      "wrapUp",
      "3000",
      "2300",
    ]);
    expect(
      await channel.run(redis, [`${k.hash}x`, k.leases], [1, "x", "u", "1", 1, k.channel]),
    ).toEqual([]);
  });
});

describe("agents/settle.lua", () => {
  it("stores the state the clock implies and publishes the change once", async () => {
    const k = await agentA();
    await redis.hset(k.hash, "wrapUpUntil", 5000, "state", "wrapUp");
    expect(await settle.run(redis, k.both, [4999, "a", k.channel])).toBe("wrapUp");
    expect(await settle.run(redis, k.both, [5000, "a", k.channel])).toBe("idle");
    expect(await settle.run(redis, k.both, [5001, "a", k.channel])).toBe("idle");
    await vi.waitFor(() =>
      expect(k.events().filter((e) => (e as { type: string }).type === "stateChanged")).toEqual([
        {
          type: "stateChanged",
          agentId: "a",
          state: "idle",
          previous: "wrapUp",
          at: 5000,
          version: 2,
        },
      ]),
    );
    expect(await settle.run(redis, [`${k.hash}x`, k.leases], [1, "x", k.channel])).toBe("");
  });
});

describe("RedisAgentRegistry across workers", () => {
  it("lets exactly one of two workers claim an idle agent", async () => {
    const keyPrefix = uniquePrefix("agents-race");
    prefixes.push(keyPrefix);
    const [one, two] = [0, 1].map(() => new RedisAgentRegistry({ url: redisUrl, keyPrefix })) as [
      RedisAgentRegistry,
      RedisAgentRegistry,
    ];
    await one.upsert({ id: "a", contact: "user/1001" });
    await one.setStatus("a", "available");
    for (let round = 0; round < 20; round++) {
      const claims = await Promise.all([
        one.claim({ contact: "user/1001", uuid: `one-${round}` }),
        two.claim({ contact: "user/1001", uuid: `two-${round}` }),
      ]);
      expect(claims.filter((c) => c.claimed)).toHaveLength(1);
      const winner = claims[0].claimed ? one : two;
      const uuid = claims[0].claimed ? `one-${round}` : `two-${round}`;
      await winner.finishRinging({ agentId: "a", uuid, result: "released" });
    }
    await one.close();
    await two.close();
  });

  it("frees an agent whose offer or call belonged to a worker that stopped renewing", async () => {
    const clock = new ManualClock(1_000_000);
    const keyPrefix = uniquePrefix("agents-lease");
    prefixes.push(keyPrefix);
    const dead = new RedisAgentRegistry({ url: redisUrl, keyPrefix, clock, leaseMs: 3000 });
    await dead.upsert({ id: "a", contact: "user/1001" });
    await dead.upsert({ id: "b", contact: "user/1002" });
    await dead.setStatus("a", "available");
    await dead.setStatus("b", "available");
    await dead.claim({ contact: "user/1001", uuid: "offer" });
    await dead.observeChannel({ contact: "user/1002", uuid: "call", up: true });
    const leaseStart = clock.now();
    await dead.close(); // renewals stop, as if killed

    const alive = new RedisAgentRegistry({ url: redisUrl, keyPrefix, clock, leaseMs: 3000 });
    await clock.advance(2999);
    expect((await alive.list()).map((a) => a.state)).toEqual(["ringing", "inCall"]);
    await clock.advance(1);
    expect(await alive.list()).toMatchObject([
      { id: "a", state: "idle", stateSince: leaseStart + 3000 },
      { id: "b", state: "idle", stateSince: leaseStart + 3000 },
    ]);
    expect(await alive.claim({ contact: "user/1001", uuid: "again" })).toEqual({
      claimed: true,
      agentId: "a",
    });
    await alive.close();
  });
});

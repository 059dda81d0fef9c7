import { randomBytes } from "node:crypto";
import { Cluster } from "ioredis";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deleteKeys, targetClient, uniquePrefix } from "../../../test/redis.js";
import { LuaScript } from "../../redis/lua-script.js";
import type { RedisClient } from "../../redis/redis-connection.js";
import { type QueueScriptName, queueScripts } from "./lua-script.js";
import { grantChannelPrefix, queueKeys } from "./redis-keys.js";

const root = uniquePrefix("lua");
const NOW = 1_767_603_600_000;
const LEASE = NOW + 15_000;
const P = 1e12;
/** The first arrival number at NOW: seq never falls behind the clock's ms since 2023-11-14. */
const S0 = NOW - 1_700_000_000_000;

// Run against one Redis and, in the cluster project, against a 3-master Cluster.
let redis: RedisClient;
let listener: RedisClient;
let keys: string[];
let channels: string;
let published: Array<[channel: string, message: string]>;
let caseNumber = 0;

const KEY_NAMES = [
  "meta",
  "waiting",
  "leases",
  "holding",
  "entries",
  "holds",
  "owners",
  "offers",
] as const;

/** The queue's eight keys by name, as the scripts receive them. */
function k(name: (typeof KEY_NAMES)[number]): string {
  return keys[KEY_NAMES.indexOf(name)] as string;
}

/** Records when `owner` stops counting as alive (the alive script's doing). */
async function aliveUntil(owner: string, until: number) {
  await redis.zadd(k("owners"), until, owner);
}

function run(name: QueueScriptName, args: (string | number)[]): Promise<unknown> {
  return queueScripts()[name].run(redis, keys, args);
}

/**
 * Grant messages published since the last call (a sentinel message marks
 * where "now" is). The sentinel is published from a script on the queue's
 * keys, so on a cluster it leaves the same node as the grants, after them:
 * messages from one node reach the subscriber's node in order.
 */
async function takePublished(): Promise<Array<[string, string]>> {
  const sentinel = `${channels}~sentinel`;
  const seen = new Promise<void>((resolve) => {
    const onMessage = (_pattern: string, channel: string) => {
      if (channel !== sentinel) return;
      listener.off("pmessage", onMessage);
      resolve();
    };
    listener.on("pmessage", onMessage);
  });
  await redis.eval("redis.call('PUBLISH', ARGV[1], '')", 1, k("meta"), sentinel);
  await seen;
  const taken = published.filter(([channel]) => channel !== sentinel);
  published = [];
  return taken;
}

/** Puts a waiter straight into the keys, bypassing the scripts. */
async function addWaiter(
  item: string,
  owner: string,
  ticket: string,
  priority: number,
  seq: number,
  lease = LEASE,
) {
  await redis.zadd(k("waiting"), priority * P + seq, item);
  await redis.zadd(k("leases"), lease, item);
  await redis.hset(k("entries"), item, `${owner}|${ticket}|${NOW - 1000}`);
}

/** Puts a holder straight into the keys, bypassing the scripts. */
async function addHolder(
  item: string,
  owner: string,
  ticket: string,
  lease = LEASE,
  since = NOW - 500,
) {
  await redis.sadd(k("holding"), item);
  await redis.zadd(k("leases"), lease, item);
  await redis.hset(k("entries"), item, `${owner}|${ticket}|${NOW - 1000}|${since}`);
}

async function holding(): Promise<string[]> {
  return (await redis.smembers(k("holding"))).sort();
}

beforeAll(async () => {
  redis = targetClient();
  listener = targetClient();
  listener.on("pmessage", (_pattern: string, channel: string, message: string) => {
    published.push([channel, message]);
  });
  await listener.psubscribe(`${grantChannelPrefix(root)}*`);
});

beforeEach(async () => {
  keys = queueKeys(root, `q${caseNumber++}`);
  channels = grantChannelPrefix(root);
  published = [];
});

// Every case's grants are drained before the next case: on a cluster the
// next case's keys may live on another node, whose sentinel would not wait
// for this node's messages (a late grant of one case showed up in the next).
afterEach(async () => {
  await takePublished();
});

afterAll(async () => {
  await deleteKeys(root);
  await Promise.all([redis.quit(), listener.quit()]);
});

/** On how many servers (each master of a cluster) Redis has the script cached. */
async function cachedOn(sha: string): Promise<number> {
  const nodes = redis instanceof Cluster ? redis.nodes("master") : [redis];
  const replies = await Promise.all(nodes.map((node) => node.script("EXISTS", sha)));
  return replies.filter((reply) => (reply as number[])[0] === 1).length;
}

describe("LuaScript", () => {
  it("loads a script Redis does not know yet (NOSCRIPT) and runs it", async () => {
    const script = new LuaScript("probe", `return ARGV[1] .. '-${randomBytes(8).toString("hex")}'`);
    expect(await cachedOn(script.sha)).toBe(0);
    expect(String(await script.run(redis, [], ["ok"]))).toMatch(/^ok-/);
    expect(await cachedOn(script.sha)).toBe(1);
  });
});

describe("enqueue.lua", () => {
  const enqueue = (
    item: string,
    ticket: string,
    priority = 5,
    maxConcurrent = 1,
    maxWaiting = -1,
  ) =>
    run("enqueue", [NOW, channels, item, "p1", ticket, priority, maxConcurrent, maxWaiting, LEASE]);

  it("grants the first entry at once, records the first-use limit, publishes nothing", async () => {
    expect(await enqueue("a", "1", 5, 2)).toEqual([1]);
    expect(await redis.hgetall(k("meta"))).toEqual({ max: "2" });
    expect(await holding()).toEqual(["a"]);
    expect(await redis.zrange(k("leases"), 0, -1, "WITHSCORES")).toEqual(["a", String(LEASE)]);
    expect(await redis.hget(k("entries"), "a")).toBe(`p1|1|${NOW}|${NOW}`);
    expect(await redis.exists(k("waiting"))).toBe(0);
    expect(await takePublished()).toEqual([]);
  });

  it("lines entries up by priority, then arrival, and reports their positions", async () => {
    await enqueue("a", "1");
    expect(await enqueue("n1", "2", 5, 9)).toEqual([0, 1, String(5 * P + S0)]);
    expect(await enqueue("vip", "3", 0)).toEqual([0, 1, String(0 * P + S0 + 1)]);
    expect(await enqueue("n2", "4", 5)).toEqual([0, 3, String(5 * P + S0 + 2)]);
    expect(await redis.zrange(k("waiting"), 0, -1, "WITHSCORES")).toEqual([
      "vip",
      String(0 * P + S0 + 1),
      "n1",
      String(5 * P + S0),
      "n2",
      String(5 * P + S0 + 2),
    ]);
    expect(await redis.zscore(k("leases"), "n2")).toBe(String(LEASE));
    expect(await redis.hget(k("entries"), "n1")).toBe(`p1|2|${NOW}`);
    expect(await redis.hget(k("meta"), "max")).toBe("1");
  });

  it("keeps the score exact at the largest priority", async () => {
    await enqueue("a", "1");
    await enqueue("slow", "2", 999);
    expect(await redis.zscore(k("waiting"), "slow")).toBe(String(999 * P + S0));
  });

  it("keeps counting arrivals past the clock when they come faster than one a millisecond", async () => {
    await redis.hset(k("meta"), "max", 1, "seq", S0 + 500);
    await enqueue("a", "1");
    expect(await enqueue("b", "2")).toEqual([0, 1, String(5 * P + S0 + 501)]);
  });

  it("refuses a duplicate item and a full line without writing anything", async () => {
    await enqueue("a", "1");
    await enqueue("b", "2");
    const before = await redis.hgetall(k("meta"));
    expect(await enqueue("b", "3")).toEqual([-1]);
    expect(await enqueue("c", "4", 5, 1, 1)).toEqual([-2]);
    expect(await redis.hgetall(k("meta"))).toEqual(before);
    expect(await redis.hkeys(k("entries"))).toEqual(["a", "b"]);
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["b"]);
    expect(await enqueue("c", "4", 5, 1, 2)).toEqual([0, 2, String(5 * P + S0 + 1)]);
  });

  it("reclaims expired entries before queueing, granting the freed slots", async () => {
    await redis.hset(k("meta"), "max", 2, "seq", 10);
    await addHolder("dead", "p0", "7", NOW - 1);
    await addHolder("alive", "p2", "1");
    await addWaiter("dead-waiter", "p0", "8", 0, 1, NOW);
    await addWaiter("next", "p2", "2", 5, 2);
    expect(await enqueue("b", "1")).toEqual([0, 1, String(5 * P + S0)]);
    expect(await holding()).toEqual(["alive", "next"]);
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["b"]);
    expect((await redis.hkeys(k("entries"))).sort()).toEqual(["alive", "b", "next"]);
    expect((await redis.zrange(k("leases"), 0, -1)).sort()).toEqual(["alive", "b", "next"]);
    expect(await takePublished()).toEqual([[`${channels}p2`, "2"]]);
  });
});

describe("enqueue.lua with owners that are not alive", () => {
  const enqueue = (item: string, owner: string, ticket: string) =>
    run("enqueue", [NOW, channels, item, owner, ticket, 5, 1, -1, LEASE, NOW, NOW + 2_000]);

  it("records the owner's liveness and takes a free slot at once past dead waiters", async () => {
    await redis.hset(k("meta"), "max", 1);
    await aliveUntil("p0", NOW - 1);
    await addWaiter("dead-waiter", "p0", "1", 5, 1);
    expect(await enqueue("b", "p1", "2")).toEqual([1]);
    expect(await redis.zscore(k("owners"), "p1")).toBe(String(NOW + 2_000));
    expect(await holding()).toEqual(["b"]);
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["dead-waiter"]);
    expect(await takePublished()).toEqual([]);
  });

  it("takes over a dead owner's waiting entry, keeping its place and join time", async () => {
    await redis.hset(k("meta"), "max", 1);
    await aliveUntil("p0", NOW - 1);
    await addHolder("held", "p2", "1");
    await addWaiter("call", "p0", "7", 5, 1);
    await addWaiter("later", "p2", "2", 5, 2);
    expect(await enqueue("call", "p1", "3")).toEqual([0, 1, String(5 * P + 1)]);
    expect(await redis.hget(k("entries"), "call")).toBe(`p1|3|${NOW - 1000}`);
    expect(await redis.zscore(k("leases"), "call")).toBe(String(LEASE));
  });

  it("takes over a dead owner's slot, and says until when an item's live owner counts as alive", async () => {
    await redis.hset(k("meta"), "max", 2);
    await aliveUntil("p0", NOW - 1);
    await aliveUntil("p2", NOW + 1_000);
    await addHolder("call", "p0", "7", LEASE, NOW - 500);
    await addHolder("theirs", "p2", "1");
    expect(await enqueue("call", "p1", "3")).toEqual([1]);
    expect(await redis.hget(k("entries"), "call")).toBe(`p1|3|${NOW - 1000}|${NOW - 500}`);
    expect(await enqueue("theirs", "p1", "4")).toEqual([-3, NOW + 1_000]);
    expect(await holding()).toEqual(["call", "theirs"]);
  });
});

describe("alive.lua", () => {
  it("renews an owner's liveness and grants the free slots its waiters were passed over for", async () => {
    await redis.hset(k("meta"), "max", 1);
    await aliveUntil("p0", NOW - 1);
    await addWaiter("slow", "p0", "1", 5, 1);
    await addWaiter("later", "p0", "2", 5, 2);
    expect(await run("alive", [NOW, channels, "p0", NOW + 2_000])).toBe(1);
    expect(await holding()).toEqual(["slow"]);
    expect(await takePublished()).toEqual([[`${channels}p0`, "1"]]);
  });
});

describe("claim.lua and offers", () => {
  const claim = (item: string, owner: string, ticket: string) =>
    run("claim", [NOW, channels, item, owner, ticket, NOW + 2_000]);

  it("records a grant as an offer, which its owner's claim makes its own", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("a", "p1", "1");
    await addWaiter("b", "p2", "2", 5, 7);
    await run("remove", [NOW, channels, "a", "p1", "1", 0, 50]);
    expect(await redis.hgetall(k("offers"))).toEqual({ b: String(5 * P + 7) });
    expect(await claim("b", "p2", "2")).toBe(2);
    expect(await redis.exists(k("offers"))).toBe(0);
    expect(await redis.zscore(k("owners"), "p2")).toBe(String(NOW + 2_000));
    expect(await claim("b", "p2", "other-ticket")).toBe(0);
  });

  it("takes an unclaimed offer back from an owner that died, and grants it to the next live waiter", async () => {
    await redis.hset(k("meta"), "max", 1);
    await aliveUntil("p0", NOW - 1);
    await addHolder("offered", "p0", "1", LEASE, NOW - 100);
    await redis.hset(k("offers"), "offered", String(5 * P + 1));
    await addWaiter("next", "p2", "2", 5, 2);
    expect(await run("alive", [NOW, channels, "p2", NOW + 2_000])).toBe(1);
    expect(await holding()).toEqual(["next"]);
    expect(await redis.zrange(k("waiting"), 0, -1, "WITHSCORES")).toEqual([
      "offered",
      String(5 * P + 1),
    ]);
    expect(await redis.hget(k("entries"), "offered")).toBe(`p0|1|${NOW - 1000}`);
    expect(await takePublished()).toEqual([[`${channels}p2`, "2"]]);
    // Should the silent owner claim after all, it is still waiting, in its place.
    expect(await claim("offered", "p0", "1")).toBe(1);
  });
});

describe("restore.lua", () => {
  const restore = (
    item: string,
    owner: string,
    ticket: string,
    grantedAt: number | "",
    score: number | "",
    holdGrantsUntil: number | "" = "",
  ) =>
    run("restore", [
      NOW,
      channels,
      item,
      owner,
      ticket,
      1,
      LEASE,
      NOW - 1000,
      grantedAt,
      score,
      NOW + 2_000,
      holdGrantsUntil,
    ]);

  it("puts a holder back into a free slot, and a waiter at its old place, after Redis lost them", async () => {
    expect(await restore("held", "p1", "1", NOW - 500, "", NOW + 1_000)).toBe(2);
    expect(await restore("second", "p2", "5", "", 5 * P + 9)).toBe(1);
    expect(await restore("first", "p1", "2", "", 5 * P + 3)).toBe(1);
    expect(await redis.hget(k("meta"), "max")).toBe("1");
    expect(await holding()).toEqual(["held"]);
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["first", "second"]);
    expect(await redis.hget(k("entries"), "held")).toBe(`p1|1|${NOW - 1000}|${NOW - 500}`);
    // New arrivals go behind every arrival put back.
    expect(await redis.hget(k("meta"), "seq")).toBe("9");
  });

  it("grants nothing in the restore window, and refuses a holder with no free slot", async () => {
    expect(await restore("w", "p1", "1", "", 5 * P + 1, NOW + 1_000)).toBe(1);
    expect(await holding()).toEqual([]);
    await redis.hdel(k("meta"), "restoringUntil");
    expect(await restore("w2", "p1", "2", "", 5 * P + 2)).toBe(1);
    expect(await holding()).toEqual(["w"]);
    expect(await restore("late-holder", "p2", "3", NOW - 10, "")).toBe(0);
    expect(await redis.hexists(k("entries"), "late-holder")).toBe(0);
  });

  it("keeps an entry it finds in place (renewing its lease), and leaves someone else's alone", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addWaiter("mine", "p1", "1", 5, 1, NOW + 100);
    await addWaiter("theirs", "p2", "2", 5, 2);
    await addHolder("h", "p3", "1");
    expect(await restore("mine", "p1", "1", "", 5 * P + 1)).toBe(1);
    expect(await redis.zscore(k("leases"), "mine")).toBe(String(LEASE));
    expect(await restore("theirs", "p1", "9", "", 5 * P + 2)).toBe(0);
  });
});

describe("remove.lua", () => {
  const remove = (item: string, ticket: string, release: 0 | 1, owner = "p1", samples = 50) =>
    run("remove", [NOW, channels, item, owner, ticket, release, samples]);

  it("releases a holder, records its hold time and grants the head, telling its owner", async () => {
    await redis.hset(k("meta"), "max", 1, "seq", 2);
    await addHolder("a", "p1", "1", LEASE, NOW - 60_000);
    await addWaiter("b", "p2", "9", 5, 1, NOW + 4_000);
    await addWaiter("c", "p2", "10", 5, 2);
    expect(await remove("a", "1", 1)).toBe(2);
    expect(await redis.lrange(k("holds"), 0, -1)).toEqual(["60000"]);
    expect(await redis.hget(k("meta"), "holdSum")).toBe("60000");
    expect(await holding()).toEqual(["b"]);
    // b keeps the lease it had as a waiter.
    expect(await redis.zrange(k("leases"), 0, -1, "WITHSCORES")).toEqual([
      "b",
      String(NOW + 4_000),
      "c",
      String(LEASE),
    ]);
    expect(await redis.hget(k("entries"), "b")).toBe(`p2|9|${NOW - 1000}|${NOW}`);
    expect(await redis.hexists(k("entries"), "a")).toBe(0);
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["c"]);
    expect(await takePublished()).toEqual([[`${channels}p2`, "9"]]);
  });

  it("passes a freed slot over the waiters of owners that are not alive, who keep their places", async () => {
    await redis.hset(k("meta"), "max", 1);
    await aliveUntil("p0", NOW);
    await aliveUntil("p2", NOW + 1);
    await addHolder("a", "p1", "1");
    await addWaiter("dead-1", "p0", "5", 5, 1);
    await addWaiter("live", "p2", "6", 5, 2);
    await addWaiter("dead-2", "p0", "7", 5, 3);
    expect(await remove("a", "1", 0)).toBe(2);
    expect(await holding()).toEqual(["live"]);
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["dead-1", "dead-2"]);
    expect(await takePublished()).toEqual([[`${channels}p2`, "6"]]);
  });

  it("removes a waiter without touching the hold times", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("a", "p1", "1");
    await addWaiter("b", "p1", "2", 5, 1);
    expect(await remove("b", "2", 1)).toBe(1);
    expect(await redis.exists(k("waiting"), k("holds"))).toBe(0);
    expect(await redis.zrange(k("leases"), 0, -1)).toEqual(["a"]);
    expect(await redis.hkeys(k("entries"))).toEqual(["a"]);
  });

  it("gives back an unseen grant without recording a hold time", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("a", "p1", "1");
    await addWaiter("b", "p2", "2", 5, 1);
    expect(await remove("a", "1", 0)).toBe(2);
    expect(await redis.exists(k("holds"))).toBe(0);
    expect(await holding()).toEqual(["b"]);
  });

  it("leaves another owner's or another ticket's entry alone", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("a", "p1", "1");
    expect(await remove("a", "1", 1, "p2")).toBe(0);
    expect(await remove("a", "2", 1)).toBe(0);
    expect(await remove("nobody", "1", 1)).toBe(0);
    expect(await holding()).toEqual(["a"]);
  });

  it("with the own-waiters flag, grants the caller's own waiters outright and lists their tickets", async () => {
    await redis.hset(k("meta"), "max", 2, "seq", 4);
    await addHolder("a", "p1", "1");
    await addHolder("z", "p3", "1");
    await addWaiter("mine", "p1", "7", 5, 1);
    await addWaiter("theirs", "p2", "8", 5, 2);
    await addWaiter("mine-too", "p1", "9", 5, 3);
    const removeOwn = (item: string, ticket: string) =>
      run("remove", [NOW, channels, item, "p1", ticket, 1, 50, 1]);
    // One slot freed: the head is p1's own, held at once, no offer, nothing published.
    expect(await removeOwn("a", "1")).toEqual([2, "7"]);
    expect(await holding()).toEqual(["mine", "z"]);
    expect(await redis.hget(k("entries"), "mine")).toBe(`p1|7|${NOW - 1000}|${NOW}`);
    expect(await redis.exists(k("offers"))).toBe(0);
    expect(await takePublished()).toEqual([]);
    // Another owner's waiter at the head is offered and told, as without the flag.
    expect(await run("remove", [NOW, channels, "z", "p3", "1", 1, 50, 1])).toEqual([2]);
    expect(await redis.hgetall(k("offers"))).toEqual({ theirs: String(5 * P + 2) });
    expect(await takePublished()).toEqual([[`${channels}p2`, "8"]]);
    // FIFO kept: p1's later waiter was not served ahead of p2's.
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["mine-too"]);
    expect(await removeOwn("nobody", "5")).toEqual([0]);
  });

  it("keeps only the newest hold times, and holdSum as their sum", async () => {
    await redis.hset(k("meta"), "max", 5);
    for (const [i, held] of [0, 1000, 2000, 4000].entries()) {
      await addHolder(`h${i}`, "p1", String(i), LEASE, NOW - held);
      expect(await remove(`h${i}`, String(i), 1, "p1", 2)).toBe(2);
    }
    expect(await redis.lrange(k("holds"), 0, -1)).toEqual(["4000", "2000"]);
    expect(await redis.hget(k("meta"), "holdSum")).toBe("6000");
  });
});

describe("heartbeat.lua", () => {
  it("renews its owner's leases, reports each entry's state, and reclaims the expired", async () => {
    await redis.hset(k("meta"), "max", 2);
    await addHolder("mine-holding", "p1", "1", NOW + 100);
    await addWaiter("mine-waiting", "p1", "2", 5, 1, NOW + 100);
    await addHolder("dead", "p0", "1", NOW - 1);
    await addWaiter("theirs", "p2", "3", 5, 2, NOW + 100);
    const states = await run("heartbeat", [
      NOW,
      channels,
      "p1",
      LEASE,
      "mine-holding",
      "1",
      "mine-waiting",
      "2",
      "theirs",
      "3",
      "mine-holding",
      "stale-ticket",
    ]);
    expect(states).toEqual([2, 1, 0, 0]);
    // "dead" expired; its slot went to the head, mine-waiting, with its renewed lease.
    expect(await holding()).toEqual(["mine-holding", "mine-waiting"]);
    expect(await redis.zrange(k("leases"), 0, -1, "WITHSCORES")).toEqual([
      "theirs",
      String(NOW + 100),
      "mine-holding",
      String(LEASE),
      "mine-waiting",
      String(LEASE),
    ]);
    expect(await redis.hexists(k("entries"), "dead")).toBe(0);
    expect(await takePublished()).toEqual([[`${channels}p1`, "2"]]);
  });

  it("never renews a lease that already ran out (fencing), even its owner's", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("lapsed", "p1", "1", NOW);
    await addWaiter("next", "p2", "2", 5, 1);
    expect(await run("heartbeat", [NOW, channels, "p1", LEASE, "lapsed", "1"])).toEqual([0]);
    expect(await holding()).toEqual(["next"]);
    expect(await redis.hexists(k("entries"), "lapsed")).toBe(0);
    expect(await takePublished()).toEqual([[`${channels}p2`, "2"]]);
  });

  it("with no entries is a sweep: reclaims and grants", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("dead", "p0", "1", NOW);
    await addWaiter("next", "p2", "4", 5, 1);
    expect(await run("heartbeat", [NOW, channels, "p1", LEASE])).toEqual([]);
    expect(await holding()).toEqual(["next"]);
    expect(await takePublished()).toEqual([[`${channels}p2`, "4"]]);
  });
});

describe("configure.lua", () => {
  it("sets the limit and grants the slots a raise frees, in line order", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("a", "p1", "1");
    await addWaiter("b", "p2", "2", 5, 2);
    await addWaiter("c", "p3", "3", 0, 3);
    await addWaiter("d", "p2", "4", 5, 4);
    expect(await run("configure", [NOW, channels, 3])).toBe(3);
    expect(await redis.hget(k("meta"), "max")).toBe("3");
    expect(await holding()).toEqual(["a", "b", "c"]);
    expect(await redis.zrange(k("waiting"), 0, -1)).toEqual(["d"]);
    expect(await takePublished()).toEqual([
      [`${channels}p3`, "3"],
      [`${channels}p2`, "2"],
    ]);
  });

  it("lowering the limit grants nothing and keeps the holders", async () => {
    await redis.hset(k("meta"), "max", 2);
    await addHolder("a", "p1", "1");
    await addHolder("b", "p1", "2");
    expect(await run("configure", [NOW, channels, 1])).toBe(2);
    expect(await holding()).toEqual(["a", "b"]);
  });
});

describe("snapshot.lua", () => {
  it("returns the limit, holders with their grant time and waiters in order, after reclaiming", async () => {
    await redis.hset(k("meta"), "max", 1);
    await addHolder("dead", "p0", "1", NOW - 5);
    await addWaiter("n", "p1", "2", 5, 1);
    await addWaiter("vip", "p1", "3", 0, 2);
    await addWaiter("m", "p1", "4", 5, 3);
    expect(await run("snapshot", [NOW, channels])).toEqual([
      "1",
      ["vip", String(NOW)],
      ["n", String(5 * P + 1), String(NOW - 1000), "m", String(5 * P + 3), String(NOW - 1000)],
    ]);
  });

  it("returns no limit for a queue never used", async () => {
    expect(await run("snapshot", [NOW, channels])).toEqual([null, [], []]);
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { redisUrl, useRedis } from "../../test/redis.js";
import { ManualClock } from "../testing/manual-clock.js";
import { InMemoryLoadBalancer } from "./in-memory-load-balancer.js";
import type { LoadBalancer } from "./load-balancer.js";
import { RedisLoadBalancer } from "./redis-load-balancer.js";

interface Backend {
  readonly name: string;
  create(clock: ManualClock): LoadBalancer;
}

const redis = useRedis();

const backends: Backend[] = [
  { name: "InMemoryLoadBalancer", create: (clock) => new InMemoryLoadBalancer({ clock }) },
  {
    name: "RedisLoadBalancer",
    create: (clock) => {
      const keyPrefix = redis.prefix("lb");
      return new RedisLoadBalancer({ url: redisUrl, keyPrefix, clock });
    },
  },
];

describe.each(backends)("$name", (backend) => {
  let clock: ManualClock;
  let lb: LoadBalancer;
  const open: LoadBalancer[] = [];
  const make = () => {
    const created = backend.create(clock);
    open.push(created);
    return created;
  };

  afterEach(async () => {
    for (const balancer of open.splice(0)) await balancer.close();
  });

  it("counts a call from reserve until release, and release is idempotent", async () => {
    clock = new ManualClock();
    lb = make();
    const first = await lb.reserve("user/1001");
    const second = await lb.reserve("user/1001");
    expect(first.previousLoad).toBe(0);
    expect(second.previousLoad).toBe(1);
    expect(await lb.load(["user/1001", "user/1002"])).toEqual(
      new Map([
        ["user/1001", 2],
        ["user/1002", 0],
      ]),
    );
    await first.release();
    await first.release();
    expect((await lb.load(["user/1001"])).get("user/1001")).toBe(1);
    await second.release();
    expect((await lb.load(["user/1001"])).get("user/1001")).toBe(0);
  });

  it("picks the least busy candidate", async () => {
    clock = new ManualClock();
    lb = make();
    await lb.reserve("a");
    await lb.reserve("a");
    await lb.reserve("b");
    const picked = await lb.reserveLeastBusy(["a", "b", "c"]);
    expect(picked?.destination).toBe("c");
    expect(picked?.previousLoad).toBe(0);
    const next = await lb.reserveLeastBusy(["a", "b", "c"]);
    // b and c now carry one call each, a two: whichever of b and c, never a.
    expect(next?.destination).not.toBe("a");
  });

  it("shares load across groups: a destination busy in one group is tried last in another", async () => {
    clock = new ManualClock();
    lb = make();
    const fromGroupOne = await lb.reserveLeastBusy(["user/1002", "user/1001"]);
    expect(fromGroupOne?.destination).toBeDefined();
    const busy = fromGroupOne?.destination as string;
    const other = busy === "user/1001" ? "user/1003" : "user/1001";
    const picked = await lb.reserveLeastBusy([busy, other]);
    expect(picked?.destination).toBe(other);
  });

  it("breaks ties by longest idle, a never-used destination first", async () => {
    clock = new ManualClock();
    lb = make();
    const a = await lb.reserve("a");
    const b = await lb.reserve("b");
    await clock.advance(1000);
    await b.release();
    await clock.advance(1000);
    await a.release();
    // All idle now: c never worked, b has been idle 2 s, a 1 s.
    const first = await lb.reserveLeastBusy(["a", "b", "c"]);
    expect(first?.destination).toBe("c");
    const second = await lb.reserveLeastBusy(["a", "b"]);
    expect(second?.destination).toBe("b");
  });

  it("rotates among exact ties instead of always taking the first", async () => {
    clock = new ManualClock();
    lb = make();
    const all = ["a", "b", "c"];
    for (const r of await Promise.all(all.map((d) => lb.reserve(d)))) await r.release();
    const picks: string[] = [];
    for (let i = 0; i < 3; i++) {
      // The clock does not move, so a released destination stays tied with the others.
      const reservation = await lb.reserveLeastBusy(all);
      picks.push(reservation?.destination as string);
      await reservation?.release();
    }
    expect(new Set(picks)).toEqual(new Set(all));
  });

  it("returns null for no candidates and ignores repeated ones", async () => {
    clock = new ManualClock();
    lb = make();
    expect(await lb.reserveLeastBusy([])).toBeNull();
    const r = await lb.reserveLeastBusy(["x", "x"]);
    expect(r?.destination).toBe("x");
    expect((await lb.load(["x"])).get("x")).toBe(1);
  });
});

import { describe, expect, it } from "vitest";
import { drive, settleMicrotasks } from "../../test/drive.js";
import { InMemoryLoadBalancer } from "../balancer/in-memory-load-balancer.js";
import type { CallControl } from "../call-control/call-control.js";
import { FakeCallControl } from "../testing/fake-call-control.js";
import { ManualClock } from "../testing/manual-clock.js";
import { RingGroup } from "./ring-group.js";
import { RingMode } from "./ring-mode.js";

function setUp() {
  const clock = new ManualClock();
  const fake = new FakeCallControl({ clock });
  const balancer = new InMemoryLoadBalancer({ clock });
  return { clock, fake, balancer, t0: clock.now() };
}

const group = ["user/1001", "user/1002", "user/1003"];

/** Never more than one leg up at a time, judged from the switch's log. */
function maxRingingAtOnce(fake: FakeCallControl): number {
  let up = 0;
  let max = 0;
  for (const event of fake.events) {
    if (event.type === "originate") max = Math.max(max, ++up);
    if (event.type === "hangup" || event.type === "answer") up--;
  }
  return max;
}

describe("RingGroup sequential", () => {
  it("rings one destination at a time, in order, each for timeoutMs", async () => {
    const { clock, fake, t0 } = setUp();
    fake
      .script("user/1001", { kind: "ring" })
      .script("user/1002", { kind: "busy", afterMs: 1000 })
      .script("user/1003", { kind: "answer", afterMs: 2000 });
    const outcome = await drive(
      clock,
      RingGroup.run(fake, group, RingMode.Sequential, { clock, timeoutMs: 10_000 }),
    );
    expect(fake.eventsOf("originate").map((e) => [e.destination, e.at - t0])).toEqual([
      ["user/1001", 0],
      ["user/1002", 10_000],
      ["user/1003", 11_000],
    ]);
    expect(maxRingingAtOnce(fake)).toBe(1);
    expect(outcome.result).toBe("answered");
    expect(outcome.attempts.map((a) => [a.destination, a.outcome])).toEqual([
      ["user/1001", "noAnswer"],
      ["user/1002", "busy"],
      ["user/1003", "answered"],
    ]);
  });

  it("stops at totalTimeoutMs, shortening the last leg to fit", async () => {
    const { clock, fake, t0 } = setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    const outcome = await drive(
      clock,
      RingGroup.run(fake, group, RingMode.Sequential, {
        clock,
        timeoutMs: 20_000,
        totalTimeoutMs: 30_000,
      }),
    );
    expect(outcome.result).toBe("noAnswer");
    expect(fake.eventsOf("originate").map((e) => [e.destination, e.timeoutMs])).toEqual([
      ["user/1001", 20_000],
      ["user/1002", 10_000],
    ]);
    expect(clock.now()).toBe(t0 + 30_000);
  });

  it("keeps its own timeouts to the millisecond when the switch rounds up to whole seconds", async () => {
    const { clock, fake, t0 } = setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    // FreeSWITCH's originate_timeout is in seconds.
    const wholeSeconds: CallControl = {
      originate: (request) =>
        fake.originate({ ...request, timeoutMs: Math.ceil(request.timeoutMs / 1000) * 1000 }),
      bridge: (a, b) => fake.bridge(a, b),
      hangup: (uuid, cause) => fake.hangup(uuid, cause),
    };
    const outcome = await drive(
      clock,
      RingGroup.run(wholeSeconds, group.slice(0, 2), RingMode.Sequential, {
        clock,
        timeoutMs: 1500,
      }),
    );
    expect(fake.eventsOf("originate").map((e) => e.at - t0)).toEqual([0, 1500]);
    expect(fake.eventsOf("hangupRequest").map((e) => [e.at - t0, e.cause])).toEqual([
      [1500, "NO_ANSWER"],
      [3000, "NO_ANSWER"],
    ]);
    expect(outcome.attempts.map((a) => a.outcome)).toEqual(["noAnswer", "noAnswer"]);
    expect(fake.ringing()).toEqual([]);
  });
});

describe("RingGroup balancing", () => {
  it("rings the least busy first, one at a time", async () => {
    const { clock, fake, balancer, t0 } = setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    await balancer.reserve("user/1001");
    await balancer.reserve("user/1001");
    await balancer.reserve("user/1002");
    const outcome = await drive(
      clock,
      RingGroup.run(fake, group, RingMode.Balancing, { clock, balancer, timeoutMs: 5000 }),
    );
    expect(outcome.result).toBe("noAnswer");
    expect(fake.eventsOf("originate").map((e) => [e.destination, e.at - t0])).toEqual([
      ["user/1003", 0],
      ["user/1002", 5000],
      ["user/1001", 10_000],
    ]);
    expect(maxRingingAtOnce(fake)).toBe(1);
  });

  it("spreads calls over equal destinations: round-robin among the never used, then longest idle", async () => {
    const { clock, fake, balancer } = setUp();
    for (const d of group) fake.script(d, { kind: "answer", afterMs: 1000, hangupAfterMs: 1000 });
    const picks: string[] = [];
    for (let call = 0; call < 4; call++) {
      const outcome = await drive(
        clock,
        RingGroup.run(fake, group, RingMode.Balancing, { clock, balancer }),
      );
      if (outcome.result !== "answered") throw new Error(outcome.result);
      picks.push(outcome.leg.destination);
      await drive(clock, outcome.leg.ended);
      await settleMicrotasks();
    }
    expect(new Set(picks.slice(0, 3))).toEqual(new Set(group));
    // Ties among the never used rotate rather than following the list's order.
    expect(picks.slice(0, 3)).not.toEqual(group);
    // All three have worked once; the first to finish has been idle the longest.
    expect(picks[3]).toBe(picks[0]);
  });

  it("tries last an agent still on a call answered through another group", async () => {
    const { clock, fake, balancer } = setUp();
    fake
      .script("user/1002", { kind: "answer", afterMs: 100 })
      .script("user/1003", { kind: "answer", afterMs: 100, hangupAfterMs: 1000 });
    const sales = await drive(
      clock,
      RingGroup.run(fake, ["user/1002"], RingMode.Parallel, { clock, balancer }),
    );
    expect(sales.result).toBe("answered");
    // user/1003 takes a short call that ends while user/1002 is still talking.
    const short = await drive(
      clock,
      RingGroup.run(fake, ["user/1003"], RingMode.Parallel, { clock, balancer }),
    );
    if (short.result === "answered") await drive(clock, short.leg.ended);
    await settleMicrotasks();
    // Were user/1002's call forgotten at answer, it would look idle for longer.
    const support = await drive(
      clock,
      RingGroup.run(fake, ["user/1002", "user/1003"], RingMode.Balancing, { clock, balancer }),
    );
    if (support.result !== "answered") throw new Error(support.result);
    expect(support.leg.destination).toBe("user/1003");
  });

  it("returns every balancer count to zero, whatever the path", async () => {
    const { clock, fake, balancer } = setUp();
    fake
      .script("user/answers", { kind: "answer", afterMs: 100, hangupAfterMs: 500 })
      .script("user/silent", { kind: "ring" })
      .script("user/busy", { kind: "busy" })
      .script("user/refused", { kind: "refuse" })
      .script("user/gone", { kind: "absent" });
    const all = ["user/refused", "user/gone", "user/busy", "user/silent", "user/answers"];
    for (const mode of [RingMode.Sequential, RingMode.Balancing, RingMode.Parallel]) {
      const outcome = await drive(
        clock,
        RingGroup.run(fake, all, mode, { clock, balancer, timeoutMs: 1000 }),
      );
      expect(outcome.result).toBe("answered");
      if (outcome.result === "answered") await drive(clock, outcome.leg.ended);
      await settleMicrotasks();
      expect([...(await balancer.load(all)).values()]).toEqual([0, 0, 0, 0, 0]);
    }
    const controller = new AbortController();
    const cancelled = RingGroup.run(fake, ["user/silent", "user/busy"], RingMode.Parallel, {
      clock,
      balancer,
      signal: controller.signal,
    });
    await clock.advance(100);
    controller.abort();
    expect((await drive(clock, cancelled)).result).toBe("cancelled");
    await settleMicrotasks();
    expect([...(await balancer.load(all)).values()]).toEqual([0, 0, 0, 0, 0]);
  });
});

import { describe, expect, it } from "vitest";
import { drive, settleMicrotasks } from "../../test/drive.js";
import { InMemoryLoadBalancer } from "../balancer/in-memory-load-balancer.js";
import { FakeCallControl } from "../testing/fake-call-control.js";
import { ManualClock } from "../testing/manual-clock.js";
import { InvalidRingGroupOptionsError } from "./errors.js";
import { RingGroup } from "./ring-group.js";
import { RingMode } from "./ring-mode.js";

function setUp() {
  const clock = new ManualClock();
  // A switch that takes 5 ms to accept each originate: legs sent one after
  // another would start 5 ms apart, legs sent together at the same instant.
  const fake = new FakeCallControl({ clock, acceptDelayMs: 5 });
  const balancer = new InMemoryLoadBalancer({ clock });
  return { clock, fake, balancer, t0: clock.now() };
}

const group = ["user/1001", "user/1002", "user/1003"];

describe("RingGroup parallel", () => {
  it("rings everyone at once, gives the call to the first to answer and cancels the rest with LOSE_RACE", async () => {
    const { clock, fake, t0 } = setUp();
    fake
      .script("user/1001", { kind: "answer", afterMs: 5000 })
      .script("user/1002", { kind: "answer", afterMs: 3000 })
      .script("user/1003", { kind: "ring" });
    const outcome = await drive(
      clock,
      RingGroup.run(fake, group, RingMode.Parallel, {
        clock,
        timeoutMs: 20_000,
        variables: { origination_caller_id_name: "Support" },
      }),
    );
    expect(fake.eventsOf("originate").map((e) => [e.destination, e.at, e.timeoutMs])).toEqual([
      ["user/1001", t0, 20_000],
      ["user/1002", t0, 20_000],
      ["user/1003", t0, 20_000],
    ]);
    expect(
      fake.eventsOf("originate").every((e) => e.variables.origination_caller_id_name === "Support"),
    ).toBe(true);
    if (outcome.result !== "answered") throw new Error(`expected answered, got ${outcome.result}`);
    expect(outcome.leg).toMatchObject({ destination: "user/1002", answeredAt: t0 + 3000 });
    expect(fake.channel(outcome.leg.uuid)?.state).toBe("answered");
    expect(
      fake.eventsOf("hangupRequest").map((e) => [fake.channel(e.uuid)?.destination, e.cause, e.at]),
    ).toEqual([
      ["user/1001", "LOSE_RACE", t0 + 3000],
      ["user/1003", "LOSE_RACE", t0 + 3000],
    ]);
    expect(fake.ringing()).toEqual([]);
    expect(outcome.attempts).toEqual([
      expect.objectContaining({
        destination: "user/1002",
        outcome: "answered",
        rangForMs: 3000,
        cause: null,
      }),
      expect.objectContaining({
        destination: "user/1001",
        outcome: "lostRace",
        cause: "LOSE_RACE",
      }),
      expect.objectContaining({
        destination: "user/1003",
        outcome: "lostRace",
        cause: "LOSE_RACE",
      }),
    ]);
    await outcome.leg.hangup();
    expect(await outcome.leg.ended).toBe("NORMAL_CLEARING");
  });

  it("lets exactly one of two legs answering at the same instant win and hangs up the other", async () => {
    const { clock, fake } = setUp();
    fake.script("user/1001", { kind: "ring" }).script("user/1002", { kind: "ring" });
    const pending = RingGroup.run(fake, ["user/1001", "user/1002"], RingMode.Parallel, { clock });
    await clock.advance(1000);
    // Both answer before the ring group hears of either.
    for (const channel of fake.ringing()) fake.answer(channel.uuid);
    const outcome = await drive(clock, pending);
    if (outcome.result !== "answered") throw new Error(outcome.result);
    const loser = fake.channels().find((c) => c.uuid !== outcome.leg.uuid);
    expect(fake.eventsOf("answer")).toHaveLength(2);
    expect(loser).toMatchObject({ state: "ended", cause: "LOSE_RACE" });
    expect(fake.live().map((c) => c.uuid)).toEqual([outcome.leg.uuid]);
    expect(outcome.attempts.map((a) => a.outcome).sort()).toEqual(["answered", "lostRace"]);
  });

  it("reports noAnswer when everyone rings out, each for timeoutMs", async () => {
    const { clock, fake, t0 } = setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    const outcome = await drive(
      clock,
      RingGroup.run(fake, [...group, "user/1001"], RingMode.Parallel, { clock, timeoutMs: 15_000 }),
    );
    expect(outcome.result).toBe("noAnswer");
    expect(outcome.attempts).toHaveLength(3);
    expect(
      outcome.attempts.every(
        (a) => a.outcome === "noAnswer" && a.cause === "NO_ANSWER" && a.rangForMs === 15_000,
      ),
    ).toBe(true);
    expect(clock.now()).toBe(t0 + 15_000);
    expect(fake.ringing()).toEqual([]);
  });

  it("tells all-busy from no-answer from nobody-reachable", async () => {
    const run = async (behaviours: Parameters<FakeCallControl["script"]>[1][]) => {
      const { clock, fake } = setUp();
      const destinations = behaviours.map((b, i) => {
        fake.script(`user/${i}`, b);
        return `user/${i}`;
      });
      return (await drive(clock, RingGroup.run(fake, destinations, RingMode.Parallel, { clock })))
        .result;
    };
    expect(await run([{ kind: "busy" }, { kind: "reject", afterMs: 2000 }])).toBe("allBusy");
    expect(await run([{ kind: "busy" }, { kind: "unregistered" }])).toBe("allBusy");
    expect(await run([{ kind: "busy" }, { kind: "ring" }])).toBe("noAnswer");
    expect(await run([{ kind: "unregistered" }, { kind: "absent" }, { kind: "refuse" }])).toBe(
      "noAgentsAvailable",
    );
    expect(await run([])).toBe("noAgentsAvailable");
  });

  it("records a refused originate as failed and still rings the others", async () => {
    const { clock, fake } = setUp();
    fake
      .script("user/1001", { kind: "refuse", message: "-ERR gateway down" })
      .script("user/1002", { kind: "answer", afterMs: 700 });
    const outcome = await drive(
      clock,
      RingGroup.run(fake, ["user/1001", "user/1002"], RingMode.Parallel, { clock }),
    );
    expect(outcome.result).toBe("answered");
    const failed = outcome.attempts.find((a) => a.outcome === "failed");
    expect(failed).toMatchObject({ destination: "user/1001", cause: null });
    expect(String((failed as { error?: unknown }).error)).toContain("gateway down");
  });

  it("counts every leg on the balancer from ring to hangup: losers at once, the winner when it ends", async () => {
    const { clock, fake, balancer } = setUp();
    fake
      .script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 60_000 })
      .script("user/1002", { kind: "ring" })
      .script("user/1003", { kind: "busy", afterMs: 200 });
    const pending = RingGroup.run(fake, group, RingMode.Parallel, { clock, balancer });
    await settleMicrotasks();
    await clock.advance(10);
    expect([...(await balancer.load(group)).values()]).toEqual([1, 1, 1]);
    const outcome = await drive(clock, pending);
    expect(outcome.result).toBe("answered");
    await settleMicrotasks();
    expect([...(await balancer.load(group)).values()]).toEqual([1, 0, 0]);
    await clock.advance(60_000);
    await settleMicrotasks();
    expect([...(await balancer.load(group)).values()]).toEqual([0, 0, 0]);
  });

  it("rejects options it cannot honour", async () => {
    const { fake } = setUp();
    await expect(RingGroup.run(fake, group, RingMode.Balancing)).rejects.toBeInstanceOf(
      InvalidRingGroupOptionsError,
    );
    await expect(
      RingGroup.run(fake, group, RingMode.Parallel, { timeoutMs: 0 }),
    ).rejects.toMatchObject({ code: "RING_GROUP_INVALID_OPTIONS" });
    await expect(RingGroup.ring(fake, group, "loudly" as RingMode)).rejects.toBeInstanceOf(
      InvalidRingGroupOptionsError,
    );
    expect(fake.events).toEqual([]);
  });

  it("ring() returns the answered leg, or null", async () => {
    const { clock, fake } = setUp();
    fake.script("user/1001", { kind: "answer", afterMs: 10 }).script("user/1002", { kind: "busy" });
    const leg = await drive(
      clock,
      RingGroup.ring(fake, ["user/1001"], RingMode.Parallel, { clock }),
    );
    expect(leg?.destination).toBe("user/1001");
    const hungUp: string[] = [];
    const stop = leg?.onHangup((cause) => hungUp.push(cause));
    fake.hangUpFarEnd(leg?.uuid as string);
    await settleMicrotasks();
    expect(hungUp).toEqual(["NORMAL_CLEARING"]);
    stop?.();
    expect(
      await drive(clock, RingGroup.ring(fake, ["user/1002"], RingMode.Parallel, { clock })),
    ).toBeNull();
  });
});

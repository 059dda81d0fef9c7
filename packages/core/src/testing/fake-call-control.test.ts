import { describe, expect, it } from "vitest";
import type { LegOutcome, OutboundLeg } from "../call-control/call-control.js";
import { CallControlError } from "../call-control/errors.js";
import { FakeCallControl } from "./fake-call-control.js";
import { ManualClock } from "./manual-clock.js";

function setUp(options: { acceptDelayMs?: number } = {}) {
  const clock = new ManualClock();
  const fake = new FakeCallControl({ clock, ...options });
  const t0 = clock.now();
  return { clock, fake, t0 };
}

/** Settles into `box` as soon as the promise does, so a test can see when. */
function track<T>(promise: Promise<T>): { value?: T } {
  const box: { value?: T } = {};
  void promise.then((v) => {
    box.value = v;
  });
  return box;
}

const ring = (fake: FakeCallControl, destination: string, uuid: string, timeoutMs = 30_000) =>
  fake.originate({
    uuid,
    destination,
    timeoutMs,
    variables: { origination_caller_id_name: "Support" },
  });

describe("FakeCallControl", () => {
  it("answers a scripted destination after its delay, then the far end hangs up", async () => {
    const { clock, fake, t0 } = setUp();
    fake.script("user/1001", { kind: "answer", afterMs: 2000, hangupAfterMs: 5000 });
    const leg = await ring(fake, "user/1001", "a");
    const outcome = track(leg.outcome);
    const ended = track(leg.ended);
    await clock.advance(1999);
    expect(outcome.value).toBeUndefined();
    expect(fake.channel("a")?.state).toBe("ringing");
    await clock.advance(1);
    expect(outcome.value).toEqual({ answered: true });
    expect(fake.channel("a")).toMatchObject({ state: "answered", answeredAt: t0 + 2000 });
    await clock.advance(5000);
    expect(ended.value).toBe("NORMAL_CLEARING");
    expect(fake.events).toEqual([
      {
        type: "originate",
        at: t0,
        uuid: "a",
        destination: "user/1001",
        timeoutMs: 30_000,
        variables: { origination_caller_id_name: "Support" },
      },
      { type: "answer", at: t0 + 2000, uuid: "a", destination: "user/1001" },
      {
        type: "hangup",
        at: t0 + 7000,
        uuid: "a",
        destination: "user/1001",
        cause: "NORMAL_CLEARING",
        wasAnswered: true,
      },
    ]);
  });

  it("gives NO_ANSWER at the originate timeout, also to a phone due to answer at that instant", async () => {
    const { clock, fake, t0 } = setUp();
    fake.script("user/1001", { kind: "ring" });
    fake.script("user/1002", { kind: "answer", afterMs: 10_000 });
    const silent = await ring(fake, "user/1001", "a", 10_000);
    const late = await ring(fake, "user/1002", "b", 10_000);
    await clock.advance(10_000);
    expect(await silent.outcome).toEqual({ answered: false, cause: "NO_ANSWER" });
    expect(await late.outcome).toEqual({ answered: false, cause: "NO_ANSWER" });
    expect(await silent.ended).toBe("NO_ANSWER");
    expect(fake.channel("a")).toMatchObject({ state: "ended", endedAt: t0 + 10_000 });
    expect(fake.ringing()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("reports busy, declined, unregistered and unknown users with FreeSWITCH's causes", async () => {
    const { clock, fake } = setUp();
    fake
      .script("user/busy", { kind: "busy", afterMs: 300 })
      .script("user/decline", { kind: "reject", afterMs: 4000 })
      .script("user/1019", { kind: "unregistered" });
    const legs = await Promise.all([
      ring(fake, "user/busy", "1"),
      ring(fake, "user/decline", "2"),
      ring(fake, "user/1019", "3"),
      ring(fake, "user/9999", "4"),
    ]);
    await clock.advance(4000);
    const outcomes = await Promise.all(legs.map((l) => l.outcome));
    expect(outcomes.map((o) => (o.answered ? "answered" : o.cause))).toEqual([
      "USER_BUSY",
      "CALL_REJECTED",
      "USER_NOT_REGISTERED",
      "SUBSCRIBER_ABSENT",
    ]);
    // Unregistered and unknown users never get a channel.
    expect(fake.channels().map((c) => c.uuid)).toEqual(["1", "2"]);
    expect(fake.eventsOf("originateFailed").map((e) => e.cause)).toEqual([
      "USER_NOT_REGISTERED",
      "SUBSCRIBER_ABSENT",
    ]);
    expect(await legs[2]?.ended).toBe("USER_NOT_REGISTERED");
  });

  it("rejects a refused originate and a reused uuid with CallControlError", async () => {
    const { fake } = setUp();
    fake.script("user/1001", { kind: "refuse", message: "-ERR connection lost" }, { kind: "ring" });
    await expect(ring(fake, "user/1001", "a")).rejects.toThrow(CallControlError);
    expect(fake.eventsOf("originateRefused")).toHaveLength(1);
    await ring(fake, "user/1001", "b");
    await expect(ring(fake, "user/1001", "b")).rejects.toThrow(/duplicate uuid/);
  });

  it("plays a destination's script in order and repeats the last behaviour", async () => {
    const { clock, fake } = setUp();
    fake.script("user/1001", { kind: "busy" }, { kind: "answer", afterMs: 10 });
    const outcomes: LegOutcome[] = [];
    for (const uuid of ["1", "2", "3"]) {
      const leg = await ring(fake, "user/1001", uuid);
      await clock.advance(10);
      outcomes.push(await leg.outcome);
    }
    expect(outcomes).toEqual([
      { answered: false, cause: "USER_BUSY" },
      { answered: true },
      { answered: true },
    ]);
  });

  it("cancels a ringing leg with the cause sent, and records the request", async () => {
    const { clock, fake, t0 } = setUp();
    fake.script("user/1001", { kind: "ring" });
    const leg = await ring(fake, "user/1001", "a");
    await clock.advance(500);
    await leg.hangup("LOSE_RACE");
    expect(await leg.outcome).toEqual({ answered: false, cause: "LOSE_RACE" });
    expect(await leg.ended).toBe("LOSE_RACE");
    await fake.hangup("a", "NORMAL_CLEARING");
    await fake.hangup("never-existed");
    expect(fake.eventsOf("hangupRequest")).toEqual([
      { type: "hangupRequest", at: t0 + 500, uuid: "a", cause: "LOSE_RACE" },
      { type: "hangupRequest", at: t0 + 500, uuid: "a", cause: "NORMAL_CLEARING" },
      { type: "hangupRequest", at: t0 + 500, uuid: "never-existed", cause: "NORMAL_CLEARING" },
    ]);
    expect(fake.eventsOf("hangup")).toHaveLength(1);
  });

  it("lets a test answer a ringing leg or hang up from the far end", async () => {
    const { fake } = setUp();
    fake.script("user/1001", { kind: "ring" });
    const one = await ring(fake, "user/1001", "a");
    const two = await ring(fake, "user/1001", "b");
    fake.answer("a");
    fake.hangUpFarEnd("b", "CALL_REJECTED");
    expect(await one.outcome).toEqual({ answered: true });
    expect(await two.outcome).toEqual({ answered: false, cause: "CALL_REJECTED" });
    expect(() => fake.answer("b")).toThrow(/no ringing channel/);
    fake.hangUpFarEnd("a");
    expect(await one.ended).toBe("NORMAL_CLEARING");
  });

  it("bridges two live legs; when one ends the other is hung up with NORMAL_CLEARING", async () => {
    const { clock, fake } = setUp();
    fake.script("user/1001", { kind: "answer", afterMs: 0 });
    const caller = fake.addCaller({ uuid: "caller" });
    const agent = await ring(fake, "user/1001", "agent");
    await clock.advance(0);
    expect(await agent.outcome).toEqual({ answered: true });
    await fake.bridge(caller.uuid, agent.uuid);
    expect(fake.channel("caller")?.bridgedTo).toBe("agent");
    await fake.hangup("agent", "USER_BUSY");
    expect(fake.channel("caller")).toMatchObject({ state: "ended", cause: "NORMAL_CLEARING" });
    await expect(fake.bridge("caller", "agent")).rejects.toThrow(CallControlError);
  });

  it("takes acceptDelayMs to accept an originate while the leg already rings", async () => {
    const { clock, fake } = setUp({ acceptDelayMs: 5 });
    fake.script("user/1001", { kind: "ring" });
    const pending = track<OutboundLeg>(ring(fake, "user/1001", "a"));
    expect(fake.channel("a")?.state).toBe("ringing");
    await clock.advance(4);
    expect(pending.value).toBeUndefined();
    await clock.advance(1);
    expect(pending.value?.uuid).toBe("a");
  });
});

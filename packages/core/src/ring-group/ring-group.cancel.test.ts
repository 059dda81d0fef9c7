import { describe, expect, it, vi } from "vitest";
import { drive, settleMicrotasks } from "../../test/drive.js";
import { InMemoryAgentRegistry } from "../agents/in-memory-agent-registry.js";
import { InMemoryLoadBalancer } from "../balancer/in-memory-load-balancer.js";
import { FakeCallControl } from "../testing/fake-call-control.js";
import { ManualClock } from "../testing/manual-clock.js";
import { RingGroup } from "./ring-group.js";
import { RingMode } from "./ring-mode.js";

function setUp(acceptDelayMs = 0) {
  const clock = new ManualClock();
  const fake = new FakeCallControl({ clock, acceptDelayMs });
  const balancer = new InMemoryLoadBalancer({ clock });
  const controller = new AbortController();
  return { clock, fake, balancer, controller, t0: clock.now() };
}

const group = ["user/1001", "user/1002", "user/1003"];

describe("RingGroup cancellation (the caller hangs up)", () => {
  it("cancels every ringing leg within the abort event, with ORIGINATOR_CANCEL", async () => {
    const { clock, fake, balancer, controller, t0 } = setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    const pending = RingGroup.run(fake, group, RingMode.Parallel, {
      clock,
      balancer,
      signal: controller.signal,
    });
    await clock.advance(4000);
    expect(fake.ringing()).toHaveLength(3);
    controller.abort();
    // Synchronously, before any promise callback has run:
    expect(fake.ringing()).toEqual([]);
    expect(fake.eventsOf("hangupRequest").map((e) => [e.cause, e.at])).toEqual([
      ["ORIGINATOR_CANCEL", t0 + 4000],
      ["ORIGINATOR_CANCEL", t0 + 4000],
      ["ORIGINATOR_CANCEL", t0 + 4000],
    ]);
    const outcome = await drive(clock, pending);
    expect(outcome.result).toBe("cancelled");
    expect(outcome.attempts.map((a) => [a.outcome, "cause" in a ? a.cause : null])).toEqual([
      ["cancelled", "ORIGINATOR_CANCEL"],
      ["cancelled", "ORIGINATOR_CANCEL"],
      ["cancelled", "ORIGINATOR_CANCEL"],
    ]);
    await settleMicrotasks();
    expect([...(await balancer.load(group)).values()]).toEqual([0, 0, 0]);
  });

  it("cancels legs whose originate the switch has not yet accepted", async () => {
    const { clock, fake, controller } = setUp(50);
    for (const d of group) fake.script(d, { kind: "answer", afterMs: 100 });
    const pending = RingGroup.run(fake, group, RingMode.Parallel, {
      clock,
      signal: controller.signal,
    });
    await clock.advance(20);
    controller.abort();
    expect(fake.eventsOf("hangupRequest")).toHaveLength(3);
    const outcome = await drive(clock, pending);
    expect(outcome.result).toBe("cancelled");
    expect(fake.eventsOf("answer")).toEqual([]);
    expect(fake.live()).toEqual([]);
  });

  it("hangs up a leg that answered in the same instant as the abort: nobody is bridged to a dead caller", async () => {
    const { clock, fake, controller } = setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    const pending = RingGroup.run(fake, group, RingMode.Parallel, {
      clock,
      signal: controller.signal,
    });
    await clock.advance(1000);
    const [first] = fake.ringing();
    fake.answer(first?.uuid as string);
    controller.abort();
    const outcome = await drive(clock, pending);
    expect(outcome.result).toBe("cancelled");
    expect(fake.channel(first?.uuid as string)).toMatchObject({
      state: "ended",
      cause: "ORIGINATOR_CANCEL",
      answeredAt: clock.now(),
    });
    expect(fake.live()).toEqual([]);
    expect(outcome.attempts.map((a) => a.outcome)).toEqual(["cancelled", "cancelled", "cancelled"]);
  });

  it("hangs up the winner when the caller leaves before the ring group has handed it over", async () => {
    const { clock, fake, controller } = setUp();
    fake.script("user/1001", { kind: "answer", afterMs: 500 });
    const agents = new InMemoryAgentRegistry({ clock });
    await agents.upsert({ id: "a", contact: "user/1001", wrapUpMs: 3000 });
    await agents.setStatus("a", "available");
    // The registry is slow to record the answer, holding the hand-over open.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const finishRinging = agents.finishRinging.bind(agents);
    vi.spyOn(agents, "finishRinging").mockImplementation(async (request) => {
      if (request.result === "answered") await gate;
      return finishRinging(request);
    });
    const pending = RingGroup.run(fake, ["user/1001"], RingMode.Parallel, {
      clock,
      agents,
      signal: controller.signal,
    });
    await clock.advance(500);
    expect(fake.eventsOf("answer")).toHaveLength(1);
    controller.abort();
    release();
    const outcome = await drive(clock, pending);
    expect(outcome.result).toBe("cancelled");
    expect(fake.live()).toEqual([]);
    expect(outcome.attempts).toEqual([
      expect.objectContaining({ outcome: "cancelled", cause: "ORIGINATOR_CANCEL", agentId: "a" }),
    ]);
    await settleMicrotasks();
    // The agent did pick up a call, so wrap-up follows it as after any other.
    expect((await agents.get("a"))?.state).toBe("wrapUp");
  });

  it("rings nobody when the signal is already aborted, and stops a sequence midway", async () => {
    const { clock, fake, controller } = setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    const early = new AbortController();
    early.abort();
    expect(
      await RingGroup.run(fake, group, RingMode.Sequential, { clock, signal: early.signal }),
    ).toEqual({ result: "cancelled", attempts: [] });
    expect(fake.events).toEqual([]);

    const pending = RingGroup.run(fake, group, RingMode.Sequential, {
      clock,
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    await clock.advance(15_000);
    controller.abort();
    const outcome = await drive(clock, pending);
    expect(outcome.result).toBe("cancelled");
    expect(fake.eventsOf("originate").map((e) => e.destination)).toEqual([
      "user/1001",
      "user/1002",
    ]);
    expect(outcome.attempts.map((a) => a.outcome)).toEqual(["noAnswer", "cancelled"]);
    expect(fake.live()).toEqual([]);
  });
});

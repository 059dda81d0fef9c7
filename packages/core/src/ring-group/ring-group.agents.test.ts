import { describe, expect, it } from "vitest";
import { drive, settleMicrotasks } from "../../test/drive.js";
import type { AgentEvent } from "../agents/agent.js";
import { InMemoryAgentRegistry } from "../agents/in-memory-agent-registry.js";
import { InMemoryLoadBalancer } from "../balancer/in-memory-load-balancer.js";
import { FakeCallControl } from "../testing/fake-call-control.js";
import { ManualClock } from "../testing/manual-clock.js";
import { RingGroup } from "./ring-group.js";
import { RingMode } from "./ring-mode.js";

async function setUp() {
  const clock = new ManualClock();
  const fake = new FakeCallControl({ clock });
  const agents = new InMemoryAgentRegistry({ clock });
  const events: AgentEvent[] = [];
  await agents.subscribe((e) => events.push(e));
  for (const [id, ext] of [
    ["alice", "1001"],
    ["bob", "1002"],
    ["carol", "1003"],
  ] as const) {
    await agents.upsert({
      id,
      contact: `user/${ext}`,
      groups: ["support"],
      wrapUpMs: 10_000,
      maxNoAnswer: 2,
    });
    await agents.setStatus(id, "available");
  }
  return { clock, fake, agents, events };
}

const group = ["user/1001", "user/1002", "user/1003"];
const states = async (agents: InMemoryAgentRegistry) =>
  Object.fromEntries((await agents.list({ group: "support" })).map((a) => [a.id, a.state]));

describe("RingGroup with an agent registry", () => {
  it("skips agents who are not Available or already in a call, including a call from outside any queue", async () => {
    const { clock, fake, agents } = await setUp();
    for (const d of group) fake.script(d, { kind: "answer", afterMs: 1000 });
    await agents.setStatus("alice", "onBreak");
    await agents.observeChannel({ contact: "user/1002", uuid: "personal-call", up: true });
    const outcome = await drive(
      clock,
      RingGroup.run(fake, group, RingMode.Parallel, { clock, agents }),
    );
    expect(fake.eventsOf("originate").map((e) => e.destination)).toEqual(["user/1003"]);
    if (outcome.result !== "answered") throw new Error(outcome.result);
    expect(outcome.leg.agentId).toBe("carol");
    expect(outcome.attempts).toEqual([
      expect.objectContaining({
        outcome: "skipped",
        agentId: "alice",
        reason: "notAvailable",
        status: "onBreak",
      }),
      expect.objectContaining({
        outcome: "skipped",
        agentId: "bob",
        reason: "busy",
        state: "inCall",
      }),
      expect.objectContaining({ outcome: "answered", agentId: "carol" }),
    ]);
  });

  it("moves agents through Ringing, In call, Wrap-up and back to Idle", async () => {
    const { clock, fake, agents, events } = await setUp();
    fake
      .script("user/1001", { kind: "ring" })
      .script("user/1002", { kind: "answer", afterMs: 2000, hangupAfterMs: 30_000 })
      .script("user/1003", { kind: "busy", afterMs: 500 });
    const pending = RingGroup.run(fake, group, RingMode.Parallel, { clock, agents });
    await settleMicrotasks();
    expect(await states(agents)).toEqual({ alice: "ringing", bob: "ringing", carol: "ringing" });
    const outcome = await drive(clock, pending);
    expect(outcome.result).toBe("answered");
    expect(await states(agents)).toEqual({ alice: "idle", bob: "inCall", carol: "idle" });
    await clock.advance(30_000);
    await settleMicrotasks();
    expect(await states(agents)).toEqual({ alice: "idle", bob: "wrapUp", carol: "idle" });
    // Bob is in wrap-up: the next call skips him.
    const next = await drive(
      clock,
      RingGroup.run(fake, ["user/1002"], RingMode.Sequential, { clock, agents }),
    );
    expect(next).toMatchObject({
      result: "allBusy",
      attempts: [{ outcome: "skipped", agentId: "bob", reason: "busy", state: "wrapUp" }],
    });
    await clock.advance(10_000);
    expect(await states(agents)).toEqual({ alice: "idle", bob: "idle", carol: "idle" });
    expect(
      events
        .filter((e) => e.type === "stateChanged" && e.agentId === "bob")
        .map((e) => e.type === "stateChanged" && e.state),
    ).toEqual(["ringing", "inCall", "wrapUp", "idle"]);
  });

  it("puts an agent On break after maxNoAnswer missed calls, but not for calls another agent won", async () => {
    const { clock, fake, agents, events } = await setUp();
    fake
      .script("user/1001", { kind: "ring" })
      .script("user/1002", { kind: "answer", afterMs: 1000, hangupAfterMs: 1 });
    // Alice loses a race to Bob: not her fault.
    await drive(
      clock,
      RingGroup.run(fake, ["user/1001", "user/1002"], RingMode.Parallel, { clock, agents }),
    );
    expect((await agents.get("alice"))?.noAnswerCount).toBe(0);
    for (let call = 0; call < 2; call++) {
      const outcome = await drive(
        clock,
        RingGroup.run(fake, ["user/1001"], RingMode.Sequential, {
          clock,
          agents,
          timeoutMs: 15_000,
        }),
      );
      expect(outcome.result).toBe("noAnswer");
    }
    expect(await agents.get("alice")).toMatchObject({ status: "onBreak", noAnswerCount: 2 });
    expect(events.at(-1)).toMatchObject({
      type: "statusChanged",
      agentId: "alice",
      status: "onBreak",
      reason: "maxNoAnswer",
    });
    const afterBreak = await drive(
      clock,
      RingGroup.run(fake, ["user/1001"], RingMode.Sequential, { clock, agents }),
    );
    expect(afterBreak.result).toBe("noAgentsAvailable");
  });

  it("reports noAgentsAvailable, allBusy or noAnswer from what the agents were doing", async () => {
    const { clock, fake, agents } = await setUp();
    for (const d of group) fake.script(d, { kind: "ring" });
    const run = async () =>
      (
        await drive(
          clock,
          RingGroup.run(fake, group, RingMode.Parallel, { clock, agents, timeoutMs: 5000 }),
        )
      ).result;
    for (const id of ["alice", "bob", "carol"]) await agents.setStatus(id, "loggedOut");
    expect(await run()).toBe("noAgentsAvailable");
    await agents.setStatus("alice", "available");
    await agents.observeChannel({ agentId: "alice", uuid: "x", up: true });
    expect(await run()).toBe("allBusy");
    await agents.setStatus("bob", "available");
    expect(await run()).toBe("noAnswer");
    expect(fake.eventsOf("originate").map((e) => e.destination)).toEqual(["user/1002"]);
  });

  it("rings destinations that are not agents as they are, and balances agents by load", async () => {
    const { clock, fake, agents } = await setUp();
    const balancer = new InMemoryLoadBalancer({ clock });
    fake
      .script("user/1001", { kind: "answer", afterMs: 100 })
      .script("user/1003", { kind: "ring" })
      .script("sofia/gateway/pstn/5551234", { kind: "busy" });
    await balancer.reserve("user/1001");
    await agents.setStatus("bob", "onBreak");
    const outcome = await drive(
      clock,
      RingGroup.run(fake, [...group, "sofia/gateway/pstn/5551234"], RingMode.Balancing, {
        clock,
        agents,
        balancer,
        timeoutMs: 1000,
      }),
    );
    if (outcome.result !== "answered") throw new Error(outcome.result);
    expect(outcome.leg).toMatchObject({ destination: "user/1001", agentId: "alice" });
    // Least busy first, bob skipped, and user/1001 (one call already) last.
    const order = fake.eventsOf("originate").map((e) => e.destination);
    expect(new Set(order.slice(0, 2))).toEqual(
      new Set(["user/1003", "sofia/gateway/pstn/5551234"]),
    );
    expect(order.slice(2)).toEqual(["user/1001"]);
    expect(outcome.attempts).toContainEqual(
      expect.objectContaining({
        destination: "sofia/gateway/pstn/5551234",
        agentId: null,
        outcome: "busy",
      }),
    );
    await settleMicrotasks();
    expect((await balancer.load(["user/1002"])).get("user/1002")).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { InMemoryAgentRegistry } from "../../agents/in-memory-agent-registry.js";
import type { CallControl } from "../../call-control/call-control.js";
import { InMemoryBackend } from "../../queue/in-memory-backend.js";
import { Queue } from "../../queue/queue.js";
import { FakeCallControl } from "../../testing/fake-call-control.js";
import type { FakeDestinationBehaviour } from "../../testing/fake-call-types.js";
import { ManualClock } from "../../testing/manual-clock.js";
import { ringGroupDataSchema } from "../nodes/ring-group.js";
import { type ConnectCallbackOptions, connectCallback } from "./connect-callback.js";
import type { FlowRuntime } from "./flow-runtime.js";

const CUSTOMER = "sofia/gateway/carrier/5551234";

async function world(
  scripts: Record<string, FakeDestinationBehaviour[]>,
  ring: Record<string, unknown> = {},
) {
  const clock = new ManualClock();
  const switchboard = new FakeCallControl({ clock });
  for (const [destination, behaviours] of Object.entries(scripts)) {
    switchboard.script(destination, ...behaviours);
  }
  const queue = new Queue(new InMemoryBackend({ clock }));
  const runtime: FlowRuntime = { queue, callControl: switchboard, clock };
  const slot = await queue.slot("support", {
    itemId: "callback:1",
    requestedAt: clock.now() - 60_000,
  });
  const ringGroup = ringGroupDataSchema.parse({
    targets: { kind: "destinations", destinations: ["user/1001", "user/1002"] },
    mode: "sequential",
    legTimeoutSeconds: 10,
    totalTimeoutSeconds: null,
    variables: { sip_h_X_Queue: "support" },
    ...ring,
  });
  const options: ConnectCallbackOptions = {
    runtime,
    slot,
    ringGroup,
    customer: { number: "5551234", name: "Ada", destination: CUSTOMER },
    customerTimeoutMs: 20_000,
  };
  const connect = (extra: Partial<ConnectCallbackOptions> = {}) =>
    drive(clock, connectCallback({ ...options, ...extra }));
  return { clock, switchboard, queue, slot, runtime, options, connect, t0: clock.now() };
}

/** The switch's events as `type destination-or-uuid` lines, for order checks. */
function story(switchboard: FakeCallControl): string[] {
  const name = (uuid: string) => switchboard.channel(uuid)?.destination ?? uuid;
  return switchboard.events.flatMap((e) => {
    switch (e.type) {
      case "originate":
      case "answer":
        return [`${e.type} ${e.destination}`];
      case "playTo":
        return [`playTo ${name(e.uuid)} ${"text" in e.media ? e.media.text : e.media.file}`];
      case "bridge":
        return [`bridge ${name(e.aUuid)} ${name(e.bUuid)}`];
      case "hangup":
        return [`hangup ${e.destination} ${e.cause}`];
      default:
        return [];
    }
  });
}

describe("connectCallback", () => {
  it("rings agents as the ring group would, whispers to the one who answers, then calls the customer and bridges them", async () => {
    const { connect, switchboard, t0, slot, queue } = await world({
      "user/1001": [{ kind: "ring" }],
      "user/1002": [{ kind: "answer", afterMs: 2000 }],
      [CUSTOMER]: [{ kind: "answer", afterMs: 5000, hangupAfterMs: 60_000 }],
    });
    const result = await connect();
    expect(result).toEqual({
      kind: "completed",
      agentContact: "user/1002",
      agentAnsweredAt: t0 + 12_000,
      customerAnsweredAt: t0 + 17_000,
      cause: "NORMAL_CLEARING",
    });
    expect(story(switchboard)).toEqual([
      "originate user/1001",
      "hangup user/1001 NO_ANSWER",
      "originate user/1002",
      "answer user/1002",
      "playTo user/1002 Callback for 5551234",
      `originate ${CUSTOMER}`,
      `answer ${CUSTOMER}`,
      `bridge user/1002 ${CUSTOMER}`,
      `hangup ${CUSTOMER} NORMAL_CLEARING`,
      "hangup user/1002 NORMAL_CLEARING",
    ]);
    // Agents see the customer's number and name, with the node's variables.
    expect(switchboard.eventsOf("originate")[1]?.variables).toEqual({
      origination_caller_id_number: "5551234",
      origination_caller_id_name: "Ada",
      sip_h_X_Queue: "support",
    });
    expect(switchboard.eventsOf("originate")[2]?.timeoutMs).toBe(20_000);
    expect(switchboard.live()).toEqual([]);
    // The slot is the dispatcher's: still held.
    expect((await queue.snapshot("support")).holders.map((h) => h.itemId)).toEqual([slot.itemId]);
  });

  it("returns customerNotReached when the customer does not answer or is busy, and hangs up the agent", async () => {
    for (const [behaviour, result, cause] of [
      [{ kind: "ring" }, "noAnswer", "NO_ANSWER"],
      [{ kind: "busy", afterMs: 1000 }, "busy", "USER_BUSY"],
      [{ kind: "unregistered" }, "unreachable", "USER_NOT_REGISTERED"],
      [{ kind: "refuse" }, "failed", null],
    ] as const) {
      const { connect, switchboard } = await world({
        "user/1001": [{ kind: "answer", afterMs: 1000 }],
        [CUSTOMER]: [behaviour],
      });
      expect(await connect()).toEqual({
        kind: "customerNotReached",
        result,
        cause,
        agentContact: "user/1001",
      });
      expect(switchboard.eventsOf("bridge")).toEqual([]);
      expect(switchboard.live()).toEqual([]);
      expect(story(switchboard).at(-1)).toBe("hangup user/1001 NORMAL_CLEARING");
    }
  });

  it("returns noAgent when no agent answers, without calling the customer", async () => {
    const { connect, switchboard } = await world({
      "user/1001": [{ kind: "ring" }],
      "user/1002": [{ kind: "busy" }],
    });
    const result = await connect();
    expect(result).toMatchObject({ kind: "noAgent", result: "noAnswer" });
    if (result.kind !== "noAgent") throw new Error("not noAgent");
    expect(result.attempts.map((a) => [a.destination, a.outcome])).toEqual([
      ["user/1001", "noAnswer"],
      ["user/1002", "busy"],
    ]);
    expect(switchboard.eventsOf("originate").map((e) => e.destination)).toEqual([
      "user/1001",
      "user/1002",
    ]);
  });

  it("returns noAgent when the agent hangs up while the customer rings, and cancels the customer's leg", async () => {
    const { connect, switchboard } = await world({
      "user/1001": [{ kind: "answer", afterMs: 1000, hangupAfterMs: 3000 }],
      [CUSTOMER]: [{ kind: "ring" }],
    });
    expect(await connect()).toEqual({ kind: "noAgent", result: "agentHungUp", attempts: [] });
    expect(switchboard.live()).toEqual([]);
    expect(story(switchboard).filter((line) => line.startsWith("hangup"))).toEqual([
      "hangup user/1001 NORMAL_CLEARING",
      `hangup ${CUSTOMER} ORIGINATOR_CANCEL`,
    ]);
  });

  it("rings an agent group through the registry, skipping agents who are not available", async () => {
    const { clock, connect, switchboard, runtime } = await world(
      {
        "user/1001": [{ kind: "answer", afterMs: 500 }],
        "user/1002": [{ kind: "answer", afterMs: 500 }],
        [CUSTOMER]: [{ kind: "answer", afterMs: 500, hangupAfterMs: 1000 }],
      },
      { targets: { kind: "agentGroup", agentGroupId: "sales" }, mode: "parallel" },
    );
    const agents = new InMemoryAgentRegistry({ clock });
    for (const [id, contact] of [
      ["a1", "user/1001"],
      ["a2", "user/1002"],
    ] as const) {
      await agents.upsert({ id, contact, groups: ["sales"] });
      await agents.setStatus(id, id === "a1" ? "onBreak" : "available");
    }
    const withGroups: FlowRuntime = {
      ...runtime,
      agents,
      resolveAgentGroup: async (group) => (group === "sales" ? ["user/1001", "user/1002"] : null),
    };
    expect(await connect({ runtime: withGroups })).toMatchObject({
      kind: "completed",
      agentContact: "user/1002",
    });
    expect(switchboard.eventsOf("originate").map((e) => e.destination)).toEqual([
      "user/1002",
      CUSTOMER,
    ]);
    expect(
      await connect({ runtime: { ...withGroups, resolveAgentGroup: async () => null } }),
    ).toEqual({ kind: "noAgent", result: "unknownAgentGroup", attempts: [] });
  });

  it("connects without a whisper when the switch cannot play to one leg, or none is wanted", async () => {
    const { connect, switchboard, runtime } = await world({
      "user/1001": [{ kind: "answer", afterMs: 500 }],
      [CUSTOMER]: [{ kind: "answer", afterMs: 500, hangupAfterMs: 1000 }],
    });
    const noPlay: CallControl = {
      originate: (r) => switchboard.originate(r),
      bridge: (a, b) => switchboard.bridge(a, b),
      hangup: (u, c) => switchboard.hangup(u, c),
    };
    expect(await connect({ runtime: { ...runtime, callControl: noPlay } })).toMatchObject({
      kind: "completed",
    });
    expect(await connect({ whisper: null })).toMatchObject({ kind: "completed" });
    expect(switchboard.eventsOf("playTo")).toEqual([]);
    expect(switchboard.eventsOf("bridge")).toHaveLength(2);
  });

  it("hangs up everything and rejects with the signal's reason when aborted", async () => {
    const { clock, options, switchboard } = await world({
      "user/1001": [{ kind: "answer", afterMs: 1000 }],
      [CUSTOMER]: [{ kind: "ring" }],
    });
    const stop = new AbortController();
    const connecting = connectCallback({ ...options, signal: stop.signal });
    connecting.catch(() => {});
    await clock.advance(3000);
    expect(switchboard.ringing().map((c) => c.destination)).toEqual([CUSTOMER]);
    stop.abort(new Error("worker stopping"));
    await expect(connecting).rejects.toThrow("worker stopping");
    expect(switchboard.live()).toEqual([]);
  });

  it("leaves a conversation up when aborted after the bridge, and says so", async () => {
    const { clock, options, switchboard } = await world({
      "user/1001": [{ kind: "answer", afterMs: 1000 }],
      [CUSTOMER]: [{ kind: "answer", afterMs: 1000 }],
    });
    const stop = new AbortController();
    const connecting = connectCallback({ ...options, signal: stop.signal });
    await clock.advance(5000);
    expect(switchboard.eventsOf("bridge")).toHaveLength(1);
    stop.abort(new Error("worker stopping"));
    expect(await connecting).toMatchObject({ kind: "completed", cause: null });
    expect(switchboard.live().map((c) => c.destination)).toEqual(["user/1001", CUSTOMER]);
  });
});

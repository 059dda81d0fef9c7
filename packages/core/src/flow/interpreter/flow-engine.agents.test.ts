import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, type NodeSpec, setUpFlowTest, traceLines } from "../../../test/flow-harness.js";

const agents = ["user/1001", "user/1002"];

/** start → queue (1 slot) → ring → [between] → bridge → hang up; noAnswer / failed → hang up USER_BUSY. */
function ringFlow(options: { ring?: Record<string, unknown>; between?: NodeSpec } = {}) {
  const nodes: Record<string, NodeSpec> = {
    start: { type: "start" },
    queue: { type: "queue", data: { queueId: "support", announceEverySeconds: null } },
    ring: {
      type: "ringGroup",
      data: {
        targets: { kind: "destinations", destinations: agents },
        legTimeoutSeconds: 15,
        totalTimeoutSeconds: null,
        ...options.ring,
      },
    },
    ...(options.between ? { between: options.between } : {}),
    connect: { type: "bridge" },
    bye: { type: "hangup" },
    sorry: { type: "hangup", data: { cause: "USER_BUSY" } },
  };
  return buildFlow(nodes, [
    ["start", "next", "queue"],
    ["queue", "acquired", "ring"],
    ...(options.between
      ? ([
          ["ring", "answered", "between"],
          ["between", "next", "connect"],
        ] as const)
      : ([["ring", "answered", "connect"]] as const)),
    ["ring", "noAnswer", "sorry"],
    ["connect", "completed", "bye"],
    ["connect", "failed", "sorry"],
  ]);
}

describe("FlowEngine.run: ring group and bridge", () => {
  it("rings every destination with the caller's id, bridges the first to answer, and holds the slot throughout", async () => {
    const { clock, start, switchboard, queue, t0 } = setUpFlowTest();
    switchboard
      .script("user/1001", { kind: "ring" })
      .script("user/1002", { kind: "answer", afterMs: 3000, hangupAfterMs: 60_000 });
    const { call, report, progress } = start(ringFlow(), {
      callerIdNumber: "+442079460000",
      callerIdName: "Ada",
    });
    await clock.advance(10_000);
    expect((await queue.snapshot("support")).holders.map((h) => h.itemId)).toEqual(["call-1"]);
    expect(switchboard.channel("call-1")?.bridgedTo).toBe(switchboard.eventsOf("answer")[0]?.uuid);
    const result = await drive(clock, report);
    expect(
      switchboard.eventsOf("originate").map((e) => [e.destination, e.timeoutMs, e.variables]),
    ).toEqual([
      [
        "user/1001",
        15_000,
        { origination_caller_id_number: "+442079460000", origination_caller_id_name: "Ada" },
      ],
      [
        "user/1002",
        15_000,
        { origination_caller_id_number: "+442079460000", origination_caller_id_name: "Ada" },
      ],
    ]);
    expect(switchboard.eventsOf("hangup").map((e) => [e.destination, e.cause, e.at - t0])).toEqual([
      ["user/1001", "LOSE_RACE", 3000],
      ["user/1002", "NORMAL_CLEARING", 63_000],
      [null, "NORMAL_CLEARING", 63_000],
    ]);
    expect(result).toMatchObject({
      outcome: "answered",
      agentContact: "user/1002",
      answeredAt: t0 + 3000,
      endedAt: t0 + 63_000,
    });
    expect(progress.map((p) => [p.kind, p.at - t0])).toEqual([
      ["enqueued", 0],
      ["acquired", 0],
      ["answered", 3000],
      ["bridged", 3000],
      ["released", 63_000],
    ]);
    expect(call.operationsOf("bridge")[0]?.result).toEqual({
      status: "completed",
      cause: "NORMAL_CLEARING",
    });
    const ring = result.trace.find((s) => s.kind === "output" && s.nodeId === "ring");
    expect(ring?.detail?.attempts).toEqual([
      { destination: "user/1002", outcome: "answered", cause: null, rangForMs: 3000 },
      { destination: "user/1001", outcome: "lostRace", cause: "LOSE_RACE", rangForMs: 3000 },
    ]);
  });

  it("leaves by noAnswer when nobody picks up; the flow then hanging up makes it noAnswer", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    for (const a of agents) switchboard.script(a, { kind: "ring" });
    const { report } = start(ringFlow({ ring: { mode: "sequential" } }));
    const result = await drive(clock, report);
    expect(traceLines(result.trace)).toContain("output ring noAnswer");
    expect(result).toMatchObject({
      outcome: "noAnswer",
      hangupCause: "USER_BUSY",
      endedAt: t0 + 30_000,
    });
  });

  it("cancels every ringing leg the moment the caller hangs up, and gives the slot to the next caller", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    for (const a of agents) switchboard.script(a, { kind: "ring" });
    const first = start(ringFlow());
    const second = start(ringFlow());
    await clock.advance(5000);
    first.call.hangUp();
    // Within the hang-up itself, before any promise callback ran:
    expect(switchboard.ringing().map((c) => c.uuid)).toEqual([]);
    expect(switchboard.eventsOf("hangupRequest").map((e) => e.cause)).toEqual([
      "ORIGINATOR_CANCEL",
      "ORIGINATOR_CANCEL",
    ]);
    const left = await drive(clock, first.report);
    expect(left).toMatchObject({ outcome: "abandoned", waitMs: 0, endedAt: t0 + 5000 });
    expect(first.progress.map((p) => p.kind)).toEqual(["enqueued", "acquired", "released"]);
    await clock.advance(0);
    expect(second.progress.map((p) => [p.kind, p.at - t0])).toEqual([
      ["enqueued", 0],
      ["acquired", 5000],
    ]);
    second.call.hangUp();
    await drive(clock, second.report);
  });

  it("hangs up an agent who answered when the caller leaves before the bridge", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard
      .script("user/1001", { kind: "answer", afterMs: 1000 })
      .script("user/1002", { kind: "ring" });
    const between = {
      type: "announce",
      data: { message: { kind: "speech", text: "Connecting you now" } },
    };
    const { call, report } = start(ringFlow({ between }), { media: () => 5000 });
    await clock.advance(2000);
    call.hangUp();
    const agentLeg = switchboard.eventsOf("answer")[0]?.uuid as string;
    expect(switchboard.channel(agentLeg)).toMatchObject({
      state: "ended",
      cause: "ORIGINATOR_CANCEL",
    });
    const result = await drive(clock, report);
    expect(result).toMatchObject({ outcome: "abandoned", agentContact: null, answeredAt: null });
    expect(switchboard.live()).toEqual([]);
    expect(switchboard.eventsOf("hangup").at(-1)?.at).toBe(t0 + 2000);
  });

  it("counts a conversation the caller ends as answered", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard
      .script("user/1001", { kind: "answer", afterMs: 1000 })
      .script("user/1002", { kind: "ring" });
    const { call, report } = start(ringFlow());
    call.hangUpAfter(45_000, "NORMAL_CLEARING");
    const result = await drive(clock, report);
    expect(result).toMatchObject({
      outcome: "answered",
      agentContact: "user/1001",
      answeredAt: t0 + 1000,
      endedAt: t0 + 45_000,
      hangupCause: "NORMAL_CLEARING",
    });
    expect(switchboard.live()).toEqual([]);
    expect(call.operationsOf("bridge")[0]?.endedAt).toBe(t0 + 45_000);
  });

  it("takes failed when the agent hung up between answering and the bridge, and does not try to bridge", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    switchboard
      .script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 500 })
      .script("user/1002", { kind: "ring" });
    const between = {
      type: "announce",
      data: { message: { kind: "speech", text: "Connecting you now" } },
    };
    const { call, report } = start(ringFlow({ between }), { media: () => 2000 });
    const result = await drive(clock, report);
    expect(call.operationsOf("bridge")).toEqual([]);
    expect(traceLines(result.trace)).toEqual(
      expect.arrayContaining(["note between agentHungUp", "output connect failed"]),
    );
    expect(result).toMatchObject({
      outcome: "noAnswer",
      agentContact: null,
      hangupCause: "USER_BUSY",
    });
  });

  it("takes failed when the switch cannot bridge, and hangs the agent up", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    switchboard
      .script("user/1001", { kind: "answer", afterMs: 1000 })
      .script("user/1002", { kind: "ring" });
    const { call, report } = start(ringFlow());
    call.failNext("bridge");
    const result = await drive(clock, report);
    // A port failing is an error: the call fails, and the agent is not left waiting.
    expect(result.outcome).toBe("failed");
    expect(switchboard.live()).toEqual([]);
    expect(traceLines(result.trace)).toContain("error connect CALL_CONTROL");
  });

  it("hangs up an answered agent when the flow ends the call without bridging", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000 });
    const flow = buildFlow(
      {
        start: { type: "start" },
        ring: {
          type: "ringGroup",
          data: { targets: { kind: "destinations", destinations: ["user/1001"] } },
        },
        bye: { type: "hangup" },
      },
      [
        ["start", "next", "ring"],
        ["ring", "answered", "bye"],
      ],
    );
    const { report } = start(flow);
    const result = await drive(clock, report);
    expect(switchboard.eventsOf("hangup").map((e) => [e.destination, e.cause])).toEqual([
      ["user/1001", "NORMAL_CLEARING"],
      [null, "NORMAL_CLEARING"],
    ]);
    expect(result.outcome).toBe("noAnswer");
  });

  it("rings an agent group's Available, idle agents in the group's order", async () => {
    const { clock, start, switchboard, agents: registry, addAgents, engineWith } = setUpFlowTest();
    await addAgents("support", ["user/2001", "user/2002"]);
    await addAgents("support", ["user/2003"], "onBreak");
    switchboard
      .script("user/2001", { kind: "busy" })
      .script("user/2002", { kind: "answer", afterMs: 500 });
    const groups: Record<string, string[]> = { support: ["user/2003", "user/2001", "user/2002"] };
    const flow = buildFlow(
      {
        start: { type: "start" },
        ring: {
          type: "ringGroup",
          data: { targets: { kind: "agentGroup", agentGroupId: "support" }, mode: "sequential" },
        },
        connect: { type: "bridge" },
      },
      [
        ["start", "next", "ring"],
        ["ring", "answered", "connect"],
      ],
    );
    const { call, report } = start(
      flow,
      {},
      engineWith({ agents: registry, resolveAgentGroup: async (id) => groups[id] ?? null }),
    );
    await clock.advance(1000);
    expect((await registry.get("user-2002"))?.state).toBe("inCall");
    call.hangUp();
    const result = await drive(clock, report);
    expect(switchboard.eventsOf("originate").map((e) => e.destination)).toEqual([
      "user/2001",
      "user/2002",
    ]);
    const ring = result.trace.find((s) => s.kind === "output" && s.nodeId === "ring");
    expect(ring?.detail?.attempts).toEqual([
      {
        destination: "user/2003",
        outcome: "skipped",
        agentId: "user-2003",
        reason: "notAvailable",
      },
      expect.objectContaining({ destination: "user/2001", outcome: "busy" }),
      expect.objectContaining({ destination: "user/2002", outcome: "answered" }),
    ]);
    expect(result).toMatchObject({ outcome: "answered", agentContact: "user/2002" });
  });

  it("balances calls across agents with the engine's own balancer when the runtime brings none", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    for (const a of agents) switchboard.script(a, { kind: "answer", afterMs: 100 });
    const flow = buildFlow(
      {
        start: { type: "start" },
        ring: {
          type: "ringGroup",
          data: { targets: { kind: "destinations", destinations: agents }, mode: "balancing" },
        },
        connect: { type: "bridge" },
      },
      [
        ["start", "next", "ring"],
        ["ring", "answered", "connect"],
      ],
    );
    const calls = [start(flow), start(flow)];
    await clock.advance(1000);
    // The first agent is still talking: the second call goes to the other one.
    const rung = switchboard.eventsOf("originate").map((e) => e.destination);
    expect(new Set(rung)).toEqual(new Set(agents));
    for (const c of calls) c.call.hangUp();
    await drive(clock, Promise.all(calls.map((c) => c.report)));
  });

  it("records an error and leaves by noAnswer for an agent group that does not exist", async () => {
    const { clock, start, engineWith } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        ring: {
          type: "ringGroup",
          data: { targets: { kind: "agentGroup", agentGroupId: "gone" } },
        },
        vm: { type: "voicemail", data: { mailbox: "7000" } },
      },
      [
        ["start", "next", "ring"],
        ["ring", "noAnswer", "vm"],
      ],
    );
    const { report } = start(flow, {}, engineWith({ resolveAgentGroup: async () => null }));
    const result = await drive(clock, report);
    expect(traceLines(result.trace)).toEqual(
      expect.arrayContaining(["error ring AGENT_GROUP_UNKNOWN", "output ring noAnswer"]),
    );
    expect(result.outcome).toBe("voicemail");
    const { report: noResolver } = start(flow);
    expect(
      (await drive(clock, noResolver)).trace.find((s) => s.kind === "error")?.detail,
    ).toMatchObject({
      code: "AGENT_GROUP_UNKNOWN",
      message: "the runtime has no resolveAgentGroup to ring agent groups with",
    });
  });

  it("dials a destination: completed counts as answered, busy as failed", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    switchboard.script(
      "sofia/gateway/gw1/5551234",
      { kind: "answer", afterMs: 4000, hangupAfterMs: 20_000 },
      { kind: "busy" },
    );
    const flow = buildFlow(
      {
        start: { type: "start" },
        dial: {
          type: "bridge",
          data: {
            to: { kind: "dial", dialString: "sofia/gateway/gw1/5551234", timeoutSeconds: 25 },
          },
        },
        done: { type: "hangup" },
      },
      [
        ["start", "next", "dial"],
        ["dial", "completed", "done"],
      ],
    );
    const first = start(flow);
    const talked = await drive(clock, first.report);
    expect(first.call.operationsOf("bridgeDial")[0]).toMatchObject({
      args: { dialString: "sofia/gateway/gw1/5551234", timeoutMs: 25_000 },
      result: { status: "completed", cause: "NORMAL_CLEARING" },
    });
    expect(talked).toMatchObject({ outcome: "answered", agentContact: null, answeredAt: null });
    const second = start(flow);
    const busy = await drive(clock, second.report);
    expect(busy.trace.find((s) => s.kind === "output" && s.nodeId === "dial")).toMatchObject({
      output: "failed",
      detail: { cause: "USER_BUSY" },
    });
    expect(busy.outcome).toBe("noAnswer");
  });

  it("counts a dialled call the caller hangs up mid-conversation as answered", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    switchboard.script("user/1009", { kind: "answer", afterMs: 1000 });
    const flow = buildFlow(
      {
        start: { type: "start" },
        dial: { type: "bridge", data: { to: { kind: "dial", dialString: "user/1009" } } },
        done: { type: "hangup" },
      },
      [
        ["start", "next", "dial"],
        ["dial", "completed", "done"],
      ],
    );
    const { call, report } = start(flow);
    call.hangUpAfter(5000);
    const result = await drive(clock, report);
    expect(result.outcome).toBe("answered");
  });

  it("cancels the dialled leg when the caller hangs up while it rings: abandoned", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    switchboard.script("user/1009", { kind: "ring" });
    const flow = buildFlow(
      {
        start: { type: "start" },
        dial: { type: "bridge", data: { to: { kind: "dial", dialString: "user/1009" } } },
      },
      [["start", "next", "dial"]],
    );
    const { call, report } = start(flow);
    call.hangUpAfter(3000);
    const result = await drive(clock, report);
    expect(result.outcome).toBe("abandoned");
    expect(switchboard.channels().find((c) => c.destination === "user/1009")).toMatchObject({
      state: "ended",
      cause: "ORIGINATOR_CANCEL",
    });
  });
});

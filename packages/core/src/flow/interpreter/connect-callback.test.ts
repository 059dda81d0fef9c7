import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow } from "../../../test/flow-harness.js";
import { FakeCallControl } from "../../testing/fake-call-control.js";
import { ManualClock } from "../../testing/manual-clock.js";
import { connectCallback, ringGroupAfterQueue } from "./connect-callback.js";

const CUSTOMER = "sofia/gateway/out/07700900123";

function setUp() {
  const clock = new ManualClock();
  const switchboard = new FakeCallControl({ clock });
  const ringGroup = {
    targets: { kind: "destinations" as const, destinations: ["user/1001", "user/1002"] },
    mode: "parallel" as const,
    legTimeoutSeconds: 20,
    totalTimeoutSeconds: null,
    variables: {},
  };
  const connect = () =>
    connectCallback({
      runtime: { callControl: switchboard, clock },
      ringGroup,
      dialString: CUSTOMER,
      number: "07700900123",
      callerName: "Ada",
    });
  return { clock, switchboard, connect, t0: clock.now() };
}

describe("connectCallback", () => {
  it("rings the agents, whispers to the one who answers while the customer rings, and bridges them", async () => {
    const { clock, switchboard, connect, t0 } = setUp();
    switchboard.script("user/1001", { kind: "answer", afterMs: 2000 });
    switchboard.script("user/1002", { kind: "ring" });
    switchboard.script(CUSTOMER, { kind: "answer", afterMs: 5000, hangupAfterMs: 60_000 });
    const result = await drive(clock, connect());
    if (result.status !== "connected") throw new Error(`not connected: ${result.status}`);
    expect(result.agentContact).toBe("user/1001");
    const events = switchboard.events.map((e) => ({ ...e, at: (e.at - t0) / 1000 }));
    const agentLeg = result.agentLegUuid;
    expect(events.find((e) => e.type === "speak")).toEqual({
      type: "speak",
      at: 2,
      uuid: agentLeg,
      text: "Callback for 0 7 7 0 0 9 0 0 1 2 3",
    });
    expect(events.find((e) => e.type === "bridge")).toEqual({
      type: "bridge",
      at: 7,
      aUuid: agentLeg,
      bUuid: result.customerLegUuid,
    });
    // The agent's phone showed who is being called back.
    const agentOriginate = events.find((e) => e.type === "originate" && e.uuid === agentLeg);
    expect(agentOriginate).toMatchObject({
      variables: {
        origination_caller_id_number: "07700900123",
        origination_caller_id_name: "Callback Ada",
      },
    });
    // The customer hangs up after a minute: the agent is hung up too.
    await drive(clock, result.ended);
    const hangups = switchboard.events.filter((e) => e.type === "hangup").map((e) => e.uuid);
    expect(hangups).toEqual(expect.arrayContaining([agentLeg, result.customerLegUuid]));
  });

  it("releases the agent when the customer does not answer, with the switch's cause", async () => {
    const { clock, switchboard, connect } = setUp();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000 });
    switchboard.script("user/1002", { kind: "busy" });
    switchboard.script(CUSTOMER, { kind: "busy", afterMs: 3000 });
    const result = await drive(clock, connect());
    expect(result).toEqual({ status: "customerNoAnswer", cause: "USER_BUSY" });
    expect(switchboard.events.filter((e) => e.type === "bridge")).toEqual([]);
    const agent = switchboard.events.find(
      (e) => e.type === "originate" && e.destination === "user/1001",
    );
    expect(switchboard.events).toContainEqual(
      expect.objectContaining({
        type: "hangup",
        uuid: agent?.type === "originate" ? agent.uuid : "",
      }),
    );
  });

  it("calls no customer when no agent answers", async () => {
    const { clock, switchboard, connect } = setUp();
    switchboard.script("user/1001", { kind: "busy" });
    switchboard.script("user/1002", { kind: "busy" });
    const result = await drive(clock, connect());
    expect(result).toEqual({ status: "noAgent", reason: "allBusy" });
    expect(
      switchboard.events.filter((e) => e.type === "originate" && e.destination === CUSTOMER),
    ).toEqual([]);
  });

  it("cancels the customer's call when the agent hangs up while it rings", async () => {
    const { clock, switchboard, connect } = setUp();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 2000 });
    switchboard.script("user/1002", { kind: "busy" });
    switchboard.script(CUSTOMER, { kind: "ring" });
    const result = await drive(clock, connect());
    expect(result).toEqual({ status: "agentLeft" });
    const customer = switchboard.events.find(
      (e) => e.type === "originate" && e.destination === CUSTOMER,
    );
    expect(switchboard.events).toContainEqual(
      expect.objectContaining({
        type: "hangup",
        uuid: customer?.type === "originate" ? customer.uuid : "",
      }),
    );
  });
});

describe("ringGroupAfterQueue", () => {
  it("finds the ring group on the queue's acquired path, past announcements, and nothing else", () => {
    const flow = buildFlow(
      {
        start: { type: "start" },
        queue: { type: "queue", data: { queueId: "sales" } },
        hello: { type: "announce", data: { message: { kind: "speech", text: "Hello" } } },
        ring: {
          type: "ringGroup",
          data: { targets: { kind: "destinations", destinations: ["user/1001"] } },
        },
        bye: { type: "hangup" },
      },
      [
        ["start", "next", "queue"],
        ["queue", "acquired", "hello"],
        ["hello", "next", "ring"],
        ["queue", "timeout", "bye"],
      ],
    );
    expect(ringGroupAfterQueue(flow, "queue")?.targets).toEqual({
      kind: "destinations",
      destinations: ["user/1001"],
    });
    expect(ringGroupAfterQueue(flow, "hello")).toBeNull();
    expect(ringGroupAfterQueue(flow, "nope")).toBeNull();
  });
});

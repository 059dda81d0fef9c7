import { describe, expect, it } from "vitest";
import { buildFlow } from "../../test/flow-harness.js";
import { callbackRingGroupOf } from "./callback-ring-group.js";
import { createDemoFlow } from "./demo-flow.js";

const ring = (destinations: string[]) => ({
  type: "ringGroup",
  data: { targets: { kind: "destinations", destinations } },
});
const say = { type: "announce", data: { message: { kind: "speech", text: "Connecting." } } };

describe("callbackRingGroupOf", () => {
  it("finds the ring group after the queue's acquired output, through announcements", () => {
    const flow = buildFlow(
      {
        start: { type: "start" },
        queue: { type: "queue", data: { queueId: "support" } },
        hello: say,
        again: say,
        agents: ring(["user/1001"]),
        other: ring(["user/2001"]),
      },
      [
        ["start", "next", "queue"],
        ["queue", "timeout", "other"],
        ["queue", "acquired", "hello"],
        ["hello", "next", "again"],
        ["again", "next", "agents"],
      ],
    );
    expect(callbackRingGroupOf(flow, "queue")).toMatchObject({
      targets: { kind: "destinations", destinations: ["user/1001"] },
      mode: "parallel",
    });
  });

  it("finds none past a node that decides, without an edge, in a loop, or for a node that is no queue", () => {
    const flow = buildFlow(
      {
        q1: { type: "queue", data: { queueId: "a" } },
        menu: {
          type: "menu",
          data: { prompt: { kind: "file", file: "m.wav" }, options: [{ digit: "1" }] },
        },
        agents: ring(["user/1001"]),
        q2: { type: "queue", data: { queueId: "b" } },
        q3: { type: "queue", data: { queueId: "c" } },
        loop1: say,
        loop2: say,
      },
      [
        ["q1", "acquired", "menu"],
        ["menu", "1", "agents"],
        ["q3", "acquired", "loop1"],
        ["loop1", "next", "loop2"],
        ["loop2", "next", "loop1"],
      ],
    );
    expect(callbackRingGroupOf(flow, "q1")).toBeNull();
    expect(callbackRingGroupOf(flow, "q2")).toBeNull();
    expect(callbackRingGroupOf(flow, "q3")).toBeNull();
    expect(callbackRingGroupOf(flow, "agents")).toBeNull();
    expect(callbackRingGroupOf(flow, "missing")).toBeNull();
  });

  it("finds the demo flow's ring group", () => {
    const demo = createDemoFlow();
    const queue = demo.nodes.find((n) => n.type === "queue");
    expect(queue && callbackRingGroupOf(demo, queue.id)).toMatchObject({
      mode: expect.any(String),
    });
  });
});

import { describe, expect, it } from "vitest";
import { checkConnection } from "./connection-rules.js";

const flow = {
  nodes: [
    { id: "s", type: "start", data: { numbers: ["7000"] } },
    { id: "a", type: "announce", data: { message: { kind: "speech", text: "Hi" } } },
    { id: "q", type: "queue", data: { queueId: "" } },
    {
      id: "m",
      type: "menu",
      data: { prompt: { kind: "speech", text: "Press" }, options: [{ digit: "1" }] },
    },
    {
      id: "r",
      type: "ringGroup",
      data: { label: "Sales agents", targets: { kind: "agentGroup", agentGroupId: "sales" } },
    },
    { id: "v", type: "voicemail", data: { mailbox: "7000" } },
    { id: "t", type: "timeCondition", data: {} },
  ],
  edges: [{ id: "e1", source: "s", sourceHandle: "next", target: "a" }],
};

const refusal = (source: string, sourceHandle: string | null, target: string, replacing?: string) =>
  checkConnection(flow, { source, sourceHandle, target }, replacing ? { replacing } : {});

describe("checkConnection", () => {
  it("allows an edge from a free output to a node that takes input", () => {
    expect(refusal("a", "next", "q")).toBeNull();
    expect(refusal("q", "timeout", "v")).toBeNull();
  });

  it("refuses an edge into start, saying why", () => {
    expect(refusal("a", "next", "s")).toEqual({
      code: "edgeIntoStart",
      at: "target",
      reason: "Start s is where calls enter: nothing can lead into it",
    });
  });

  it("refuses a second edge on one output, naming where it already leads", () => {
    expect(refusal("s", "next", "q")).toMatchObject({
      code: "outputConnectedTwice",
      reason: expect.stringContaining('Output "Next" of Start s already leads to Announcement a'),
    });
  });

  it("lets an edge being dragged to a new target keep its own output", () => {
    expect(refusal("s", "next", "q", "e1")).toBeNull();
  });

  it("refuses edges leaving a node that ends the call, or from an output it lacks", () => {
    expect(refusal("v", "next", "a")?.code).toBe("edgeFromTerminal");
    expect(refusal("m", "2", "a")).toMatchObject({
      code: "unknownOutput",
      reason: 'Menu m has no output "2" (it has: 1, timeout, invalid)',
    });
    expect(refusal("a", null, "q")?.code).toBe("unknownOutput");
  });

  it("judges the outputs of a node still being filled in by its draft outputs", () => {
    // The queue's id is empty, yet it has its acquired and timeout outputs.
    expect(refusal("q", "acquired", "r")).toBeNull();
    expect(refusal("q", "full", "r")?.code).toBe("unknownOutput");
  });

  it("refuses a self-loop on a node that does not wait, allows one that does", () => {
    expect(refusal("r", "noAnswer", "r")).toMatchObject({
      code: "loopWithoutWait",
      reason: expect.stringContaining('"Sales agents" would lead straight back to itself'),
    });
    expect(refusal("t", "closed", "t")?.code).toBe("loopWithoutWait");
    // A menu may ask again.
    expect(refusal("m", "invalid", "m")).toBeNull();
  });

  it("refuses edges to or from missing nodes", () => {
    expect(refusal("ghost", "next", "a")?.code).toBe("edgeSourceMissing");
    expect(refusal("a", "next", "ghost")?.code).toBe("edgeTargetMissing");
  });
});

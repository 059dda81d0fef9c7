import { describe, expect, it } from "vitest";
import { createDemoFlow } from "./demo-flow.js";
import { flowReferences } from "./flow-references.js";

const none = { queueIds: [], agentGroupIds: [] };

function node(id: string, type: string, data: unknown) {
  return { id, type, position: { x: 0, y: 0 }, data };
}

describe("flowReferences", () => {
  it("names the queues and agent groups of queue and ring group nodes, sorted and unique", () => {
    const graph = {
      schemaVersion: 1,
      nodes: [
        node("q1", "queue", { queueId: "sales", agentGroupId: "g-sales" }),
        node("q2", "queue", { queueId: "billing" }),
        node("q3", "queue", { queueId: "sales" }),
        node("r1", "ringGroup", { targets: { kind: "agentGroup", agentGroupId: "g-billing" } }),
        node("r2", "ringGroup", { targets: { kind: "agentGroup", agentGroupId: "g-sales" } }),
        node("r3", "ringGroup", { targets: { kind: "destinations", destinations: ["user/1"] } }),
        node("a", "announce", { queueId: "not-a-queue-node", agentGroupId: "nor-this" }),
      ],
      edges: [],
    };
    expect(flowReferences(graph)).toEqual({
      queueIds: ["billing", "sales"],
      agentGroupIds: ["g-billing", "g-sales"],
    });
  });

  it("reads the demo flow's queue", () => {
    expect(flowReferences(createDemoFlow())).toEqual({ queueIds: ["support"], agentGroupIds: [] });
  });

  it("skips whatever is not a node of the expected shape, and never throws", () => {
    for (const junk of [null, undefined, 42, "flow", [], {}, { nodes: "x" }, { nodes: [null] }]) {
      expect(flowReferences(junk)).toEqual(none);
    }
    const odd = {
      nodes: [
        "queue",
        node("q1", "queue", null),
        node("q2", "queue", { queueId: 7, agentGroupId: ["g"] }),
        node("q3", "queue", { queueId: "" }),
        node("r1", "ringGroup", { targets: "agentGroup" }),
        node("r2", "ringGroup", { targets: { agentGroupId: "no-kind" } }),
        node("r3", "ringGroup", { targets: { kind: "agentGroup", agentGroupId: null } }),
        { type: "queue", data: { queueId: "kept-without-id-or-position" } },
      ],
    };
    expect(flowReferences(odd)).toEqual({
      queueIds: ["kept-without-id-or-position"],
      agentGroupIds: [],
    });
  });
});

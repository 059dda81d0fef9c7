import { describe, expect, it } from "vitest";
import { createDemoFlow } from "./demo-flow.js";
import { isOpenAt } from "./is-open-at.js";
import { parseFlowGraph } from "./parse-flow-graph.js";
import { validateFlow } from "./validate/validate-flow.js";

describe("the demo flow", () => {
  it("validates without a single problem, even after a JSON round trip", () => {
    const demo = createDemoFlow();
    expect(validateFlow(demo)).toEqual([]);
    const stored = JSON.parse(JSON.stringify(demo));
    expect(parseFlowGraph(stored)).toEqual(demo);
  });

  it("answers 7000, is open 24/7 and queues support two at a time", () => {
    const demo = createDemoFlow();
    const start = demo.nodes.find((n) => n.type === "start");
    expect(start?.data.numbers).toEqual(["7000"]);
    const hours = demo.nodes.find((n) => n.type === "timeCondition");
    expect(hours && isOpenAt(hours.data, new Date("2026-12-25T03:00:00Z"))).toBe(true);
    const queue = demo.nodes.find((n) => n.type === "queue");
    expect(queue?.data).toMatchObject({ queueId: "support", maxConcurrent: 2 });
    const group = demo.nodes.find((n) => n.type === "ringGroup");
    expect(group?.data).toMatchObject({
      mode: "parallel",
      targets: { destinations: ["user/1001", "user/1002", "user/1003"] },
    });
  });

  it("is a fresh copy each time", () => {
    const a = createDemoFlow();
    a.nodes.pop();
    expect(createDemoFlow().nodes).toHaveLength(9);
  });
});

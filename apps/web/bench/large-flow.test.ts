import { validateFlow } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { createLargeFlow } from "./large-flow";

describe("the benchmark's large flow", () => {
  it("has 300 nodes and 400 edges, and no error", () => {
    const flow = createLargeFlow({ nodes: 300, edges: 400 });
    expect(flow.nodes).toHaveLength(300);
    expect(flow.edges).toHaveLength(400);
    const problems = validateFlow(flow);
    expect(problems.filter((p) => p.severity === "error")).toEqual([]);
    expect(problems.filter((p) => p.code === "unreachableNode")).toEqual([]);
  });
});

import { validateFlow } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { flowLevelProblems, indexProblems } from "./problem-index";

describe("the problem index", () => {
  it("places problems on their nodes and edges, errors first, and counts them", () => {
    const flow = {
      schemaVersion: 1,
      nodes: [
        { id: "s", type: "start", position: { x: 0, y: 0 }, data: { numbers: [] } },
        { id: "q", type: "queue", position: { x: 0, y: 0 }, data: { queueId: "" } },
      ],
      edges: [
        { id: "e1", source: "s", sourceHandle: "next", target: "q" },
        { id: "back", source: "q", sourceHandle: "acquired", target: "s" },
      ],
    };
    const index = indexProblems(validateFlow(flow));
    expect(index.byNode.get("q")?.severity).toBe("error");
    expect(index.byNode.get("q")?.problems.map((p) => p.code)).toEqual(["invalidNodeConfig"]);
    // An edge into the start marks the edge and the start.
    expect(index.byEdge.get("back")?.problems.map((p) => p.code)).toEqual(["edgeIntoStart"]);
    expect(index.byNode.get("s")?.problems.map((p) => p.code)).toEqual([
      "edgeIntoStart",
      "noNumbers",
    ]);
    expect(index.errorCount).toBe(2);
    expect(index.warningCount).toBe(index.all.length - 2);
  });

  it("keeps problems of the whole flow apart", () => {
    const problems = validateFlow({ schemaVersion: 1, nodes: [], edges: [] });
    expect(flowLevelProblems(problems).map((p) => p.code)).toEqual(["missingStart"]);
  });
});

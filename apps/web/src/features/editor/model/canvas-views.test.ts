import { callPathFromTrace, createDemoFlow, type FlowDraft } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { countDecorations, diffView, executionView } from "./canvas-views";

const demo = () => createDemoFlow() as FlowDraft;

describe("the diff view", () => {
  it("marks added, changed and removed nodes and edges, and draws the removed ones as ghosts", () => {
    const live = demo();
    const draft: FlowDraft = {
      ...live,
      nodes: [
        ...live.nodes
          .filter((n) => n.id !== "closed")
          .map((n) => (n.id === "queue" ? { ...n, data: { ...n.data, maxConcurrent: 5 } } : n))
          .map((n) => (n.id === "start" ? { ...n, position: { x: 999, y: 0 } } : n)),
        { id: "extra", type: "hangup", position: { x: 0, y: 0 }, data: {} },
      ],
      edges: live.edges.filter((e) => e.source !== "closed" && e.target !== "closed"),
    };
    const view = diffView(live, draft);
    const mark = (id: string) => view.decorations.nodes.get(id);
    expect(mark("extra")).toEqual({ diff: "added" });
    expect(mark("closed")).toEqual({ diff: "removed" });
    expect(mark("queue")).toEqual({ diff: "changed", changedFields: ["data.maxConcurrent"] });
    // A move alone is no change.
    expect(mark("start")).toBeUndefined();
    expect(view.graph.nodes.map((n) => n.id)).toContain("closed");
    const removedEdges = [...view.decorations.edges].filter(([, d]) => d.diff === "removed");
    expect(removedEdges.length).toBeGreaterThan(0);
    expect(view.changes).toBe(3 + removedEdges.length);
  });

  it("finds no change between a draft and itself", () => {
    expect(diffView(demo(), demo()).changes).toBe(0);
  });
});

describe("the executions view", () => {
  it("annotates visited nodes, marks the outputs taken and fades the rest", () => {
    const path = callPathFromTrace([
      { at: 0, kind: "enter", nodeId: "start" },
      { at: 0, kind: "output", nodeId: "start", output: "next" },
      { at: 5, kind: "enter", nodeId: "hours" },
      { at: 5, kind: "output", nodeId: "hours", output: "open" },
      { at: 6, kind: "enter", nodeId: "queue" },
      { at: 9000, kind: "note", nodeId: null },
    ]);
    const view = executionView(demo(), path);
    expect(view.decorations.nodes.get("queue")?.visits?.[0]).toMatchObject({
      durationMs: 8994,
      output: null,
    });
    expect(view.decorations.nodes.get("closed")).toEqual({ dimmed: true });
    const taken = [...view.decorations.edges].filter(([, d]) => d.taken).map(([id]) => id);
    const edge = (source: string, handle: string) =>
      demo().edges.find((e) => e.source === source && e.sourceHandle === handle)?.id;
    expect(taken.sort()).toEqual([edge("start", "next"), edge("hours", "open")].sort());
  });
});

describe("pass counts", () => {
  it("gives each node its outputs' counts", () => {
    const decorations = countDecorations([
      { nodeId: "q", output: "acquired", count: 12 },
      { nodeId: "q", output: "timeout", count: 3 },
    ]);
    expect(decorations.nodes.get("q")).toEqual({ outputCounts: { acquired: 12, timeout: 3 } });
  });
});

import { createDemoFlow, type FlowDraft } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { applyPositions, DEFAULT_NODE_SIZE, layoutFlow } from "./auto-layout";

describe("auto-layout", () => {
  it("lays the flow out left to right, every edge pointing rightwards along the main path", () => {
    const graph = createDemoFlow() as FlowDraft;
    const positions = layoutFlow(graph, { grid: 16 });
    expect([...positions.keys()].sort()).toEqual(graph.nodes.map((n) => n.id).sort());
    const x = (id: string) => positions.get(id)?.x ?? Number.NaN;
    expect(x("start")).toBeLessThan(x("hours"));
    expect(x("hours")).toBeLessThan(x("queue"));
    expect(x("queue")).toBeLessThan(x("agents"));
    expect(x("agents")).toBeLessThan(x("connect"));
    for (const p of positions.values()) {
      expect(p.x % 16).toBe(0);
      expect(p.y % 16).toBe(0);
    }
  });

  it("leaves no two nodes overlapping, with measured sizes", () => {
    const graph = createDemoFlow() as FlowDraft;
    const size = { width: 300, height: 180 };
    const positions = [...layoutFlow(graph, { sizeOf: () => size }).values()];
    for (const [i, a] of positions.entries()) {
      for (const b of positions.slice(i + 1)) {
        const apart = Math.abs(a.x - b.x) >= size.width || Math.abs(a.y - b.y) >= size.height;
        expect(apart).toBe(true);
      }
    }
  });

  it("orders branches by their source's outputs: acquired above timeout", () => {
    const graph: FlowDraft = {
      schemaVersion: 1,
      nodes: [
        { id: "q", type: "queue", position: { x: 0, y: 0 }, data: { queueId: "q" } },
        { id: "late", type: "hangup", position: { x: 0, y: 0 }, data: {} },
        { id: "ok", type: "hangup", position: { x: 0, y: 0 }, data: {} },
      ],
      edges: [
        { id: "e2", source: "q", sourceHandle: "timeout", target: "late" },
        { id: "e1", source: "q", sourceHandle: "acquired", target: "ok" },
      ],
    };
    const positions = layoutFlow(graph);
    expect(positions.get("ok")?.y ?? 0).toBeLessThan(positions.get("late")?.y ?? 0);
  });

  it("runs a menu's keys downwards in their order", () => {
    const keys = ["1", "2", "3"];
    const graph: FlowDraft = {
      schemaVersion: 1,
      nodes: [
        {
          id: "m",
          type: "menu",
          position: { x: 0, y: 0 },
          data: {
            prompt: { kind: "speech", text: "Press" },
            options: keys.map((digit) => ({ digit })),
          },
        },
        ...keys.map((k) => ({ id: `h${k}`, type: "hangup", position: { x: 0, y: 0 }, data: {} })),
      ],
      edges: [...keys]
        .reverse()
        .map((k) => ({ id: `e${k}`, source: "m", sourceHandle: k, target: `h${k}` })),
    };
    const y = (id: string) => layoutFlow(graph).get(id)?.y ?? Number.NaN;
    expect(y("h1")).toBeLessThan(y("h2"));
    expect(y("h2")).toBeLessThan(y("h3"));
  });

  it("moves only the nodes it has positions for", () => {
    const graph = createDemoFlow() as FlowDraft;
    const moved = applyPositions(graph, new Map([["start", { x: 1, y: 2 }]]));
    expect(moved.nodes[0]?.position).toEqual({ x: 1, y: 2 });
    expect(moved.nodes[1]).toBe(graph.nodes[1]);
    expect(DEFAULT_NODE_SIZE.width).toBeGreaterThan(0);
  });
});

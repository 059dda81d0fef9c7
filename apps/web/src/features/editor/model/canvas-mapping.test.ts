import { createDemoFlow, type FlowDraft } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { canvasToGraph, graphToCanvas, isNoteNode } from "./canvas-mapping";

const withNotes = (): FlowDraft => ({
  ...(createDemoFlow() as FlowDraft),
  notes: [
    {
      id: "n1",
      position: { x: -40.5, y: 12 },
      text: "VIPs skip the line\nsee Ann",
      width: 280,
      height: 120,
    },
    { id: "n2", position: { x: 900, y: -300 }, text: "" },
  ],
});

describe("graph ↔ canvas mapping", () => {
  it("round-trips a flow exactly: nodes, config, positions, edges, notes and viewport", () => {
    const graph = withNotes();
    const viewport = { x: -120.25, y: 48, zoom: 0.75 };
    const canvas = graphToCanvas({ graph, viewport });
    expect(canvasToGraph(canvas)).toEqual({ graph, viewport });
  });

  it("round-trips a half-drawn draft, unknown types and empty configs included", () => {
    const graph: FlowDraft = {
      schemaVersion: 1,
      nodes: [
        { id: "q", type: "queue", position: { x: 0, y: 0 }, data: { queueId: "" } },
        { id: "x", type: "teleport", position: { x: 1, y: 2 }, data: {} },
      ],
      edges: [{ id: "e", source: "q", sourceHandle: "acquired", target: "ghost" }],
    };
    expect(canvasToGraph(graphToCanvas({ graph })).graph).toEqual(graph);
  });

  it("draws notes as note nodes under the flow, with their size", () => {
    const { nodes } = graphToCanvas({ graph: withNotes() });
    const note = nodes.find((n) => n.id === "n1");
    expect(note && isNoteNode(note)).toBe(true);
    expect(note).toMatchObject({ type: "note", width: 280, height: 120, zIndex: -1 });
  });

  it("drops React Flow's own fields when reading the canvas", () => {
    const canvas = graphToCanvas({ graph: withNotes() });
    const busy = {
      ...canvas,
      nodes: canvas.nodes.map((n) => ({
        ...n,
        selected: true,
        dragging: false,
        measured: { width: 1, height: 2 },
      })),
      edges: canvas.edges.map((e) => ({ ...e, selected: true, animated: true })),
    };
    expect(canvasToGraph(busy).graph).toEqual(withNotes());
  });

  it("keeps the canvas objects of unchanged nodes, so they keep selection and do not re-render", () => {
    const graph = withNotes();
    const first = graphToCanvas({ graph });
    const selected = first.nodes.map((n) => (n.id === "queue" ? { ...n, selected: true } : n));
    const moved: FlowDraft = {
      ...graph,
      nodes: graph.nodes.map((n) => (n.id === "start" ? { ...n, position: { x: 5, y: 5 } } : n)),
    };
    const second = graphToCanvas({ graph: moved }, { reuse: selected });
    const byId = (id: string, list: typeof selected) => list.find((n) => n.id === id);
    expect(byId("queue", second.nodes)).toBe(byId("queue", selected));
    expect(byId("queue", second.nodes)?.selected).toBe(true);
    expect(byId("n1", second.nodes)).toBe(byId("n1", selected));
    expect(byId("start", second.nodes)).not.toBe(byId("start", selected));
    expect(byId("start", second.nodes)?.position).toEqual({ x: 5, y: 5 });
  });

  it("keeps the canvas objects of unchanged edges", () => {
    const graph = withNotes();
    const first = graphToCanvas({ graph });
    const retargeted: FlowDraft = {
      ...graph,
      edges: graph.edges.map((e, i) => (i === 0 ? { ...e, target: "closed" } : e)),
    };
    const second = graphToCanvas({ graph: retargeted }, { reuseEdges: first.edges });
    expect(second.edges[1]).toBe(first.edges[1]);
    expect(second.edges[0]).not.toBe(first.edges[0]);
    expect(second.edges[0]?.target).toBe("closed");
  });
});

import { createDemoFlow, type FlowDraft } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import {
  copySelection,
  duplicateSelection,
  parseClipboard,
  pasteClipboard,
  serializeClipboard,
} from "./clipboard";
import { sequentialIds } from "./test-ids";

const demo = () => createDemoFlow() as FlowDraft;

describe("copy, paste and duplicate", () => {
  it("copies the selected nodes with the edges between them, not those leaving the selection", () => {
    const clip = copySelection(demo(), new Set(["queue", "agents", "connect"]));
    expect(clip?.nodes.map((n) => n.id)).toEqual(["queue", "agents", "connect"]);
    expect(clip?.edges.map((e) => `${e.source}.${e.sourceHandle}->${e.target}`)).toEqual([
      "queue.acquired->agents",
      "agents.answered->connect",
    ]);
    expect(copySelection(demo(), new Set())).toBeNull();
  });

  it("pastes under new ids with the inner edges remapped, offset from the originals", () => {
    const graph = demo();
    const clip = copySelection(graph, new Set(["queue", "agents"]));
    if (!clip) throw new Error("nothing copied");
    const result = pasteClipboard(graph, clip, { newId: sequentialIds() });
    expect(result.pasted).toEqual(["queue-1", "ringGroup-2"]);
    const added = result.graph.nodes.slice(graph.nodes.length);
    const original = graph.nodes.find((n) => n.id === "queue");
    expect(added[0]).toEqual({
      ...original,
      id: "queue-1",
      position: { x: (original?.position.x ?? 0) + 40, y: (original?.position.y ?? 0) + 40 },
    });
    expect(result.graph.edges.slice(graph.edges.length)).toEqual([
      { id: "edge-3", source: "queue-1", sourceHandle: "acquired", target: "ringGroup-2" },
    ]);
    // The copy owns its config: editing it leaves the original alone.
    expect(added[0]?.data).not.toBe(original?.data);
  });

  it("places a paste with its top-left corner at the pointer", () => {
    const graph = demo();
    const clip = copySelection(graph, new Set(["queue", "agents"]));
    if (!clip) throw new Error("nothing copied");
    const { graph: next } = pasteClipboard(graph, clip, {
      newId: sequentialIds(),
      at: { x: 0, y: 0 },
    });
    const pasted = next.nodes.slice(graph.nodes.length).map((n) => n.position);
    expect(Math.min(...pasted.map((p) => p.x))).toBe(0);
    expect(Math.min(...pasted.map((p) => p.y))).toBe(0);
  });

  it("never pastes a second start, nor the edges that came with it", () => {
    const graph = demo();
    const result = duplicateSelection(graph, new Set(["start", "hours"]), {
      newId: sequentialIds(),
    });
    expect(result?.skippedTypes).toEqual(["start"]);
    expect(result?.pasted).toEqual(["timeCondition-1"]);
    expect(result?.graph.nodes.filter((n) => n.type === "start")).toHaveLength(1);
    expect(result?.graph.edges).toHaveLength(graph.edges.length + 0);
  });

  it("copies notes too, and survives the system clipboard as text", () => {
    const graph: FlowDraft = {
      ...demo(),
      notes: [{ id: "n", position: { x: 1, y: 2 }, text: "Ask Ann" }],
    };
    const clip = copySelection(graph, new Set(["n", "queue"]));
    if (!clip) throw new Error("nothing copied");
    expect(parseClipboard(serializeClipboard(clip))).toEqual(clip);
    expect(parseClipboard("hello")).toBeNull();
    expect(parseClipboard('{"kind":"other"}')).toBeNull();
    const { graph: next, pasted } = pasteClipboard(graph, clip, { newId: sequentialIds() });
    expect(pasted).toEqual(["queue-1", "note-2"]);
    expect(next.notes?.map((n) => n.text)).toEqual(["Ask Ann", "Ask Ann"]);
  });
});

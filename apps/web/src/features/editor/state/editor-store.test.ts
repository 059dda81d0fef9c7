import { createDemoFlow, type FlowDraft } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { sequentialIds } from "../model/test-ids";
import { createEditorStore } from "./editor-store";

const start: FlowDraft = {
  schemaVersion: 1,
  nodes: [{ id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7000"] } }],
  edges: [],
};

const open = (graph: FlowDraft = start) =>
  createEditorStore({ graph, revision: 1, newId: sequentialIds() });

describe("the editor store", () => {
  it("adds, connects, configures and deletes as undoable steps, shown on the canvas", () => {
    const store = open();
    const s = store.getState;
    const queue = s().addNode("queue", { x: 300, y: 0 }) as string;
    expect(s().nodes.map((n) => n.id)).toEqual(["start", queue]);
    expect(s().selection).toEqual([queue]);
    s().connect({ source: "start", sourceHandle: "next", target: queue, targetHandle: null });
    expect(s().edges).toHaveLength(1);
    s().setConfig(queue, { queueId: "sales" }, `config:${queue}:queueId`);
    expect(s().problems.byNode.get(queue)?.severity).not.toBe("error");
    s().deleteSelection();
    expect(s().nodes.map((n) => n.id)).toEqual(["start"]);
    expect(s().edges).toEqual([]);

    s().undo();
    expect(s().nodes.map((n) => n.id)).toEqual(["start", queue]);
    expect(s().edges).toHaveLength(1);
    s().undo();
    expect(s().nodes.find((n) => n.id === queue)?.data).toEqual({ queueId: "" });
    s().undo();
    expect(s().edges).toEqual([]);
    s().redo();
    s().redo();
    s().redo();
    expect(s().nodes.map((n) => n.id)).toEqual(["start"]);
    expect(s().save.status).toBe("dirty");
  });

  it("refuses a connection core refuses, keeping the reason to show", () => {
    const store = open();
    const a = store.getState().addNode("announce", { x: 300, y: 0 }) as string;
    expect(
      store.getState().isValidConnection({
        source: a,
        sourceHandle: "next",
        target: "start",
        targetHandle: null,
      }),
    ).toBe(false);
    expect(store.getState().refusal).toContain("is where calls enter");
    store.getState().clearRefusal();
    expect(store.getState().refusal).toBeNull();
  });

  it("makes a drag one step at the drop, and runs of arrow-key nudges one step", () => {
    const store = open(createDemoFlow() as FlowDraft);
    const s = store.getState;
    s().onNodesChange([
      { id: "queue", type: "position", position: { x: 10, y: 10 }, dragging: true },
    ]);
    s().onNodesChange([
      { id: "queue", type: "position", position: { x: 20, y: 20 }, dragging: true },
    ]);
    expect(s().canUndo()).toBe(false);
    s().onNodesChange([
      { id: "queue", type: "position", position: { x: 32, y: 32 }, dragging: false },
    ]);
    expect(s().history.present.nodes.find((n) => n.id === "queue")?.position).toEqual({
      x: 32,
      y: 32,
    });
    for (const x of [48, 64, 80]) {
      s().onNodesChange([
        { id: "queue", type: "position", position: { x, y: 32 }, dragging: false },
      ]);
    }
    s().undo();
    expect(s().nodes.find((n) => n.id === "queue")?.position).toEqual({ x: 32, y: 32 });
    s().undo();
    expect(s().canUndo()).toBe(false);
  });

  it("copies, pastes and duplicates the selection under new ids", () => {
    const store = open(createDemoFlow() as FlowDraft);
    const s = store.getState;
    s().select(["queue", "agents"]);
    const clip = s().copySelection();
    expect(clip?.edges).toHaveLength(1);
    const pasted = s().paste(clip as NonNullable<typeof clip>, { x: 0, y: 800 });
    expect(pasted).toHaveLength(2);
    expect(s().selection).toEqual(pasted);
    const twice = s().duplicateSelection();
    expect(twice).toHaveLength(2);
    expect(s().nodes).toHaveLength(createDemoFlow().nodes.length + 4);
  });

  it("changes nothing in view mode", () => {
    const store = createEditorStore({ graph: start, revision: 1, mode: "view" });
    expect(store.getState().addNode("queue", { x: 0, y: 0 })).toBeNull();
    store
      .getState()
      .onNodesChange([
        { id: "start", type: "position", position: { x: 9, y: 9 }, dragging: false },
      ]);
    expect(store.getState().canUndo()).toBe(false);
  });

  it("reloads another draft without an undo step, taking its revision", () => {
    const store = open();
    store.getState().addNode("hangup", { x: 100, y: 0 });
    store.getState().replaceGraph(createDemoFlow() as FlowDraft, { revision: 7 });
    expect(store.getState().canUndo()).toBe(false);
    expect(store.getState().save).toMatchObject({ status: "saved", revision: 7 });
  });
});

import { type FlowDraft, validateFlow } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import {
  addElements,
  connect,
  moveElements,
  removeElements,
  setNodeConfig,
  updateNote,
} from "./flow-edits";
import { createHistory, recordStep, redoStep, undoStep } from "./history";
import { createFlowNode } from "./new-node";
import { sequentialIds } from "./test-ids";

const empty: FlowDraft = {
  schemaVersion: 1,
  nodes: [{ id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7000"] } }],
  edges: [],
};

function must<T extends { ok: boolean }>(result: T): Extract<T, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result)}`);
  return result as Extract<T, { ok: true }>;
}

describe("flow edits", () => {
  it("draws start → queue → ring group → bridge with voicemail on noAnswer", () => {
    const newId = sequentialIds();
    const queue = createFlowNode("queue", { x: 300, y: 0 }, newId);
    const ring = createFlowNode("ringGroup", { x: 600, y: 0 }, newId);
    const bridge = createFlowNode("bridge", { x: 900, y: 0 }, newId);
    const mail = createFlowNode("voicemail", { x: 900, y: 200 }, newId);
    let g = addElements(empty, { nodes: [queue, ring, bridge, mail] });
    for (const [source, sourceHandle, target] of [
      ["start", "next", queue.id],
      [queue.id, "acquired", ring.id],
      [queue.id, "timeout", mail.id],
      [ring.id, "answered", bridge.id],
      [ring.id, "noAnswer", mail.id],
      [bridge.id, "failed", mail.id],
    ] as const) {
      g = must(connect(g, { source, sourceHandle, target }, { newId })).graph;
    }
    g = setNodeConfig(g, queue.id, { ...queue.data, queueId: "support" });
    g = setNodeConfig(g, ring.id, {
      ...ring.data,
      targets: { kind: "destinations", destinations: ["user/1001"] },
    });
    g = setNodeConfig(g, mail.id, { mailbox: "7000" });
    expect(validateFlow(g).filter((p) => p.severity === "error")).toEqual([]);
  });

  it("refuses an edge core's rules refuse, with the reason, and changes nothing", () => {
    const newId = sequentialIds();
    const a = createFlowNode("announce", { x: 0, y: 0 }, newId);
    const g = addElements(empty, { nodes: [a] });
    const result = connect(g, { source: a.id, sourceHandle: "next", target: "start" }, { newId });
    expect(result).toMatchObject({ ok: false, refusal: { code: "edgeIntoStart" } });
  });

  it("moves an edge to a new target, keeping its id", () => {
    const newId = sequentialIds();
    const [h1, h2] = [
      createFlowNode("hangup", { x: 0, y: 0 }, newId),
      createFlowNode("hangup", { x: 0, y: 0 }, newId),
    ];
    let g = addElements(empty, { nodes: [h1, h2] });
    const first = must(
      connect(g, { source: "start", sourceHandle: "next", target: h1.id }, { newId }),
    );
    g = must(
      connect(
        first.graph,
        { source: "start", sourceHandle: "next", target: h2.id },
        { newId, replacing: first.edgeId },
      ),
    ).graph;
    expect(g.edges).toEqual([
      { id: first.edgeId, source: "start", sourceHandle: "next", target: h2.id },
    ]);
  });

  it("removes a node with its edges, and leaves a flow alone when nothing matches", () => {
    const newId = sequentialIds();
    const h = createFlowNode("hangup", { x: 0, y: 0 }, newId);
    const g = must(
      connect(
        addElements(empty, { nodes: [h] }),
        { source: "start", sourceHandle: "next", target: h.id },
        { newId },
      ),
    ).graph;
    expect(removeElements(g, new Set([h.id]))).toEqual(empty);
    expect(removeElements(g, new Set(["nothing"]))).toBe(g);
  });

  it("are each undone and redone by the history: node, edge, config, move and note steps", () => {
    const newId = sequentialIds();
    const q = createFlowNode("queue", { x: 300, y: 0 }, newId);
    const steps: FlowDraft[] = [empty];
    const push = (g: FlowDraft) => steps.push(g);
    push(addElements(empty, { nodes: [q] }));
    push(
      must(
        connect(
          steps.at(-1) as FlowDraft,
          { source: "start", sourceHandle: "next", target: q.id },
          { newId },
        ),
      ).graph,
    );
    push(setNodeConfig(steps.at(-1) as FlowDraft, q.id, { ...q.data, queueId: "sales" }));
    push(moveElements(steps.at(-1) as FlowDraft, new Map([[q.id, { x: 320, y: 16 }]])));
    push(
      addElements(steps.at(-1) as FlowDraft, {
        notes: [{ id: "n", position: { x: 0, y: 0 }, text: "hi" }],
      }),
    );
    push(updateNote(steps.at(-1) as FlowDraft, "n", { text: "hello" }));
    push(removeElements(steps.at(-1) as FlowDraft, new Set([q.id])));

    let h = createHistory(empty);
    for (const g of steps.slice(1)) h = recordStep(h, g);
    for (let i = steps.length - 1; i > 0; i--) {
      expect(h.present).toBe(steps[i]);
      h = undoStep(h);
    }
    expect(h.present).toBe(empty);
    for (let i = 1; i < steps.length; i++) {
      h = redoStep(h);
      expect(h.present).toBe(steps[i]);
    }
  });
});

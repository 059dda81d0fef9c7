import { describe, expect, it } from "vitest";
import { createDemoFlow } from "./demo-flow.js";
import { diffFlows } from "./diff-flows.js";

const at = { x: 0, y: 0 };

describe("diffFlows", () => {
  it("finds nothing between a flow and itself, or a copy with defaults left out", () => {
    const demo = createDemoFlow();
    expect(diffFlows(demo, structuredClone(demo)).empty).toBe(true);
    const sparse = {
      nodes: [{ id: "q", type: "queue", position: at, data: { queueId: "support" } }],
      edges: [],
    };
    const full = {
      nodes: [
        {
          id: "q",
          type: "queue",
          position: at,
          data: { queueId: "support", maxConcurrent: 1, timeoutSeconds: 300, vipNumbers: [] },
        },
      ],
      edges: [],
    };
    expect(diffFlows(sparse, full).empty).toBe(true);
  });

  it("lists nodes added, removed and changed with the fields that changed", () => {
    const before = {
      nodes: [
        { id: "s", type: "start", position: at, data: { numbers: ["7000"] } },
        {
          id: "r",
          type: "ringGroup",
          position: at,
          data: { targets: { kind: "destinations", destinations: ["user/1"] }, mode: "parallel" },
        },
        { id: "h", type: "hangup", position: at, data: {} },
      ],
      edges: [],
    };
    const after = {
      nodes: [
        { id: "s", type: "start", position: { x: 10, y: 0 }, data: { numbers: ["7000"] } },
        {
          id: "r",
          type: "ringGroup",
          position: at,
          data: {
            targets: { kind: "destinations", destinations: ["user/1", "user/2"] },
            mode: "sequential",
          },
        },
        { id: "v", type: "voicemail", position: at, data: { mailbox: "1" } },
      ],
      edges: [],
    };
    const diff = diffFlows(before, after);
    expect(diff.nodes.added.map((n) => n.id)).toEqual(["v"]);
    expect(diff.nodes.removed.map((n) => n.id)).toEqual(["h"]);
    expect(diff.nodes.changed.map((c) => [c.after.id, c.fields])).toEqual([
      ["s", ["position"]],
      ["r", ["data.targets.destinations", "data.mode"]],
    ]);
    expect(diff.empty).toBe(false);
  });

  it("matches edges by the output they leave, so a redrawn edge is no change", () => {
    const nodes = [
      { id: "a", type: "announce", position: at, data: {} },
      { id: "b", type: "hangup", position: at, data: {} },
      { id: "c", type: "hangup", position: at, data: {} },
    ];
    const before = {
      nodes,
      edges: [
        { id: "e1", source: "a", sourceHandle: "next", target: "b" },
        { id: "e2", source: "m", sourceHandle: "1", target: "b" },
        { id: "e3", source: "m", sourceHandle: "2", target: "c" },
      ],
    };
    const after = {
      nodes,
      edges: [
        { id: "new-id", source: "a", sourceHandle: "next", target: "b" },
        { id: "e2", source: "m", sourceHandle: "1", target: "c" },
        { id: "e4", source: "m", sourceHandle: "timeout", target: "c" },
      ],
    };
    const diff = diffFlows(before, after);
    expect(diff.edges.added.map((e) => e.id)).toEqual(["e4"]);
    expect(diff.edges.removed.map((e) => e.id)).toEqual(["e3"]);
    expect(diff.edges.changed).toEqual([
      { before: before.edges[1], after: after.edges[1], fields: ["target"] },
    ]);
  });

  it("compares sticky notes by id: text, position and size", () => {
    const note = { id: "n1", position: at, text: "Ask Ann before changing" };
    const diff = diffFlows(
      { nodes: [], edges: [], notes: [note] },
      {
        nodes: [],
        edges: [],
        notes: [
          { ...note, text: "Ask Bob", width: 300 },
          { ...note, id: "n2" },
        ],
      },
    );
    expect(diff.notes.changed.map((c) => c.fields)).toEqual([["text", "size"]]);
    expect(diff.notes.added.map((n) => n.id)).toEqual(["n2"]);
  });
});

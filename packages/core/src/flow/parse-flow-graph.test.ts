import { describe, expect, expectTypeOf, it } from "vitest";
import { hasErrorCode } from "../errors.js";
import type { FlowGraph, FlowNode } from "./flow-graph.js";
import { FlowParseError, parseFlowGraph } from "./parse-flow-graph.js";

function parseError(json: unknown): FlowParseError {
  try {
    parseFlowGraph(json);
  } catch (error) {
    if (error instanceof FlowParseError) return error;
    throw error;
  }
  throw new Error("expected parseFlowGraph to throw");
}

const minimal = {
  schemaVersion: 1,
  nodes: [
    { id: "s", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7000"] } },
    { id: "q", type: "queue", position: { x: 100, y: 0 }, data: { queueId: "support" } },
    { id: "h", type: "hangup", position: { x: 200, y: 0 }, data: {} },
  ],
  edges: [
    { id: "e1", source: "s", sourceHandle: "next", target: "q" },
    { id: "e2", source: "q", sourceHandle: "acquired", target: "h" },
  ],
};

describe("parseFlowGraph", () => {
  it("reads a good flow and fills in every default", () => {
    const graph = parseFlowGraph(minimal);
    const queue = graph.nodes[1];
    expect(queue?.type).toBe("queue");
    expect(queue?.data).toEqual({
      queueId: "support",
      maxConcurrent: 1,
      timeoutSeconds: 300,
      priority: 5,
      vipNumbers: [],
      vipPriority: 0,
      holdMusic: "local_stream://moh",
      announcement: {
        kind: "speech",
        text: "You are number {position} in line. Your estimated wait is {ewt}.",
      },
      announceEverySeconds: 60,
      announceOnlyWhenChanged: true,
      maxWaiting: null,
      leaveWhenNoAgents: false,
      callbackOfferSeconds: null,
      callbackPrompt: {
        kind: "speech",
        text: "Your estimated wait is {ewt}. To be called back instead, keeping your place in line, press 1. To keep waiting, press 2.",
      },
      callbackConfirmPrompt: {
        kind: "speech",
        text: "We will call you back at {callback_number}. Press 1 to confirm, or key another number followed by the hash key.",
      },
      callbackMaxAttempts: 3,
      callbackRetrySeconds: 120,
    });
    expect(graph.nodes[2]?.data).toEqual({ cause: "NORMAL_CLEARING" });
    expect(graph.edges).toEqual(minimal.edges);
  });

  it("fills in nested defaults (a bridge connects the answered leg, a ring group rings in parallel)", () => {
    const graph = parseFlowGraph({
      schemaVersion: 1,
      nodes: [
        { id: "b", type: "bridge", position: { x: 0, y: 0 }, data: {} },
        {
          id: "r",
          type: "ringGroup",
          position: { x: 0, y: 0 },
          data: { targets: { kind: "agentGroup", agentGroupId: "sales" } },
        },
      ],
      edges: [],
    });
    expect(graph.nodes[0]?.data).toEqual({ to: { kind: "answeredLeg" } });
    expect(graph.nodes[1]?.data).toEqual({
      targets: { kind: "agentGroup", agentGroupId: "sales" },
      mode: "parallel",
      legTimeoutSeconds: 20,
      totalTimeoutSeconds: 60,
      variables: {},
    });
  });

  it("drops fields it does not know, such as React Flow's own", () => {
    const graph = parseFlowGraph({
      ...minimal,
      nodes: minimal.nodes.map((n) => ({ ...n, selected: true, measured: { width: 10 } })),
      edges: minimal.edges.map((e) => ({ ...e, targetHandle: null, animated: true })),
      viewport: { x: 0, y: 0, zoom: 1 },
    });
    expect(Object.keys(graph)).toEqual(["schemaVersion", "nodes", "edges"]);
    expect(Object.keys(graph.nodes[0] ?? {})).toEqual(["id", "type", "position", "data"]);
    expect(Object.keys(graph.edges[0] ?? {})).toEqual(["id", "source", "sourceHandle", "target"]);
  });

  it("keeps sticky notes, which flows written before them lack", () => {
    const notes = [{ id: "n1", position: { x: 5, y: 5 }, text: "VIPs skip the line", width: 240 }];
    expect(parseFlowGraph({ ...minimal, notes }).notes).toEqual(notes);
    expect(parseFlowGraph(minimal).notes).toBeUndefined();
  });

  it("types node data by node type", () => {
    const graph: FlowGraph = parseFlowGraph(minimal);
    const node = graph.nodes[1] as FlowNode;
    if (node.type === "queue") expectTypeOf(node.data.maxConcurrent).toEqualTypeOf<number>();
    if (node.type === "menu") expectTypeOf(node.data.options).items.toHaveProperty("digit");
    expect(node.type).toBe("queue");
  });

  it("refuses what is not a flow, with a typed error", () => {
    for (const json of [null, "flow", 42, [], {}]) {
      const error = parseError(json);
      expect(error.code).toBe("FLOW_INVALID");
      expect(hasErrorCode(error, "FLOW_INVALID")).toBe(true);
      expect(error.issues.length).toBeGreaterThan(0);
    }
  });

  it("refuses another schema version", () => {
    const error = parseError({ ...minimal, schemaVersion: 2 });
    expect(error.issues.map((i) => i.path)).toEqual([["schemaVersion"]]);
  });

  it("points at every bad field, with the node or edge id", () => {
    const error = parseError({
      ...minimal,
      nodes: [
        minimal.nodes[0],
        { ...minimal.nodes[1], data: { queueId: "has space", maxConcurrent: 0 } },
        { id: "x", type: "teleport", position: { x: 0, y: 0 }, data: {} },
      ],
      edges: [{ id: "e1", source: "s", target: "q" }],
    });
    expect(error.issues).toEqual([
      expect.objectContaining({ path: ["nodes", 1, "data", "queueId"], nodeId: "q" }),
      expect.objectContaining({ path: ["nodes", 1, "data", "maxConcurrent"], nodeId: "q" }),
      expect.objectContaining({
        path: ["nodes", 2, "type"],
        nodeId: "x",
        message: expect.stringContaining('Unknown node type "teleport"'),
      }),
      expect.objectContaining({ path: ["edges", 0, "sourceHandle"], edgeId: "e1" }),
    ]);
    expect(error.message).toMatch(/^invalid flow at nodes\.1\.data\.queueId: .* \(and 3 more\)$/);
  });

  it("refuses a node without a type", () => {
    const error = parseError({
      ...minimal,
      nodes: [{ id: "s", position: { x: 0, y: 0 }, data: {} }],
    });
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: ["nodes", 0, "type"],
        message: expect.stringContaining("Node type is missing"),
      }),
    ]);
  });

  it("refuses non-finite positions and empty ids", () => {
    const error = parseError({
      ...minimal,
      nodes: [{ ...minimal.nodes[0], id: "", position: { x: Number.NaN, y: 0 } }],
    });
    expect(error.issues.map((i) => i.path)).toEqual([
      ["nodes", 0, "id"],
      ["nodes", 0, "position", "x"],
    ]);
  });
});

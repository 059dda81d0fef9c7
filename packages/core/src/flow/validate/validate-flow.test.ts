import { describe, expect, it } from "vitest";
import { flowBuilder, problems } from "../../../test/flow-builder.js";
import { flowProblemCodes, isPublishable } from "./flow-problem.js";
import { validateFlow } from "./validate-flow.js";

// Valid data per type, so each test changes only what it is about.
const validData: Record<string, Record<string, unknown>> = {
  start: { numbers: ["7000"] },
  announce: { message: { kind: "speech", text: "Hello" } },
  menu: {
    prompt: { kind: "speech", text: "Press 1 or 2" },
    options: [{ digit: "1" }, { digit: "2" }],
  },
  queue: { queueId: "support" },
  bridge: { to: { kind: "dial", dialString: "user/2000" } },
  hangup: {},
};

const flow = flowBuilder(validData);

const simple = () =>
  flow(
    [
      ["s", "start"],
      ["a", "announce"],
      ["h", "hangup"],
    ],
    ["s.next->a", "a.next->h"],
  );

describe("validateFlow: the document", () => {
  it("finds nothing wrong with a sound flow", () => {
    expect(validateFlow(simple())).toEqual([]);
  });

  it("reports a document that is not a flow, and stops there", () => {
    expect(validateFlow(null)).toEqual([
      expect.objectContaining({ code: "malformedFlow", severity: "error", path: [] }),
    ]);
    expect(validateFlow({ schemaVersion: 1 }).map((p) => [p.code, p.path])).toEqual([
      ["malformedFlow", ["nodes"]],
      ["malformedFlow", ["edges"]],
    ]);
    expect(validateFlow({ ...simple(), schemaVersion: 2 })).toEqual([
      expect.objectContaining({
        code: "malformedFlow",
        path: ["schemaVersion"],
        message: expect.stringContaining("reads 1"),
      }),
    ]);
  });

  it("accepts sticky notes and reports a malformed one", () => {
    const note = { id: "n1", position: { x: 0, y: 0 }, text: "Ask Ann first" };
    expect(validateFlow({ ...simple(), notes: [note] })).toEqual([]);
    expect(
      validateFlow({ ...simple(), notes: [{ ...note, text: 7 }] }).map((p) => [p.code, p.path]),
    ).toEqual([["malformedFlow", ["notes", 0, "text"]]]);
  });

  it("refuses more nodes than a flow may have", () => {
    const huge = simple();
    huge.nodes = Array.from({ length: 501 }, (_, i) => ({
      id: `n${i}`,
      type: "hangup",
      position: { x: 0, y: 0 },
      data: {},
    }));
    expect(validateFlow(huge).map((p) => [p.code, p.path])).toEqual([["malformedFlow", ["nodes"]]]);
  });

  it("reports a malformed node with its id and the faulty field, and checks the rest", () => {
    const json = simple();
    const broken: unknown[] = [
      { id: "x", position: { x: 0, y: 0 }, data: {} },
      { id: "y", type: "hangup", data: {} },
      { id: "z", type: "hangup", position: { x: 0, y: 0 }, data: "none" },
      { type: "hangup", position: { x: 0, y: 0 }, data: {} },
      "node",
    ];
    const all = validateFlow({ ...json, nodes: [...json.nodes, ...broken] });
    expect(all.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ["malformedNode", "x", ["nodes", 3, "type"]],
      ["malformedNode", "y", ["nodes", 4, "position"]],
      ["malformedNode", "z", ["nodes", 5, "data"]],
      ["malformedNode", undefined, ["nodes", 6, "id"]],
      ["malformedNode", undefined, ["nodes", 7]],
    ]);
    expect(all[0]?.message).toMatch(/^Node x: type: /);
    expect(all[3]?.message).toMatch(/^Node #7: id: /);
  });

  it("reports a malformed edge (React Flow's null handle) with its id", () => {
    const json = simple();
    const edges = [...json.edges, { id: "e9", source: "a", sourceHandle: null, target: "h" }];
    expect(validateFlow({ ...json, edges })).toEqual([
      expect.objectContaining({
        code: "malformedEdge",
        edgeId: "e9",
        path: ["edges", 2, "sourceHandle"],
      }),
    ]);
  });

  it("ignores React Flow's own fields on nodes and edges", () => {
    const json = simple();
    const decorated = {
      ...json,
      nodes: json.nodes.map((n) => ({ ...n, selected: true, measured: { width: 1, height: 2 } })),
      edges: json.edges.map((e) => ({ ...e, targetHandle: null, type: "smoothstep" })),
    };
    expect(validateFlow(decorated)).toEqual([]);
  });
});

describe("validateFlow: ids and node types", () => {
  it("reports a duplicate node id on the later node", () => {
    const json = flow(
      [
        ["s", "start"],
        ["a", "announce"],
        ["a", "hangup"],
      ],
      ["s.next->a", "a.next->s2"],
    );
    expect(problems(json, "duplicateNodeId")).toEqual([
      expect.objectContaining({ nodeId: "a", path: ["nodes", 2, "id"], severity: "error" }),
    ]);
  });

  it("reports a duplicate edge id on the later edge", () => {
    const json = simple();
    json.edges[1] = { ...(json.edges[1] as (typeof json.edges)[number]), id: "s.next" };
    expect(problems(json, "duplicateEdgeId")).toEqual([
      expect.objectContaining({ edgeId: "s.next", path: ["edges", 1, "id"] }),
    ]);
  });

  it("needs exactly one start", () => {
    const none = flow([["a", "announce"]], []);
    expect(problems(none, "missingStart")).toEqual([
      expect.objectContaining({ severity: "error" }),
    ]);
    const two = flow(
      [
        ["s", "start"],
        ["s2", "start", { numbers: ["7001"] }],
        ["s3", "start", { numbers: ["7002"] }],
        ["h", "hangup"],
      ],
      ["s.next->h", "s2.next->h", "s3.next->h"],
    );
    expect(problems(two, "multipleStarts").map((p) => p.nodeId)).toEqual(["s2", "s3"]);
    expect(problems(simple(), "missingStart")).toEqual([]);
  });

  it("reports an unknown type without judging its edges or what follows it", () => {
    const json = flow(
      [
        ["s", "start"],
        ["t", "teleport"],
        ["h", "hangup"],
      ],
      ["s.next->t", "t.beam->h"],
    );
    expect(validateFlow(json)).toEqual([
      expect.objectContaining({
        code: "unknownNodeType",
        nodeId: "t",
        path: ["nodes", 1, "type"],
        message: expect.stringContaining('"teleport"'),
      }),
    ]);
  });

  it("maps config issues to the node and the field", () => {
    const json = flow(
      [
        ["s", "start", { numbers: ["7000", "70 01", "7000"] }],
        ["q", "queue", { queueId: "", maxConcurrent: 0 }],
        ["h", "hangup"],
      ],
      ["s.next->q", "q.acquired->h", "q.timeout->h"],
    );
    expect(problems(json, "invalidNodeConfig").map((p) => [p.nodeId, p.path])).toEqual([
      ["s", ["nodes", 0, "data", "numbers", 1]],
      ["s", ["nodes", 0, "data", "numbers", 2]],
      ["q", ["nodes", 1, "data", "queueId"]],
      ["q", ["nodes", 1, "data", "maxConcurrent"]],
    ]);
    const [, duplicate, queueId] = problems(json, "invalidNodeConfig");
    expect(duplicate?.message).toBe("Start s: numbers.2: 7000 is listed twice");
    expect(queueId?.message).toMatch(/^Queue q: queueId: /);
  });

  it("names a labelled node by its label", () => {
    const json = flow(
      [
        ["s", "start"],
        ["q", "queue", { label: "Sales line", queueId: "bad id" }],
      ],
      ["s.next->q"],
    );
    expect(problems(json, "invalidNodeConfig")[0]?.message).toMatch(/^"Sales line": queueId: /);
  });
});

describe("validateFlow: edges", () => {
  it("reports edges from or to missing nodes", () => {
    const json = simple();
    json.edges.push(
      { id: "e1", source: "ghost", sourceHandle: "next", target: "h" },
      { id: "e2", source: "a", sourceHandle: "next", target: "ghost" },
    );
    expect(problems(json, "edgeSourceMissing")).toEqual([
      expect.objectContaining({ edgeId: "e1", path: ["edges", 2, "source"] }),
    ]);
    expect(problems(json, "edgeTargetMissing")).toEqual([
      expect.objectContaining({ edgeId: "e2", path: ["edges", 3, "target"] }),
    ]);
  });

  it("reports an edge from an output the node does not have, e.g. a removed menu key", () => {
    const json = flow(
      [
        ["s", "start"],
        ["m", "menu"],
        ["h", "hangup"],
      ],
      ["s.next->m", "m.1->h", "m.2->h", "m.3->h", "m.timeout->h", "m.invalid->h"],
    );
    expect(problems(json, "unknownOutput")).toEqual([
      expect.objectContaining({
        edgeId: "m.3",
        nodeId: "m",
        path: ["edges", 3, "sourceHandle"],
        message: expect.stringContaining("1, 2, timeout, invalid"),
      }),
    ]);
  });

  it("leaves the outputs of a node with a broken config unjudged", () => {
    const json = flow(
      [
        ["s", "start"],
        ["m", "menu", { prompt: { kind: "speech", text: "" }, options: [{ digit: "1" }] }],
        ["h", "hangup"],
      ],
      ["s.next->m", "m.3->h"],
    );
    expect(validateFlow(json).map((p) => p.code)).toEqual(["invalidNodeConfig"]);
  });

  it("reports edges leaving a node that ends the call", () => {
    const json = simple();
    json.edges.push({ id: "e9", source: "h", sourceHandle: "next", target: "a" });
    expect(problems(json, "edgeFromTerminal")).toEqual([
      expect.objectContaining({ edgeId: "e9", nodeId: "h" }),
    ]);
    expect(problems(json, "unknownOutput")).toEqual([]);
  });

  it("reports edges into the start node", () => {
    const json = simple();
    json.edges[1] = { id: "back", source: "a", sourceHandle: "next", target: "s" };
    expect(problems(json, "edgeIntoStart")).toEqual([
      expect.objectContaining({ edgeId: "back", nodeId: "s", path: ["edges", 1, "target"] }),
    ]);
  });

  it("reports a second edge on one output, on the second edge", () => {
    const json = flow(
      [
        ["s", "start"],
        ["a", "announce"],
        ["h", "hangup"],
        ["h2", "hangup"],
      ],
      ["s.next->a", "a.next->h"],
    );
    json.edges.push({ id: "again", source: "a", sourceHandle: "next", target: "h2" });
    expect(problems(json, "outputConnectedTwice")).toEqual([
      expect.objectContaining({ edgeId: "again", nodeId: "a", severity: "error" }),
    ]);
    // The interpreter follows the first edge, so the second's target is unreachable.
    expect(problems(json, "unreachableNode").map((p) => p.nodeId)).toEqual(["h2"]);
  });
});

describe("problem severities", () => {
  it("are each code's fixed severity, and errors alone block publishing", () => {
    const json = flow(
      [
        ["s", "start", { numbers: [] }],
        ["a", "announce", { message: { kind: "speech", text: "Hi {nickname}" } }],
        ["t", "teleport"],
        ["x", "hangup"],
      ],
      ["s.next->a", "a.next->a", "x.next->s"],
    );
    const all = validateFlow(json);
    expect(new Set(all.map((p) => p.code)).size).toBeGreaterThan(4);
    for (const p of all) expect(p.severity).toBe(flowProblemCodes[p.code].severity);
    expect(isPublishable(all)).toBe(false);
    expect(isPublishable(all.filter((p) => p.severity === "warning"))).toBe(true);
    expect(isPublishable([])).toBe(true);
  });
});

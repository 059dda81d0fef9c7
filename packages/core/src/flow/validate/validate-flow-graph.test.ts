import { describe, expect, it } from "vitest";
import { flowBuilder, problems } from "../../../test/flow-builder.js";
import { validateFlow } from "./validate-flow.js";

// Graph-level rules: reachability, outputs, the answered leg, loops, settings.

const validData: Record<string, Record<string, unknown>> = {
  start: { numbers: ["7000"] },
  announce: { message: { kind: "speech", text: "Please hold" } },
  menu: { prompt: { kind: "speech", text: "Press 1" }, options: [{ digit: "1" }] },
  timeCondition: {},
  queue: { queueId: "support" },
  ringGroup: { targets: { kind: "destinations", destinations: ["user/1001"] } },
  bridge: {},
  dial: { to: { kind: "dial", dialString: "user/2000" } },
  voicemail: { mailbox: "7000" },
  hangup: {},
};

const flow = flowBuilder(validData);

describe("unconnected outputs", () => {
  it("warns once per output without an edge, naming it", () => {
    const json = flow(
      [
        ["s", "start"],
        ["m", "menu", { ...validData.menu, options: [{ digit: "1" }, { digit: "2" }] }],
        ["h", "hangup"],
      ],
      ["s.next->m", "m.1->h", "m.invalid->h"],
    );
    const found = problems(json, "unconnectedOutput");
    expect(found.map((p) => [p.severity, p.nodeId, p.path])).toEqual([
      ["warning", "m", ["nodes", 1]],
      ["warning", "m", ["nodes", 1]],
    ]);
    expect(found[0]?.message).toContain('"2"');
    expect(found[1]?.message).toContain('"Timeout"');
    expect(found[1]?.message).toContain("hung up");
  });

  it("asks only for the outputs a queue's settings can produce", () => {
    const json = flow(
      [
        ["s", "start"],
        ["q", "queue", { queueId: "support", timeoutSeconds: null, maxWaiting: 5 }],
        ["h", "hangup"],
      ],
      ["s.next->q", "q.acquired->h"],
    );
    expect(problems(json, "unconnectedOutput").map((p) => p.message)).toEqual([
      expect.stringContaining('"Full"'),
    ]);
  });

  it("expects nothing of terminal nodes", () => {
    const json = flow(
      [
        ["s", "start"],
        ["v", "voicemail"],
      ],
      ["s.next->v"],
    );
    expect(validateFlow(json)).toEqual([]);
  });
});

describe("reachability", () => {
  it("warns about nodes no path from the start reaches, including islands with edges", () => {
    const json = flow(
      [
        ["s", "start"],
        ["h", "hangup"],
        ["a", "announce"],
        ["b", "hangup"],
      ],
      ["s.next->h", "a.next->b"],
    );
    expect(problems(json, "unreachableNode").map((p) => [p.severity, p.nodeId])).toEqual([
      ["warning", "a"],
      ["warning", "b"],
    ]);
  });

  it("still reaches past a node whose config is being edited", () => {
    const json = flow(
      [
        ["s", "start"],
        ["q", "queue", { queueId: "" }],
        ["h", "hangup"],
      ],
      ["s.next->q", "q.acquired->h"],
    );
    expect(problems(json, "unreachableNode")).toEqual([]);
  });
});

describe("the answered leg", () => {
  const groupThen = (edges: string[], more: [string, string, Record<string, unknown>?][] = []) =>
    flow(
      [["s", "start"], ["r", "ringGroup"], ["b", "bridge"], ["h", "hangup"], ...more],
      ["s.next->r", ...edges],
    );

  it("accepts a bridge right after a ring group's answered", () => {
    expect(
      validateFlow(groupThen(["r.answered->b", "r.noAnswer->h", "b.completed->h", "b.failed->h"])),
    ).toEqual([]);
  });

  it("accepts announcements between answered and the bridge", () => {
    const json = groupThen(
      ["r.answered->a", "a.next->b", "r.noAnswer->h", "b.completed->h", "b.failed->h"],
      [["a", "announce"]],
    );
    expect(validateFlow(json)).toEqual([]);
  });

  it("refuses a bridge no ring group came before, naming the bridge and a path", () => {
    const json = flow(
      [
        ["s", "start"],
        ["b", "bridge"],
        ["h", "hangup"],
      ],
      ["s.next->b", "b.completed->h", "b.failed->h"],
    );
    expect(problems(json, "bridgeWithoutAnsweredLeg")).toEqual([
      {
        severity: "error",
        code: "bridgeWithoutAnsweredLeg",
        nodeId: "b",
        path: ["nodes", 1, "data", "to"],
        message: expect.stringContaining("Start s → Connect b"),
      },
    ]);
  });

  it("refuses a bridge that one path reaches after noAnswer", () => {
    const json = groupThen(["r.answered->b", "r.noAnswer->b", "b.completed->h", "b.failed->h"]);
    expect(problems(json, "bridgeWithoutAnsweredLeg").map((p) => p.nodeId)).toEqual(["b"]);
  });

  it("refuses a bridge whose only way in bypasses the ring group", () => {
    const json = flow(
      [
        ["s", "start"],
        ["t", "timeCondition"],
        ["r", "ringGroup"],
        ["b", "bridge"],
        ["h", "hangup"],
      ],
      [
        "s.next->t",
        "t.open->r",
        "t.closed->b",
        "r.answered->b",
        "r.noAnswer->h",
        "b.completed->h",
        "b.failed->h",
      ],
    );
    expect(problems(json, "bridgeWithoutAnsweredLeg")[0]?.message).toContain(
      "Start s → Opening hours t → Connect b",
    );
  });

  it("refuses a second bridge of a leg the first one used", () => {
    const json = groupThen(
      [
        "r.answered->b",
        "r.noAnswer->h",
        "b.completed->h",
        "b.failed->b2",
        "b2.completed->h",
        "b2.failed->h",
      ],
      [["b2", "bridge"]],
    );
    expect(problems(json, "bridgeWithoutAnsweredLeg").map((p) => p.nodeId)).toEqual(["b2"]);
  });

  it("finds a path without a leg that only exists round a loop", () => {
    // First time round the leg is there; after a failed bridge the call loops
    // back through the announcement, which also leads straight to the bridge.
    const json = groupThen(
      ["r.answered->a", "a.next->b", "r.noAnswer->h", "b.completed->h", "b.failed->a"],
      [["a", "announce"]],
    );
    expect(problems(json, "bridgeWithoutAnsweredLeg")[0]?.message).toContain(
      "Connect b → Announcement a → Connect b",
    );
  });

  it("does not ask a bridge that dials for an answered leg", () => {
    const json = flow(
      [
        ["s", "start"],
        ["d", "dial"],
        ["h", "hangup"],
      ],
      ["s.next->d", "d.completed->h", "d.failed->h"],
    );
    expect(validateFlow(json)).toEqual([]);
  });

  it("warns when an answered agent can be hung up, rung over or sent to voicemail unbridged", () => {
    const cases: [string[], [string, string, Record<string, unknown>?][], string][] = [
      [["r.answered->h", "r.noAnswer->h"], [], "Hang up h"],
      [
        ["r.answered->d", "r.noAnswer->h", "d.completed->h", "d.failed->h"],
        [["d", "dial"]],
        "Hang up h",
      ],
      [["r.answered->v", "r.noAnswer->h"], [["v", "voicemail"]], "Voicemail v"],
      [
        [
          "r.answered->r2",
          "r.noAnswer->h",
          "r2.answered->b",
          "r2.noAnswer->h",
          "b.completed->h",
          "b.failed->h",
        ],
        [["r2", "ringGroup"]],
        "Ring group r2",
      ],
    ];
    for (const [edges, more, reached] of cases) {
      const found = problems(groupThen(edges, more), "answeredLegNotBridged");
      expect(found).toEqual([
        expect.objectContaining({
          severity: "warning",
          nodeId: "r",
          message: expect.stringContaining(`can reach ${reached} without connecting`),
        }),
      ]);
    }
  });
});

describe("loops", () => {
  it("accepts loops through an announcement, a menu or a queue", () => {
    const viaAnnounce = flow(
      [
        ["s", "start"],
        ["t", "timeCondition"],
        ["a", "announce"],
        ["h", "hangup"],
      ],
      ["s.next->t", "t.open->h", "t.closed->a", "a.next->t"],
    );
    expect(validateFlow(viaAnnounce)).toEqual([]);
    const menuRetry = flow(
      [
        ["s", "start"],
        ["m", "menu"],
        ["h", "hangup"],
      ],
      ["s.next->m", "m.1->h", "m.timeout->m", "m.invalid->m"],
    );
    expect(validateFlow(menuRetry)).toEqual([]);
  });

  it("reports every node of a loop that never waits, with the loop", () => {
    const json = flow(
      [
        ["s", "start"],
        ["r", "ringGroup"],
        ["d", "dial"],
        ["b", "bridge"],
        ["h", "hangup"],
      ],
      [
        "s.next->r",
        "r.answered->b",
        "r.noAnswer->d",
        "d.failed->r",
        "d.completed->h",
        "b.completed->h",
        "b.failed->h",
      ],
    );
    const found = problems(json, "loopWithoutWait");
    expect(found.map((p) => [p.severity, p.nodeId, p.path])).toEqual([
      ["error", "r", ["nodes", 1]],
      ["error", "d", ["nodes", 2]],
    ]);
    expect(found[0]?.message).toContain("(Ring group r → Connect d → Ring group r)");
    expect(found[1]?.message).toContain("(Connect d → Ring group r → Connect d)");
  });

  it("reports a node that leads straight back to itself", () => {
    const json = flow(
      [
        ["s", "start"],
        ["d", "dial"],
        ["h", "hangup"],
      ],
      ["s.next->d", "d.completed->h", "d.failed->d"],
    );
    expect(problems(json, "loopWithoutWait").map((p) => p.nodeId)).toEqual(["d"]);
  });

  it("reports only the nodes on the loop, not those leading into it", () => {
    const json = flow(
      [
        ["s", "start"],
        ["t1", "timeCondition"],
        ["t2", "timeCondition"],
        ["t3", "timeCondition"],
        ["h", "hangup"],
      ],
      [
        "s.next->t1",
        "t1.open->t2",
        "t1.closed->h",
        "t2.open->t3",
        "t2.closed->h",
        "t3.open->t2",
        "t3.closed->h",
      ],
    );
    expect(problems(json, "loopWithoutWait").map((p) => p.nodeId)).toEqual(["t2", "t3"]);
  });

  it("checks loops even where the start cannot reach", () => {
    const json = flow(
      [
        ["s", "start"],
        ["h", "hangup"],
        ["t", "timeCondition"],
      ],
      ["s.next->h", "t.open->t", "t.closed->t"],
    );
    expect(problems(json, "loopWithoutWait").map((p) => p.nodeId)).toEqual(["t"]);
  });
});

describe("node settings", () => {
  it("warns about a start without numbers", () => {
    const json = flow(
      [
        ["s", "start", { numbers: [] }],
        ["h", "hangup"],
      ],
      ["s.next->h"],
    );
    expect(problems(json, "noNumbers")).toEqual([
      expect.objectContaining({
        severity: "warning",
        nodeId: "s",
        path: ["nodes", 0, "data", "numbers"],
      }),
    ]);
  });

  it("warns about placeholders that are not built in, pointing at the text", () => {
    const json = flow(
      [
        ["s", "start"],
        [
          "a",
          "announce",
          { message: { kind: "speech", text: "Hi {caller_id_name}, {postion} {{x}}" } },
        ],
        [
          "m",
          "menu",
          { ...validData.menu, invalidPrompt: { kind: "file", file: "{lang}/bad.wav" } },
        ],
        [
          "q",
          "queue",
          { queueId: "support", announcement: { kind: "speech", text: "{position} {ewt} {eta}" } },
        ],
        ["h", "hangup"],
      ],
      [
        "s.next->a",
        "a.next->m",
        "m.1->q",
        "m.timeout->h",
        "m.invalid->h",
        "q.acquired->h",
        "q.timeout->h",
      ],
    );
    expect(problems(json, "unknownPlaceholder").map((p) => [p.nodeId, p.path])).toEqual([
      ["a", ["nodes", 1, "data", "message", "text"]],
      ["m", ["nodes", 2, "data", "invalidPrompt", "file"]],
      ["q", ["nodes", 3, "data", "announcement", "text"]],
    ]);
    expect(problems(json, "unknownPlaceholder")[0]?.message).toContain("{postion}");
  });

  it("warns when VIP callers would not be served ahead", () => {
    const queue = (data: Record<string, unknown>) =>
      flow(
        [
          ["s", "start"],
          ["q", "queue", { queueId: "support", ...data }],
          ["h", "hangup"],
        ],
        ["s.next->q", "q.acquired->h", "q.timeout->h"],
      );
    expect(
      problems(
        queue({ vipNumbers: ["1001"], priority: 3, vipPriority: 3 }),
        "vipPriorityNotHigher",
      ),
    ).toEqual([
      expect.objectContaining({ nodeId: "q", path: ["nodes", 1, "data", "vipPriority"] }),
    ]);
    expect(
      problems(
        queue({ vipNumbers: ["1001"], priority: 3, vipPriority: 2 }),
        "vipPriorityNotHigher",
      ),
    ).toEqual([]);
    expect(problems(queue({ vipNumbers: [], priority: 0 }), "vipPriorityNotHigher")).toEqual([]);
  });

  it("warns when two nodes of one queue disagree on how many calls it takes", () => {
    const json = flow(
      [
        ["s", "start"],
        ["m", "menu", { ...validData.menu, options: [{ digit: "1" }, { digit: "2" }] }],
        ["q1", "queue", { queueId: "support", maxConcurrent: 2 }],
        ["q2", "queue", { queueId: "support", maxConcurrent: 3, priority: 1 }],
        ["q3", "queue", { queueId: "sales", maxConcurrent: 5 }],
        ["h", "hangup"],
      ],
      [
        "s.next->m",
        "m.1->q1",
        "m.2->q2",
        "m.timeout->q3",
        "m.invalid->h",
        "q1.acquired->h",
        "q1.timeout->h",
        "q2.acquired->h",
        "q2.timeout->h",
        "q3.acquired->h",
        "q3.timeout->h",
      ],
    );
    expect(problems(json, "inconsistentQueueSettings")).toEqual([
      expect.objectContaining({ nodeId: "q2", path: ["nodes", 3, "data", "maxConcurrent"] }),
    ]);
  });
});

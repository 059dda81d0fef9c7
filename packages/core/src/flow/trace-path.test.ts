import { describe, expect, it } from "vitest";
import { callPathFromTrace } from "./trace-path.js";

describe("callPathFromTrace", () => {
  it("reads each visit's entry, duration and output, and the outputs taken", () => {
    const path = callPathFromTrace([
      { at: 0, kind: "enter", nodeId: "start" },
      { at: 0, kind: "output", nodeId: "start", output: "next" },
      { at: 10, kind: "enter", nodeId: "queue" },
      { at: 20, kind: "note", nodeId: "queue" },
      { at: 45_010, kind: "output", nodeId: "queue", output: "acquired" },
      { at: 45_010, kind: "enter", nodeId: "agents" },
      { at: 57_010, kind: "output", nodeId: "agents", output: "noAnswer" },
      { at: 57_020, kind: "enter", nodeId: "queue" },
      { at: 60_000, kind: "output", nodeId: "queue", output: "timeout" },
      { at: 60_000, kind: "enter", nodeId: "mailbox" },
      { at: 90_000, kind: "note", nodeId: null },
    ]);
    expect(path.visits).toEqual([
      { nodeId: "start", visit: 1, enteredAt: 0, leftAt: 0, durationMs: 0, output: "next" },
      {
        nodeId: "queue",
        visit: 1,
        enteredAt: 10,
        leftAt: 45_010,
        durationMs: 45_000,
        output: "acquired",
      },
      {
        nodeId: "agents",
        visit: 1,
        enteredAt: 45_010,
        leftAt: 57_010,
        durationMs: 12_000,
        output: "noAnswer",
      },
      {
        nodeId: "queue",
        visit: 2,
        enteredAt: 57_020,
        leftAt: 60_000,
        durationMs: 2980,
        output: "timeout",
      },
      // Voicemail ends the call: the visit lasts until the trace ends.
      {
        nodeId: "mailbox",
        visit: 1,
        enteredAt: 60_000,
        leftAt: 90_000,
        durationMs: 30_000,
        output: null,
      },
    ]);
    expect(path.outputsTaken.map((o) => `${o.source}.${o.sourceHandle}`)).toEqual([
      "start.next",
      "queue.acquired",
      "agents.noAnswer",
      "queue.timeout",
    ]);
    expect(path.endedAt).toBe(90_000);
  });

  it("closes a visit the caller hung up in at the next step, and reads an empty trace", () => {
    const path = callPathFromTrace([
      { at: 0, kind: "enter", nodeId: "q" },
      { at: 5000, kind: "note", nodeId: "q" },
    ]);
    expect(path.visits).toEqual([
      { nodeId: "q", visit: 1, enteredAt: 0, leftAt: 5000, durationMs: 5000, output: null },
    ]);
    expect(callPathFromTrace([])).toEqual({ visits: [], outputsTaken: [], endedAt: null });
  });
});

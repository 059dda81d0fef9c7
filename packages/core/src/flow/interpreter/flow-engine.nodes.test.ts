import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest, traceLines } from "../../../test/flow-harness.js";
import { CallControlError } from "../../call-control/errors.js";

describe("FlowEngine.run: start, announce, timeCondition, hangup", () => {
  it("speaks an announcement with its placeholders filled, then hangs up as the node says", async () => {
    const { clock, start, t0 } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        hello: {
          type: "announce",
          data: {
            message: {
              kind: "speech",
              text: "Hello {caller_id_name} on {caller_id_number}, you dialled {destination_number} about {ticket}{position}.",
              voice: "kal",
            },
          },
        },
        bye: { type: "hangup", data: { cause: "NORMAL_CLEARING" } },
      },
      [
        ["start", "next", "hello"],
        ["hello", "next", "bye"],
      ],
    );
    const { call, report, traced } = start(flow, {
      callerIdName: "Ada",
      callerIdNumber: "+442079460000",
      destinationNumber: "7000",
      variables: { ticket: "T-42" },
    });
    const result = await drive(clock, report);

    expect(call.operations.map((o) => [o.op, o.at - t0, o.args])).toEqual([
      ["answer", 0, {}],
      [
        "speak",
        0,
        {
          kind: "speech",
          text: "Hello Ada on +442079460000, you dialled 7000 about T-42.",
          voice: "kal",
        },
      ],
      ["hangup", 1000, { cause: "NORMAL_CLEARING" }],
    ]);
    expect(result).toMatchObject({
      outcome: "noAnswer",
      queueId: null,
      enqueuedAt: null,
      waitMs: null,
      agentContact: null,
      hangupCause: "NORMAL_CLEARING",
      endedAt: t0 + 1000,
    });
    expect(traceLines(result.trace)).toEqual([
      "enter start",
      "output start next",
      "enter hello",
      "note hello placeholdersMissing",
      "note hello prompt",
      "output hello next",
      "enter bye",
      "note - callEnded",
    ]);
    expect(result.trace[3]?.detail).toEqual({
      event: "placeholdersMissing",
      missing: ["position"],
    });
    // What the caller heard, written out (the editor's test calls show it).
    expect(result.trace[4]).toMatchObject({
      at: t0 + 1000,
      detail: {
        event: "prompt",
        status: "played",
        text: "Hello Ada on +442079460000, you dialled 7000 about T-42.",
      },
    });
    expect(result.trace[5]).toMatchObject({
      at: t0 + 1000,
      nodeType: "announce",
      detail: { status: "played" },
    });
    expect(traced).toEqual(result.trace);
  });

  it("plays a file announcement and carries on when the file is missing", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        missing: {
          type: "announce",
          data: { message: { kind: "file", file: "ivr/{destination_number}.wav" } },
        },
        after: { type: "announce", data: { message: { kind: "file", file: "ivr/thanks.wav" } } },
      },
      [
        ["start", "next", "missing"],
        ["missing", "next", "after"],
      ],
    );
    const { call, report } = start(flow, {
      media: (source) =>
        source.kind === "file" && source.file === "ivr/7000.wav" ? "notFound" : 500,
    });
    const result = await drive(clock, report);
    expect(call.operationsOf("play").map((o) => [o.args.file, o.result])).toEqual([
      ["ivr/7000.wav", "notFound"],
      ["ivr/thanks.wav", "played"],
    ]);
    expect(traceLines(result.trace)).toContain("note missing playbackFailed");
    // `after` has no edge on `next`: the call is hung up normally.
    expect(traceLines(result.trace).slice(-2)).toEqual(["note after noEdge", "note - callEnded"]);
    expect(call.operationsOf("hangup").map((o) => o.args.cause)).toEqual(["NORMAL_CLEARING"]);
    expect(result.outcome).toBe("noAnswer");
  });

  it("branches on opening hours at the clock's time, and rejects a closed call unanswered", async () => {
    const { clock, start } = setUpFlowTest();
    // The manual clock starts on Monday 2026-01-05 at 09:00 UTC (10:00 in Paris).
    const flow = (from: string) =>
      buildFlow(
        {
          start: { type: "start" },
          hours: {
            type: "timeCondition",
            data: {
              timeZone: "Europe/Paris",
              hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from, to: "18:00" }],
            },
          },
          open: { type: "announce", data: { message: { kind: "speech", text: "Welcome" } } },
          closed: { type: "hangup", data: { cause: "USER_BUSY" } },
        },
        [
          ["start", "next", "hours"],
          ["hours", "open", "open"],
          ["hours", "closed", "closed"],
        ],
      );
    const open = start(flow("10:00"));
    const closed = start(flow("10:01"));
    const [openReport, closedReport] = await drive(
      clock,
      Promise.all([open.report, closed.report]),
    );
    expect(traceLines(openReport.trace)).toContain("output hours open");
    expect(open.call.operationsOf("speak")).toHaveLength(1);
    expect(traceLines(closedReport.trace)).toContain("output hours closed");
    expect(closed.call.answeredAt).toBeNull();
    expect(closed.call.endedWith?.cause).toBe("USER_BUSY");
    expect(closedReport).toMatchObject({ outcome: "noAnswer", hangupCause: "USER_BUSY" });
  });

  it("hangs up with an error step after maxNodeVisits on a loop that does not wait", async () => {
    const { clock, start, engineWith } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        a: { type: "announce", data: { message: { kind: "file", file: "gone-a.wav" } } },
        b: { type: "announce", data: { message: { kind: "file", file: "gone-b.wav" } } },
      },
      [
        ["start", "next", "a"],
        ["a", "next", "b"],
        ["b", "next", "a"],
      ],
    );
    const { call, report } = start(
      flow,
      { media: () => "notFound" },
      engineWith({ maxNodeVisits: 7 }),
    );
    const result = await drive(clock, report);
    const lines = traceLines(result.trace);
    expect(lines.filter((l) => l.startsWith("enter"))).toHaveLength(7);
    expect(lines.slice(-2)).toEqual(["error a FLOW_VISIT_LIMIT", "note - callEnded"]);
    expect(result.trace.at(-2)?.detail).toMatchObject({ code: "FLOW_VISIT_LIMIT" });
    expect(call.operationsOf("hangup").map((o) => o.args.cause)).toEqual([
      "NORMAL_TEMPORARY_FAILURE",
    ]);
    expect(result.outcome).toBe("failed");
  });

  it("stops at the default cap of 200 visits", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        a: { type: "announce", data: { message: { kind: "file", file: "gone.wav" } } },
      },
      [
        ["start", "next", "a"],
        ["a", "next", "a"],
      ],
    );
    const { report } = start(flow, { media: () => "notFound" });
    const result = await drive(clock, report);
    expect(result.trace.filter((s) => s.kind === "enter")).toHaveLength(200);
    expect(result.outcome).toBe("failed");
  });

  it("sends the caller to voicemail, releases nothing it does not hold, and hangs up after", async () => {
    const { clock, start, t0 } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        vm: { type: "voicemail", data: { mailbox: "7000", domain: "example.com" } },
      },
      [["start", "next", "vm"]],
    );
    const { call, report } = start(flow, { voicemailMs: 15_000 });
    const result = await drive(clock, report);
    expect(call.operations.map((o) => [o.op, o.at - t0, o.args])).toEqual([
      ["answer", 0, {}],
      ["voicemail", 0, { mailbox: "7000", profile: "default", domain: "example.com" }],
      ["hangup", 15_000, { cause: "NORMAL_CLEARING" }],
    ]);
    expect(result).toMatchObject({ outcome: "voicemail", endedAt: t0 + 15_000 });
  });

  it("counts a caller who hangs up while leaving a message as voicemail", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = buildFlow(
      { start: { type: "start" }, vm: { type: "voicemail", data: { mailbox: "7000" } } },
      [["start", "next", "vm"]],
    );
    const { call, report } = start(flow);
    call.hangUpAfter(4000);
    const result = await drive(clock, report);
    expect(result).toMatchObject({ outcome: "voicemail", hangupCause: "NORMAL_CLEARING" });
    expect(call.operationsOf("hangup")).toEqual([]);
    expect(traceLines(result.trace)).toContain("note vm callerHungUp");
  });

  it("counts a caller who hangs up during an announcement as abandoned", async () => {
    const { clock, start, t0 } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        hello: { type: "announce", data: { message: { kind: "speech", text: "Welcome" } } },
        bye: { type: "hangup" },
      },
      [
        ["start", "next", "hello"],
        ["hello", "next", "bye"],
      ],
    );
    const { call, report } = start(flow, { media: () => 10_000 });
    call.hangUpAfter(2500, "ORIGINATOR_CANCEL");
    const result = await drive(clock, report);
    expect(result).toMatchObject({
      outcome: "abandoned",
      endedAt: t0 + 2500,
      hangupCause: "ORIGINATOR_CANCEL",
    });
    expect(call.operationsOf("speak")[0]?.result).toEqual({
      error: "caller hung up (ORIGINATOR_CANCEL)",
    });
    expect(traceLines(result.trace).slice(-2)).toEqual([
      "note hello callerHungUp",
      "note - callEnded",
    ]);
  });

  it("never rejects: a port that throws makes the call failed, and a failing hang-up is traced", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        hello: { type: "announce", data: { message: { kind: "speech", text: "Welcome" } } },
      },
      [["start", "next", "hello"]],
    );
    const { call, report } = start(flow);
    call.failNext("speak").failNext("hangup", new CallControlError("-ERR connection lost"));
    const result = await drive(clock, report);
    expect(result.outcome).toBe("failed");
    expect(traceLines(result.trace)).toEqual([
      "enter start",
      "output start next",
      "enter hello",
      "error hello CALL_CONTROL",
      "error - CALL_CONTROL",
      "note - callEnded",
    ]);
    expect(result.trace[4]?.detail).toMatchObject({
      during: "hangup",
      message: "-ERR connection lost",
    });
    // The switch never confirmed the end: the run gave up waiting after 5 s.
    expect(result.hangupCause).toBeNull();
  });

  it("reports a flow without a start node as failed", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = buildFlow({ bye: { type: "hangup" } }, []);
    const { call, report } = start(flow);
    const result = await drive(clock, report);
    expect(result.outcome).toBe("failed");
    expect(result.trace[0]?.detail).toMatchObject({ code: "FLOW_GRAPH" });
    expect(call.operationsOf("hangup").map((o) => o.args.cause)).toEqual([
      "NORMAL_TEMPORARY_FAILURE",
    ]);
  });

  it("fails the call when the queue's storage fails, and still hangs up and resolves", async () => {
    const { clock, start, queue } = setUpFlowTest();
    await queue.backend.close();
    const flow = buildFlow(
      { start: { type: "start" }, queue: { type: "queue", data: { queueId: "q" } } },
      [["start", "next", "queue"]],
    );
    const { call, report, progress } = start(flow);
    const result = await drive(clock, report);
    expect(traceLines(result.trace)).toContain("error queue QUEUE_BACKEND");
    expect(result.outcome).toBe("failed");
    expect(progress).toEqual([]);
    expect(call.endedWith?.cause).toBe("NORMAL_TEMPORARY_FAILURE");
    expect(call.operationsOf("play")[0]?.endedAt).toBe(result.endedAt);
  });

  it("reports a call whose caller was gone before the flow started as abandoned, touching nothing", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = buildFlow(
      { start: { type: "start" }, vm: { type: "voicemail", data: { mailbox: "1" } } },
      [["start", "next", "vm"]],
    );
    const { call, report } = start(flow);
    call.hangUp("ORIGINATOR_CANCEL");
    const result = await drive(clock, report);
    expect(result).toMatchObject({ outcome: "abandoned", hangupCause: "ORIGINATOR_CANCEL" });
    expect(call.operations).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { setUpFlowTest, traceLines } from "../../../test/flow-harness.js";
import { createDemoFlow } from "../demo-flow.js";

describe("FlowEngine.run: the demo flow end to end", () => {
  it("serves several callers first come, first served, never more than two at a time", async () => {
    const { clock, start, switchboard, queue, t0 } = setUpFlowTest();
    for (const agent of ["user/1001", "user/1002", "user/1003"]) {
      switchboard.script(agent, { kind: "answer", afterMs: 2000, hangupAfterMs: 60_000 });
    }
    let holding = 0;
    let mostHolding = 0;
    const acquired: string[] = [];
    queue.events.on("acquired", (e) => {
      acquired.push(e.itemId);
      holding += 1;
      mostHolding = Math.max(mostHolding, holding);
    });
    queue.events.on("released", () => {
      holding -= 1;
    });
    const flow = createDemoFlow();
    const callers = [];
    for (let i = 0; i < 6; i++) {
      callers.push(start(flow));
      await clock.advance(1000);
    }
    await clock.advance(24_000);
    callers[3]?.call.hangUp();
    const reports = await drive(clock, Promise.all(callers.map((c) => c.report)));

    expect(acquired).toEqual(["call-1", "call-2", "call-3", "call-5", "call-6"]);
    expect(mostHolding).toBe(2);
    expect(holding).toBe(0);
    expect(reports.map((r) => r.outcome)).toEqual([
      "answered",
      "answered",
      "answered",
      "abandoned",
      "answered",
      "answered",
    ]);
    expect(reports.map((r) => [r.acquiredAt && r.acquiredAt - t0, r.waitMs])).toEqual([
      [0, 0],
      [1000, 0],
      [62_000, 60_000],
      [null, 27_000],
      [63_000, 59_000],
      [124_000, 119_000],
    ]);
    expect(reports[2]).toMatchObject({
      agentContact: "user/1001",
      answeredAt: t0 + 64_000,
      endedAt: t0 + 124_000,
    });
    expect(traceLines(reports[0]?.trace ?? [])).toEqual([
      "enter start",
      "output start next",
      "enter hours",
      "output hours open",
      "enter queue",
      "note queue enqueued",
      "output queue acquired",
      "enter agents",
      "output agents answered",
      "enter connect",
      "output connect completed",
      "enter bye",
      "note - callEnded",
    ]);
    expect(switchboard.live()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it("queues a caller again after nobody answered, and sends them to voicemail after five minutes", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    for (const agent of ["user/1001", "user/1002", "user/1003"])
      switchboard.script(agent, { kind: "ring" });
    const { call, report, progress } = start(createDemoFlow(), { voicemailMs: 10_000 });
    const result = await drive(clock, report);
    const lines = traceLines(result.trace);
    // Each round: a free slot at once, 20 s of ringing, the 1 s "still busy"
    // message. The queue's 5 minutes count the whole stay, ringing included.
    expect(lines.filter((l) => l === "output agents noAnswer")).toHaveLength(15);
    expect(lines.slice(-4)).toEqual([
      "enter queue",
      "output queue timeout",
      "enter voicemail",
      "note - callEnded",
    ]);
    expect(result.trace.at(-3)).toMatchObject({ at: t0 + 315_000, detail: { stayedMs: 315_000 } });
    expect(call.operationsOf("voicemail").map((o) => o.at - t0)).toEqual([315_000]);
    expect(result).toMatchObject({ outcome: "voicemail", endedAt: t0 + 325_000, waitMs: 0 });
    expect(progress.filter((p) => p.kind === "acquired")).toHaveLength(15);
    expect(progress.filter((p) => p.kind === "released")).toHaveLength(15);
  });
});

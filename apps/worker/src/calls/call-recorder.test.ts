import { ManualClock } from "@ringflow/core/testing";
import { type CallRecord, type TraceStep, wholeCallRecord } from "@ringflow/db";
import { describe, expect, it } from "vitest";
import { CallRecorder } from "./call-recorder.js";
import type { RecordWriter } from "./record-writer.js";

/** A record writer that keeps what it is given. */
function fakeLog() {
  const saves: Array<{ record: CallRecord; steps: readonly TraceStep[] }> = [];
  const log = {
    save: async (record: CallRecord, steps: readonly TraceStep[] = []) => {
      saves.push({ record, steps });
    },
  } as unknown as RecordWriter;
  return { log, saves };
}

const base = {
  callUuid: "c1",
  numberDialled: "7000",
  callerNumber: "555",
  startedAt: new Date(0), // long ago: live updates are due at once
  workerId: "w",
};
/** `base` as a whole record with nothing else known. */
const empty = wholeCallRecord(base);

describe("CallRecorder", () => {
  it("saves the whole record known so far, merging changes that arrive together", async () => {
    const fake = fakeLog();
    const clock = new ManualClock();
    const recorder = new CallRecorder(fake.log, base, { liveUpdateMs: 0, clock });
    recorder.update({ queueId: "q" });
    recorder.update({ enqueuedAt: new Date(1) });
    await clock.advance(0);
    expect(fake.saves.map((s) => s.record)).toEqual([
      { ...empty, queueId: "q", enqueuedAt: new Date(1) },
    ]);
    await recorder.finish({ outcome: "answered", queueId: null }, [
      { at: 5, kind: "note", nodeId: null, detail: { event: "callEnded" } },
    ]);
    expect(fake.saves.at(-1)).toEqual({
      record: { ...empty, enqueuedAt: new Date(1), outcome: "answered" },
      steps: [
        { at: new Date(5), kind: "note", nodeId: null, data: { detail: { event: "callEnded" } } },
      ],
    });
  });

  it("saves progress at most once per interval, and the end at once", async () => {
    const fake = fakeLog();
    const clock = new ManualClock();
    const startedAt = new Date(clock.now());
    const recorder = new CallRecorder(
      fake.log,
      { ...base, startedAt },
      { liveUpdateMs: 200, clock },
    );
    await clock.advance(5);
    recorder.update({ queueId: "q" });
    recorder.update({ acquiredAt: new Date(2) });
    await clock.advance(194);
    expect(fake.saves).toHaveLength(0); // the first live save is due 200 ms after arrival
    await clock.advance(1);
    expect(fake.saves.map((s) => s.record)).toEqual([
      { ...empty, startedAt, queueId: "q", acquiredAt: new Date(2) },
    ]);
    recorder.update({ agentContact: "user/1001" });
    await clock.advance(199);
    expect(fake.saves).toHaveLength(1); // the next one waits its turn...
    await recorder.finish({ outcome: "answered" }, []);
    expect(fake.saves).toHaveLength(2); // ...unless the call ends: then at once
    expect(fake.saves[1]?.record).toEqual({
      ...empty,
      startedAt,
      queueId: "q",
      acquiredAt: new Date(2),
      agentContact: "user/1001",
      outcome: "answered",
    });
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(1_000);
    expect(fake.saves).toHaveLength(2); // nothing after the end
  });
});

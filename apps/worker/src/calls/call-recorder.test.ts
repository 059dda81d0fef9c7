import type { CallRecordInput, CallsRepository, TraceStep } from "@ringflow/db";
import { describe, expect, it } from "vitest";
import { CallRecorder } from "./call-recorder.js";

/** Just the two writes the recorder makes; each resolves when the test says so. */
function fakeCalls() {
  const writes: CallRecordInput[] = [];
  const traces: TraceStep[][] = [];
  const pending: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];
  const calls = {
    record: (input: CallRecordInput) => {
      writes.push(input);
      return new Promise((resolve, reject) => {
        pending.push({ resolve: () => resolve(input), reject });
      });
    },
    appendTrace: async ({ steps }: { steps: readonly TraceStep[] }) => {
      traces.push([...steps]);
      return { kept: steps.length, dropped: 0 };
    },
  } as unknown as CallsRepository;
  return { calls, writes, traces, pending };
}

const base = {
  callUuid: "c1",
  numberDialled: "7000",
  callerNumber: "555",
  startedAt: new Date(0), // long ago: live updates are due at once
  workerId: "w",
};
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("CallRecorder", () => {
  it("writes one call's changes in order, merging those that arrive during a write", async () => {
    const fake = fakeCalls();
    const recorder = new CallRecorder(fake.calls, base, () => undefined, 0);
    recorder.update({ queueId: "q" });
    recorder.update({ enqueuedAt: new Date(1) });
    recorder.update({ acquiredAt: new Date(2) });
    expect(fake.writes).toHaveLength(1);
    fake.pending.shift()?.resolve();
    await tick();
    expect(fake.writes).toHaveLength(2);
    expect(fake.writes[1]).toEqual({ ...base, enqueuedAt: new Date(1), acquiredAt: new Date(2) });
    fake.pending.shift()?.resolve();
    const finished = recorder.finish({ outcome: "answered" }, [
      { at: 5, kind: "note", nodeId: null, detail: { event: "callEnded" } },
    ]);
    await tick();
    fake.pending.shift()?.resolve();
    await finished;
    expect(fake.writes.at(-1)).toEqual({ ...base, outcome: "answered" });
    expect(fake.traces).toEqual([
      [{ at: new Date(5), kind: "note", nodeId: null, data: { detail: { event: "callEnded" } } }],
    ]);
  });

  it("writes progress at most once per interval, and the end at once", async () => {
    const fake = fakeCalls();
    const startedAt = new Date();
    const recorder = new CallRecorder(fake.calls, { ...base, startedAt }, () => undefined, 200);
    recorder.update({ queueId: "q" });
    recorder.update({ acquiredAt: new Date(2) });
    await tick();
    expect(fake.writes).toHaveLength(0); // the first live write is due 200 ms after arrival
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(fake.writes).toEqual([{ ...base, startedAt, queueId: "q", acquiredAt: new Date(2) }]);
    fake.pending.shift()?.resolve();
    recorder.update({ agentContact: "user/1001" });
    await tick();
    expect(fake.writes).toHaveLength(1); // the next one waits its turn...
    const finished = recorder.finish({ outcome: "answered" }, []);
    await tick();
    expect(fake.writes).toHaveLength(2); // ...unless the call ends: then at once
    expect(fake.writes[1]).toEqual({
      ...base,
      startedAt,
      agentContact: "user/1001",
      outcome: "answered",
    });
    fake.pending.shift()?.resolve();
    await finished;
  });

  it("reports a failed write and sends every field known with the next one", async () => {
    const fake = fakeCalls();
    const failures: string[] = [];
    const recorder = new CallRecorder(fake.calls, base, (_, what) => failures.push(what), 0);
    recorder.update({ queueId: "q" });
    fake.pending.shift()?.reject(new Error("database down"));
    await tick();
    expect(failures).toEqual(["record"]);
    const finished = recorder.finish({ outcome: "timeout" }, []);
    await tick();
    fake.pending.shift()?.resolve();
    await finished;
    expect(fake.writes.at(-1)).toEqual({ ...base, queueId: "q", outcome: "timeout" });
  });
});

import { ManualClock } from "@ringflow/core/testing";
import {
  type CallRecord,
  type CallsRepository,
  type TraceStep,
  wholeCallRecord,
} from "@ringflow/db";
import { describe, expect, it } from "vitest";
import { type RecordWriteFailure, RecordWriter } from "./record-writer.js";

type Batch = Parameters<CallsRepository["saveBatch"]>[0];

/** A saveBatch that keeps every batch and fails while `failing` is set. */
function fakeCalls() {
  const batches: Batch[] = [];
  const state = { failing: false };
  const calls = {
    saveBatch: async (batch: Batch) => {
      // Copied: the log may reuse its arrays after a failure.
      batches.push({
        records: [...batch.records],
        traces: batch.traces.map((t) => ({ callUuid: t.callUuid, steps: [...t.steps] })),
      });
      if (state.failing) throw new Error("database down");
      return { records: batch.records.length, keptSteps: 0, droppedSteps: 0 };
    },
  };
  return { calls, batches, state };
}

function record(callUuid: string, changes: Partial<CallRecord> = {}): CallRecord {
  const base = { callUuid, numberDialled: "7000", callerNumber: "555", workerId: "w" };
  return wholeCallRecord({ ...base, startedAt: new Date(0), ...changes });
}

const step = (kind: string): TraceStep => ({ at: new Date(1), kind, nodeId: null });

describe("RecordWriter", () => {
  it("writes an urgent save without waiting for the interval, with what else is pending", async () => {
    const fake = fakeCalls();
    const clock = new ManualClock();
    const log = new RecordWriter({
      calls: fake.calls,
      flushIntervalMs: 60_000,
      onFailure: () => undefined,
      clock,
    });
    const ordinary = log.save(record("a"));
    const urgent = log.save(record("b"), [], { urgent: true });
    await clock.advance(0);
    await urgent;
    await ordinary;
    expect(fake.batches.map((b) => b.records.map((r) => r.callUuid))).toEqual([["a", "b"]]);
  });

  it("writes what was saved within the interval in one batch: the latest record, every step in order", async () => {
    const fake = fakeCalls();
    const clock = new ManualClock();
    const log = new RecordWriter({
      calls: fake.calls,
      flushIntervalMs: 20,
      onFailure: () => undefined,
      clock,
    });
    let written = 0;
    const saves = [
      log.save(record("a", { queueId: "q" })),
      log.save(record("b"), [step("enter")]),
      log.save(record("a", { outcome: "answered" }), [step("enter"), step("output")]),
      log.save(record("a", { outcome: "answered" }), [step("end")]),
    ].map((save) => save.then(() => written++));
    await clock.advance(19);
    expect(fake.batches).toHaveLength(0);
    await clock.advance(1);
    await Promise.all(saves);
    expect(written).toBe(4);
    expect(fake.batches).toEqual([
      {
        records: [record("a", { outcome: "answered" }), record("b")],
        traces: [
          { callUuid: "a", steps: [step("enter"), step("output"), step("end")] },
          { callUuid: "b", steps: [step("enter")] },
        ],
      },
    ]);
    expect(log.backlog).toBe(0);
  });

  it("writes at once when maxBatchCalls calls are waiting, and one batch at a time", async () => {
    const fake = fakeCalls();
    const log = new RecordWriter({
      calls: fake.calls,
      flushIntervalMs: 60_000,
      maxBatchCalls: 3,
      onFailure: () => undefined,
      clock: new ManualClock(),
    });
    const first = ["a", "b", "c"].map((id) => log.save(record(id)));
    await Promise.all(first);
    expect(fake.batches.map((b) => b.records.map((r) => r.callUuid))).toEqual([["a", "b", "c"]]);
    const late = log.save(record("d"));
    await log.flush();
    await late;
    expect(fake.batches).toHaveLength(2);
  });

  it("reports a failed batch, tries it again ahead of newer saves, and resolves once written", async () => {
    const fake = fakeCalls();
    const failures: RecordWriteFailure[] = [];
    const clock = new ManualClock();
    const log = new RecordWriter({
      calls: fake.calls,
      flushIntervalMs: 10,
      onFailure: (failure) => failures.push(failure),
      clock,
    });
    fake.state.failing = true;
    let done = false;
    const first = log.save(record("a", { queueId: "q" }), [step("enter")]).then(() => {
      done = true;
    });
    await clock.advance(10);
    expect(fake.batches).toHaveLength(1);
    expect(failures).toMatchObject([{ calls: 1, dropped: false }]);
    expect(done).toBe(false);
    const second = log.save(record("a", { outcome: "timeout" }), [step("end")]);
    fake.state.failing = false;
    // The wait doubles after a failure.
    await clock.advance(19);
    expect(fake.batches).toHaveLength(1);
    await clock.advance(1);
    await Promise.all([first, second]);
    expect(fake.batches.at(-1)).toEqual({
      records: [record("a", { outcome: "timeout" })],
      traces: [{ callUuid: "a", steps: [step("enter"), step("end")] }],
    });
  });

  it("gives up on a batch after maxAttempts tries, saying so, and resolves its saves", async () => {
    const fake = fakeCalls();
    const failures: RecordWriteFailure[] = [];
    const clock = new ManualClock();
    const log = new RecordWriter({
      calls: fake.calls,
      flushIntervalMs: 1,
      maxAttempts: 3,
      onFailure: (failure) => failures.push(failure),
      clock,
    });
    fake.state.failing = true;
    let done = false;
    const saved = log.save(record("a"), [step("enter")]).then(() => {
      done = true;
    });
    // Tries after 1 ms, then 2 and 4 more.
    await clock.advance(1 + 2 + 3);
    expect(fake.batches).toHaveLength(2);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
    await saved;
    expect(fake.batches).toHaveLength(3);
    expect(failures.map((f) => f.dropped)).toEqual([false, false, true]);
    expect(log.backlog).toBe(0);
  });

  it("flush writes everything at once and does not retry a failure", async () => {
    const fake = fakeCalls();
    const failures: RecordWriteFailure[] = [];
    const log = new RecordWriter({
      calls: fake.calls,
      flushIntervalMs: 60_000,
      onFailure: (failure) => failures.push(failure),
      clock: new ManualClock(),
    });
    const saved = log.save(record("a"));
    fake.state.failing = true;
    await log.flush();
    await saved;
    expect(fake.batches).toHaveLength(1);
    expect(failures).toMatchObject([{ calls: 1, dropped: true }]);
  });

  it("writes a large batch as bounded transactions, letting the event loop through between them", async () => {
    const fake = fakeCalls();
    const turns: number[] = [];
    const calls = {
      saveBatch: (batch: Batch) => {
        turns.push(fake.batches.length);
        return fake.calls.saveBatch(batch);
      },
    };
    const log = new RecordWriter({
      calls,
      flushIntervalMs: 60_000,
      maxTransactionCalls: 3,
      maxTransactionSteps: 4,
      onFailure: () => undefined,
      clock: new ManualClock(),
    });
    const saves = [
      log.save(record("a")),
      log.save(record("b")),
      log.save(record("c")),
      log.save(record("d"), [step("1"), step("2"), step("3")]),
      log.save(record("e"), [step("1"), step("2")]),
      // A call's steps stay together even past the cap.
      log.save(record("f"), [step("1"), step("2"), step("3"), step("4"), step("5")]),
    ];
    // Scheduled before the write starts: it must run before the second transaction.
    let looped = -1;
    setImmediate(() => {
      looped = fake.batches.length;
    });
    await log.flush();
    await Promise.all(saves);
    expect(fake.batches.map((b) => b.records.map((r) => r.callUuid))).toEqual([
      ["a", "b", "c"],
      ["d"],
      ["e"],
      ["f"],
    ]);
    expect(fake.batches[3]?.traces[0]?.steps).toHaveLength(5);
    expect(turns).toEqual([0, 1, 2, 3]);
    expect(looped).toBe(1);
  });

  it("after a failed transaction keeps the rest of its batch, untried, for the retry", async () => {
    const fake = fakeCalls();
    const failures: RecordWriteFailure[] = [];
    let calls = 0;
    const clock = new ManualClock();
    const log = new RecordWriter({
      calls: {
        saveBatch: (batch) => {
          calls++;
          fake.state.failing = calls === 2;
          return fake.calls.saveBatch(batch);
        },
      },
      flushIntervalMs: 1,
      maxAttempts: 2,
      maxTransactionCalls: 1,
      onFailure: (failure) => failures.push(failure),
      clock,
    });
    const saves = Promise.all(["a", "b", "c"].map((id) => log.save(record(id))));
    await clock.advance(1);
    await clock.advance(2);
    await saves;
    // a; b fails (c not tried); then b and c again, one transaction each.
    expect(fake.batches.map((b) => b.records.map((r) => r.callUuid))).toEqual([
      ["a"],
      ["b"],
      ["b"],
      ["c"],
    ]);
    // Only b's try counted: with maxAttempts 2 nothing was dropped.
    expect(failures).toMatchObject([{ calls: 1, dropped: false }]);
  });
});

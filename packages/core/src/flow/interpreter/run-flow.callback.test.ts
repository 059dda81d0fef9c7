import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest, traceLines } from "../../../test/flow-harness.js";
import type { CallbackRequestInput, CallbackRequests } from "./callback-requests.js";

const ASK_NUMBER = "Press 1 for {caller_id_number}, or key a number and hash.";

/** start → queue (offering callbacks) → ring user/1001 → bridge; callback → goodbye → hang up. */
function callbackFlow(queue: Record<string, unknown> = {}) {
  return buildFlow(
    {
      start: { type: "start" },
      queue: {
        type: "queue",
        data: {
          queueId: "support",
          announceEverySeconds: null,
          callbackOfferSeconds: 60,
          callbackPrompt: {
            kind: "speech",
            text: "Your estimated wait is {ewt}. Press 1 to be called back.",
          },
          callbackNumberPrompt: { kind: "speech", text: ASK_NUMBER },
          ...queue,
        },
      },
      ring: {
        type: "ringGroup",
        data: { targets: { kind: "destinations", destinations: ["user/1001"] } },
      },
      connect: { type: "bridge" },
      goodbye: { type: "announce", data: { message: { kind: "speech", text: "Goodbye." } } },
      bye: { type: "hangup" },
    },
    [
      ["start", "next", "queue"],
      ["queue", "acquired", "ring"],
      ["ring", "answered", "connect"],
      ["connect", "completed", "bye"],
      ["queue", "callback", "goodbye"],
      ["goodbye", "next", "bye"],
    ],
  );
}

describe("runFlow: callback offer", () => {
  function world(options: { failFirst?: boolean } = {}) {
    const stored: CallbackRequestInput[] = [];
    const positions: (number | null)[] = [];
    let fail = options.failFirst ?? false;
    let hold: Promise<void> | null = null;
    const callbacks: CallbackRequests = {
      async request(input) {
        // The caller is still in line while the request is stored.
        positions.push(await test.queue.position(input.queueId, input.callUuid));
        if (hold) await hold;
        if (fail) {
          fail = false;
          throw new Error("database down");
        }
        stored.push(input);
      },
    };
    const test = setUpFlowTest({ runtime: { callbacks } });
    const holdNext = () => {
      let release = () => {};
      hold = new Promise<void>((resolve) => {
        release = resolve;
      });
      return release;
    };
    return { ...test, stored, positions, holdNext };
  }

  it("offers a callback past the threshold; 1 and 1 store it with the caller's place, and the caller leaves by 'callback'", async () => {
    const { clock, start, switchboard, stored, positions, queue, t0 } = world();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 600_000 });
    const flow = callbackFlow();
    const first = start(flow);
    await clock.advance(1000);
    const second = start(flow, { callerIdNumber: "+15550123", callerIdName: "Ada" });
    second.call.pressKeys({ digits: "1" }, { digits: "1" });
    const report = await drive(clock, second.report);

    expect(stored).toEqual([
      {
        queueId: "support",
        number: "+15550123",
        callerName: "Ada",
        callUuid: "call-2",
        requestedAt: t0 + 1000,
        priority: 5,
        maxAttempts: 3,
        retryAfterMs: 300_000,
        flowNodeId: "queue",
        flowVersionId: null,
      },
    ]);
    expect(positions).toEqual([1]);
    expect(await queue.position("support", "call-2")).toBeNull();
    const spoken = second.call.operationsOf("speak").map((o) => o.args.text);
    expect(spoken).toEqual([
      "Your estimated wait is about 3 minutes. Press 1 to be called back.",
      "Press 1 for +15550123, or key a number and hash.",
      "Goodbye.",
    ]);
    expect(traceLines(report.trace)).toEqual(
      expect.arrayContaining([
        "note queue callbackOffered",
        "note queue callbackStored",
        "output queue callback",
        "enter goodbye",
      ]),
    );
    expect(report.outcome).toBe("noAnswer");
    expect(second.progress.map((p) => p.kind)).toEqual(["enqueued", "callbackRequested"]);
    expect(second.progress[1]).toMatchObject({ number: "+15550123", queueId: "support" });
    first.call.hangUp();
    await drive(clock, first.report);
  });

  it("calls back the number the caller keys in", async () => {
    const { clock, start, stored, switchboard } = world();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000 });
    const flow = callbackFlow();
    const first = start(flow);
    const second = start(flow);
    second.call.pressKeys({ digits: "1" }, { digits: "4420794600" });
    const report = await drive(clock, second.report);
    expect(stored.map((r) => r.number)).toEqual(["4420794600"]);
    expect(traceLines(report.trace)).toContain("output queue callback");
    first.call.hangUp();
    await drive(clock, first.report);
  });

  it("keeps a caller whose request could not be stored waiting in place, and serves them", async () => {
    const { clock, start, switchboard, stored, queue, t0 } = world({ failFirst: true });
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 60_000 });
    const flow = callbackFlow();
    const first = start(flow);
    await clock.advance(1000);
    const second = start(flow);
    second.call.pressKeys({ digits: "1" }, { digits: "1" });
    await clock.advance(30_000);
    expect(stored).toEqual([]);
    expect(await queue.position("support", "call-2")).toBe(1);
    first.call.hangUp();
    const report = await drive(clock, second.report);
    expect(report.trace.find((s) => s.kind === "error")?.detail).toMatchObject({
      during: "callbackRequest",
      message: "database down",
    });
    expect(traceLines(report.trace)).toContain("output queue acquired");
    expect(report).toMatchObject({ outcome: "answered", enqueuedAt: t0 + 1000 });
    // Offered once: the music came back after the failed offer and played on.
    expect(second.call.operationsOf("speak")).toHaveLength(2);
    expect(second.call.operationsOf("play").map((o) => o.args.file)).toEqual([
      "local_stream://moh",
      "local_stream://moh",
    ]);
  });

  it("does not offer below the threshold, nor without a store for requests", async () => {
    const { clock, start, runtime } = world();
    const flow = callbackFlow({ callbackOfferSeconds: 600 });
    const first = start(flow);
    const below = start(flow);
    const noStore = start(callbackFlow(), {}, { ...runtime, callbacks: undefined } as never);
    await clock.advance(120_000);
    expect(below.call.operationsOf("speak")).toEqual([]);
    expect(noStore.call.operationsOf("speak")).toEqual([]);
    first.call.hangUp();
    below.call.hangUp();
    noStore.call.hangUp();
    await drive(clock, Promise.all([first.report, below.report, noStore.report]));
  });

  it("offers once the estimate grows past the threshold, and not again after a no", async () => {
    const { clock, start, stored, switchboard } = world();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 600_000 });
    // 3 minutes a slot, 2 slots: position 1 is 90 s, over 100 s only from position 2 on.
    const flow = callbackFlow({ maxConcurrent: 2, callbackOfferSeconds: 100 });
    const holders = [start(flow), start(flow)];
    const waiter = start(flow);
    await clock.advance(1000);
    expect(waiter.call.operationsOf("speak")).toEqual([]);
    const later = start(flow);
    later.call.pressKeys("silence");
    await clock.advance(40_000);
    expect(later.call.operationsOf("speak")).toHaveLength(1);
    await clock.advance(120_000);
    expect(later.call.operationsOf("speak")).toHaveLength(1);
    expect(waiter.call.operationsOf("speak")).toEqual([]);
    expect(stored).toEqual([]);
    for (const c of [...holders, waiter, later]) c.call.hangUp();
    await drive(clock, Promise.all([...holders, waiter, later].map((c) => c.report)));
  });

  it("stops the offer the moment a slot comes, and goes on to the agent", async () => {
    const { clock, start, switchboard, stored } = world();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 60_000 });
    const flow = callbackFlow();
    const first = start(flow);
    const second = start(flow);
    second.call.pressKeys({ digits: "1", afterMs: 4000 });
    await clock.advance(2000);
    first.call.hangUp();
    const report = await drive(clock, second.report);
    expect(stored).toEqual([]);
    expect(second.call.operationsOf("collectDigits")[0]?.result).toEqual({
      error: expect.any(String),
    });
    expect(traceLines(report.trace)).toContain("output queue acquired");
    expect(report.outcome).toBe("answered");
  });

  it("leaves by 'callback' once stored even when the slot came meanwhile, and hands the slot on", async () => {
    const { clock, start, stored, holdNext, queue, switchboard } = world();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 600_000 });
    const flow = callbackFlow();
    const first = start(flow);
    const second = start(flow);
    const third = start(flow);
    const release = holdNext();
    second.call.pressKeys({ digits: "1" }, { digits: "1" });
    third.call.pressKeys("silence");
    await clock.advance(20_000);
    first.call.hangUp();
    await drive(clock, first.report);
    // The slot went to the second caller while its request was being stored.
    expect((await queue.snapshot("support")).holders.map((h) => h.itemId)).toEqual(["call-2"]);
    release();
    const report = await drive(clock, second.report);
    expect(stored.map((r) => r.callUuid)).toEqual(["call-2"]);
    expect(traceLines(report.trace)).toContain("output queue callback");
    expect((await queue.snapshot("support")).holders.map((h) => h.itemId)).toEqual(["call-3"]);
    third.call.hangUp();
    await drive(clock, third.report);
  });
});

import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest } from "../../../test/flow-harness.js";
import type { CallbackRequestInput } from "./flow-runtime.js";

/**
 * start → queue "support" (1 slot, offers a callback past 60 s) → ring
 * user/1001 → bridge; the `callback` output thanks the caller and hangs up.
 */
function callbackFlow(queue: Record<string, unknown> = {}) {
  return buildFlow(
    {
      start: { type: "start" },
      queue: {
        type: "queue",
        data: {
          queueId: "support",
          maxConcurrent: 1,
          announceEverySeconds: 30,
          callbackOfferSeconds: 60,
          ...queue,
        },
      },
      ring: {
        type: "ringGroup",
        data: {
          targets: { kind: "destinations", destinations: ["user/1001"] },
          legTimeoutSeconds: 20,
        },
      },
      connect: { type: "bridge" },
      thanks: {
        type: "announce",
        data: { message: { kind: "speech", text: "Thank you, we will call you back." } },
      },
      bye: { type: "hangup" },
    },
    [
      ["start", "next", "queue"],
      ["queue", "acquired", "ring"],
      ["ring", "answered", "connect"],
      ["connect", "completed", "bye"],
      ["queue", "callback", "thanks"],
      ["thanks", "next", "bye"],
    ],
  );
}

/** A store of callback requests that keeps what it is given, or fails as told. */
function requestStore(fail = false) {
  const stored: CallbackRequestInput[] = [];
  return {
    stored,
    callbacks: {
      async request(input: CallbackRequestInput) {
        if (fail) throw new Error("database unavailable");
        stored.push(input);
      },
    },
  };
}

/** One caller holds the only slot (agent talks 10 minutes); the second waits behind them. */
function setUp(fail = false) {
  const store = requestStore(fail);
  const harness = setUpFlowTest({ runtime: { callbacks: store.callbacks } });
  harness.switchboard.script("user/1001", {
    kind: "answer",
    afterMs: 1000,
    hangupAfterMs: 600_000,
  });
  return { ...harness, store };
}

describe("FlowEngine.run: queue callback offer", () => {
  it("offers a callback once the estimate passes the threshold; on 1 and 1 it stores the caller's own number with their place, and the call leaves by callback", async () => {
    const { clock, start, store, queue, t0 } = setUp();
    const flow = callbackFlow();
    const holder = start(flow);
    await clock.advance(1000);
    const waiter = start(flow, { callerIdNumber: "+442079460000", callerIdName: "Ada" });
    waiter.call.pressKeys({ digits: "1", afterMs: 500 }, { digits: "1", afterMs: 500 });
    await clock.advance(45_000);
    expect(await queue.position("support", waiter.call.info.uuid)).toBeNull();

    const report = await drive(clock, waiter.report);
    expect(store.stored).toEqual([
      {
        queueId: "support",
        number: "+442079460000",
        callerName: "Ada",
        callUuid: waiter.call.info.uuid,
        requestedAt: t0 + 1000,
        priority: 5,
        maxAttempts: 3,
        retryAfterMs: 120_000,
        flowNodeId: "queue",
      },
    ]);
    expect(report.outcome).toBe("callback");
    const spoken = waiter.call.operationsOf("speak").map((o) => o.args.text);
    expect(spoken).toEqual([
      // No history: 3 minutes per slot, over the 60 s threshold at the first tick (31 s).
      "Your estimated wait is about 3 minutes. To be called back instead, keeping your place in line, press 1. To keep waiting, press 2.",
      "We will call you back at + 4 4 2 0 7 9 4 6 0 0 0 0. Press 1 to confirm, or key another number followed by the hash key.",
      "Thank you, we will call you back.",
    ]);
    expect(waiter.progress.map((p) => p.kind)).toEqual(["enqueued", "callbackRequested"]);
    holder.call.hangUp();
    await drive(clock, holder.report);
  });

  it("takes a number keyed in instead, and refuses one too short to call", async () => {
    const { clock, start, store } = setUp();
    const flow = callbackFlow();
    const holder = start(flow);
    const keyed = start(flow);
    keyed.call.pressKeys({ digits: "1" }, { digits: "07700900123" });
    const short = start(flow);
    short.call.pressKeys({ digits: "1" }, { digits: "12" });
    await clock.advance(60_000);
    expect(store.stored.map((r) => [r.callUuid, r.number])).toEqual([
      [keyed.call.info.uuid, "07700900123"],
    ]);
    expect((await drive(clock, keyed.report)).outcome).toBe("callback");
    // The one with no usable number keeps waiting, and is not asked again.
    await clock.advance(120_000);
    expect(short.call.operationsOf("collectDigits")).toHaveLength(2);
    for (const c of [holder, short]) c.call.hangUp();
    await drive(clock, Promise.all([holder.report, short.report]));
  });

  it("keeps a caller who declines (or stays silent) waiting in place, without asking again", async () => {
    const { clock, start, store, queue } = setUp();
    const flow = callbackFlow({ announceOnlyWhenChanged: false });
    const holder = start(flow);
    const declines = start(flow);
    declines.call.pressKeys({ digits: "2" });
    const silent = start(flow);
    silent.call.pressKeys("silence");
    await clock.advance(200_000);
    expect(store.stored).toEqual([]);
    expect(await queue.position("support", declines.call.info.uuid)).toBe(1);
    expect(await queue.position("support", silent.call.info.uuid)).toBe(2);
    for (const c of [declines, silent]) {
      expect(c.call.operationsOf("collectDigits")).toHaveLength(1);
      // Announcements carry on after the offer.
      expect(c.call.operationsOf("speak").length).toBeGreaterThan(2);
    }
    for (const c of [holder, declines, silent]) c.call.hangUp();
    await drive(clock, Promise.all([holder.report, declines.report, silent.report]));
  });

  it("keeps the caller in place when the request cannot be stored", async () => {
    const { clock, start, queue } = setUp(true);
    const flow = callbackFlow();
    const holder = start(flow);
    const waiter = start(flow);
    waiter.call.pressKeys({ digits: "1" }, { digits: "1" });
    await clock.advance(60_000);
    expect(await queue.position("support", waiter.call.info.uuid)).toBe(1);
    holder.call.hangUp();
    waiter.call.hangUp();
    const report = await drive(clock, waiter.report);
    expect(report.outcome).toBe("abandoned");
    expect(
      report.trace.some((s) => s.kind === "error" && s.detail?.during === "callbackRequest"),
    ).toBe(true);
    await drive(clock, holder.report);
  });

  it("stops the offer at once when the slot comes, and the caller is served", async () => {
    const { clock, start, store, switchboard, t0 } = setUp();
    // The first caller's agent leaves at 32.5 s, while the offer is being spoken.
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 31_500 });
    const flow = callbackFlow();
    const holder = start(flow);
    // The offer takes 5 s to speak.
    const waiter = start(flow, {
      media: (source) => (source.kind === "speech" ? 5000 : "endless"),
    });
    waiter.call.pressKeys({ digits: "1" });
    await clock.advance(33_000);
    const offer = waiter.call.operationsOf("speak")[0];
    expect(offer?.result).toBe("interrupted");
    expect(((offer?.endedAt ?? 0) - t0) / 1000).toBeLessThanOrEqual(32.5);
    expect(waiter.call.operationsOf("collectDigits")).toEqual([]);
    expect(waiter.progress.map((p) => p.kind)).toContain("acquired");
    expect(store.stored).toEqual([]);
    waiter.call.hangUp();
    await drive(clock, Promise.all([holder.report, waiter.report]));
  });

  it("offers nothing without a store for the requests, or under the threshold", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = callbackFlow();
    const holder = start(flow);
    const waiter = start(flow);
    await clock.advance(65_000);
    expect(waiter.call.operationsOf("collectDigits")).toEqual([]);
    const { clock: clock2, start: start2 } = setUp();
    const high = callbackFlow({ callbackOfferSeconds: 3600 });
    const holder2 = start2(high);
    const waiter2 = start2(high);
    await clock2.advance(65_000);
    expect(waiter2.call.operationsOf("collectDigits")).toEqual([]);
    for (const c of [holder, waiter]) c.call.hangUp();
    for (const c of [holder2, waiter2]) c.call.hangUp();
    await drive(clock, Promise.all([holder.report, waiter.report]));
    await drive(clock2, Promise.all([holder2.report, waiter2.report]));
  });
});

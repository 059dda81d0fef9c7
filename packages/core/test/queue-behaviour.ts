import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../src/clock.js";
import { hasErrorCode } from "../src/errors.js";
import { HOLD_TIME_SAMPLES, type QueueBackend } from "../src/queue/backend.js";
import {
  QueueAbortedError,
  QueueBackendError,
  QueueDuplicateItemError,
  QueueFullError,
  QueueTimeoutError,
} from "../src/queue/errors.js";
import { DEFAULT_HOLD_TIME_MS, Queue } from "../src/queue/queue.js";
import type { QueueEvent } from "../src/queue/queue-events.js";
import type { SlotOptions } from "../src/queue/slot-options.js";
import { ManualClock } from "../src/testing/manual-clock.js";
import { type Joining, join } from "./join-queue.js";

/** Makes an empty backend for one test. */
export type BackendFactory = (clock: Clock) => QueueBackend | Promise<QueueBackend>;

/** Joins entries one after another, each in line before the next starts. */
async function joinInOrder(
  queue: Queue,
  queueId: string,
  entries: Array<SlotOptions & { itemId: string }>,
): Promise<Map<string, Joining>> {
  const joined = new Map<string, Joining>();
  for (const options of entries) {
    const entry = join(queue, queueId, options);
    await entry.enqueued;
    joined.set(options.itemId, entry);
  }
  return joined;
}

function get<T>(map: Map<string, T>, key: string): T {
  const value = map.get(key);
  if (value === undefined) throw new Error(`no ${key}`);
  return value;
}

async function holderIds(queue: Queue, queueId: string): Promise<string[]> {
  return (await queue.snapshot(queueId)).holders.map((h) => h.itemId).sort();
}

async function waiterIds(queue: Queue, queueId: string): Promise<string[]> {
  return (await queue.snapshot(queueId)).waiters.map((w) => w.itemId);
}

/**
 * The behaviour every queue backend must show, run through the public
 * `Queue` API. Time is a `ManualClock`; the tests synchronise on events and
 * awaited operations, never on sleeps, so they hold for backends that do I/O.
 */
export function describeQueueBehaviour(label: string, createBackend: BackendFactory): void {
  describe(`Queue behaviour on ${label}`, () => {
    let clock: ManualClock;
    let backend: QueueBackend;
    let queue: Queue;
    let events: QueueEvent[];

    beforeEach(async () => {
      clock = new ManualClock();
      backend = await createBackend(clock);
      queue = new Queue(backend);
      events = [];
      queue.events.onAny((event) => events.push(event));
    });

    afterEach(async () => {
      await backend.close();
    });

    it("grants a free slot at once and shows its holder in the snapshot", async () => {
      const slot = await queue.slot("sales", { itemId: "a" });
      expect(slot).toMatchObject({ queueId: "sales", itemId: "a", waitMs: 0 });
      expect(await queue.snapshot("sales")).toEqual({
        queueId: "sales",
        at: clock.now(),
        maxConcurrent: 1,
        holders: [{ itemId: "a", since: clock.now() }],
        waiters: [],
      });
      await slot.release();
      expect((await queue.snapshot("sales")).holders).toEqual([]);
    });

    it("serves waiters first in, first out", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [
        { itemId: "b" },
        { itemId: "c" },
        { itemId: "d" },
      ]);
      expect(await waiterIds(queue, "sales")).toEqual(["b", "c", "d"]);
      await a.release();
      expect(await holderIds(queue, "sales")).toEqual(["b"]);
      const b = await get(line, "b").slot;
      expect(await queue.position("sales", "c")).toBe(1);
      await b.release();
      expect(await holderIds(queue, "sales")).toEqual(["c"]);
      await (await get(line, "c").slot).release();
      expect(await holderIds(queue, "sales")).toEqual(["d"]);
      await (await get(line, "d").slot).release();
    });

    it("serves lower priority numbers first and keeps FIFO within a priority", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [
        { itemId: "n1" },
        { itemId: "low", priority: 9 },
        { itemId: "n2", priority: 5 },
        { itemId: "vip1", priority: 0 },
        { itemId: "vip2", priority: 0 },
      ]);
      const snapshot = await queue.snapshot("sales");
      expect(snapshot.waiters).toEqual([
        { itemId: "vip1", priority: 0, enqueuedAt: clock.now(), position: 1 },
        { itemId: "vip2", priority: 0, enqueuedAt: clock.now(), position: 2 },
        { itemId: "n1", priority: 5, enqueuedAt: clock.now(), position: 3 },
        { itemId: "n2", priority: 5, enqueuedAt: clock.now(), position: 4 },
        { itemId: "low", priority: 9, enqueuedAt: clock.now(), position: 5 },
      ]);
      let holding = a;
      for (const next of ["vip1", "vip2", "n1", "n2", "low"]) {
        await holding.release();
        expect(await holderIds(queue, "sales")).toEqual([next]);
        holding = await get(line, next).slot;
      }
      await holding.release();
    });

    it("puts an entry that keeps an earlier place (requestedAt) ahead of those of its priority that joined after it", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const t = clock.now();
      const line = await joinInOrder(queue, "sales", [{ itemId: "n1" }]);
      await clock.advance(1000);
      line.set("n2", get(await joinInOrder(queue, "sales", [{ itemId: "n2" }]), "n2"));
      await clock.advance(1000);
      for (const [id, entry] of await joinInOrder(queue, "sales", [
        { itemId: "n3" },
        { itemId: "vip", priority: 0 },
      ]))
        line.set(id, entry);
      await clock.advance(1000);
      // Stands in for a caller who joined at t + 500 and left for a callback.
      const callback = join(queue, "sales", { itemId: "callback", requestedAt: t + 500 });
      await callback.enqueued;
      line.set("callback", callback);
      // A place in the future is the end of the line, now.
      const late = join(queue, "sales", { itemId: "late", requestedAt: t + 60_000 });
      await late.enqueued;
      line.set("late", late);
      const snapshot = await queue.snapshot("sales");
      expect(snapshot.waiters.map((w) => [w.itemId, w.position, w.enqueuedAt - t])).toEqual([
        ["vip", 1, 2000],
        ["n1", 2, 0],
        ["callback", 3, 500],
        ["n2", 4, 1000],
        ["n3", 5, 2000],
        ["late", 6, 3000],
      ]);
      expect(await queue.position("sales", "callback")).toBe(3);
      let holding = a;
      for (const next of ["vip", "n1", "callback", "n2", "n3", "late"]) {
        await holding.release();
        expect(await holderIds(queue, "sales")).toEqual([next]);
        holding = await get(line, next).slot;
      }
      await holding.release();
    });

    it("keeps a place exactly among a burst of arrivals in the same millisecond", async () => {
      const holder = await queue.slot("sales", { itemId: "holder" });
      const burstAt = clock.now();
      const line = await joinInOrder(queue, "sales", [
        { itemId: "a" },
        { itemId: "b" },
        { itemId: "c" },
      ]);
      await clock.advance(1);
      line.set("d", get(await joinInOrder(queue, "sales", [{ itemId: "d" }]), "d"));
      // Joined when a, b and c did: behind them (first come, first served), ahead of d.
      for (const [itemId, requestedAt, position] of [
        ["same", burstAt, 4],
        ["earlier", burstAt - 1, 1],
        ["alsoSame", burstAt, 6],
      ] as const) {
        const entry = join(queue, "sales", { itemId, requestedAt });
        expect((await entry.enqueued).position).toBe(position);
        line.set(itemId, entry);
      }
      const order = ["earlier", "a", "b", "c", "same", "alsoSame", "d"];
      expect(await waiterIds(queue, "sales")).toEqual(order);
      let holding = holder;
      for (const next of order) {
        await holding.release();
        expect(await holderIds(queue, "sales")).toEqual([next]);
        holding = await get(line, next).slot;
      }
      await holding.release();
    });

    it("never lets more than maxConcurrent entries hold a slot", async () => {
      const ids = ["a", "b", "c", "d", "e", "f"];
      let inside = 0;
      let mostInside = 0;
      const line = await joinInOrder(
        queue,
        "support",
        ids.map((itemId) => ({ itemId, maxConcurrent: 2 })),
      );
      const snapshot = await queue.snapshot("support");
      expect(snapshot.holders.map((h) => h.itemId)).toEqual(["a", "b"]);
      expect(snapshot.waiters.map((w) => w.itemId)).toEqual(["c", "d", "e", "f"]);
      const work = ids.map(async (id) => {
        const slot = await get(line, id).slot;
        inside++;
        mostInside = Math.max(mostInside, inside);
        expect((await queue.snapshot("support")).holders.length).toBeLessThanOrEqual(2);
        inside--;
        await slot.release();
      });
      await Promise.all(work);
      expect(mostInside).toBe(2);
      expect(await queue.snapshot("support")).toMatchObject({ holders: [], waiters: [] });
    });

    it("lets nobody overtake the head, not even a newcomer arriving as a slot frees", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [{ itemId: "b" }, { itemId: "c" }]);
      const releasing = a.release();
      const d = join(queue, "sales", { itemId: "d", priority: 5 });
      await Promise.all([releasing, d.enqueued]);
      expect(await holderIds(queue, "sales")).toEqual(["b"]);
      expect(await waiterIds(queue, "sales")).toEqual(["c", "d"]);
      await (await get(line, "b").slot).release();
      expect(await holderIds(queue, "sales")).toEqual(["c"]);
      await (await get(line, "c").slot).release();
      await (await d.slot).release();
    });

    it("times out an entry waiting for the head and one waiting for a slot; the rest move on", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [
        { itemId: "head", timeoutMs: 2000 },
        { itemId: "second", timeoutMs: 1000 },
        { itemId: "patient" },
      ]);
      await clock.advance(999);
      expect(await waiterIds(queue, "sales")).toEqual(["head", "second", "patient"]);
      await clock.advance(1);
      const second = await get(line, "second").slot.catch((error: unknown) => error);
      expect(second).toBeInstanceOf(QueueTimeoutError);
      expect(second).toMatchObject({ code: "QUEUE_TIMEOUT", queueId: "sales", waitedMs: 1000 });
      expect(await waiterIds(queue, "sales")).toEqual(["head", "patient"]);
      await clock.advance(1000);
      await expect(get(line, "head").slot).rejects.toMatchObject({
        code: "QUEUE_TIMEOUT",
        itemId: "head",
        waitedMs: 2000,
      });
      expect(await queue.position("sales", "patient")).toBe(1);
      await a.release();
      const patient = await get(line, "patient").slot;
      expect(patient.waitMs).toBe(2000);
      await patient.release();
      expect(events.filter((e) => e.type === "timeout")).toEqual([
        expect.objectContaining({ itemId: "second", waitMs: 1000, at: clock.now() - 1000 }),
        expect.objectContaining({ itemId: "head", waitMs: 2000, at: clock.now() }),
      ]);
    });

    it("keeps a slot granted before the timeout, and fires no timeout later", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [{ itemId: "b", timeoutMs: 1000 }]);
      await clock.advance(500);
      await a.release();
      const b = await get(line, "b").slot;
      await clock.advance(5000);
      expect(await holderIds(queue, "sales")).toEqual(["b"]);
      await b.release();
      expect(events.some((e) => e.type === "timeout")).toBe(false);
    });

    it("takes an entry whose caller hung up out of the line at once", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const hangUp = new AbortController();
      const line = await joinInOrder(queue, "sales", [
        { itemId: "b", signal: hangUp.signal },
        { itemId: "c" },
      ]);
      await clock.advance(300);
      const reason = new Error("caller hung up");
      hangUp.abort(reason);
      const error = await get(line, "b").slot.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueueAbortedError);
      expect(error).toMatchObject({ code: "QUEUE_ABORTED", waitedMs: 300, cause: reason });
      expect(await waiterIds(queue, "sales")).toEqual(["c"]);
      expect(await queue.position("sales", "c")).toBe(1);
      expect(events.filter((e) => e.type === "abandoned")).toEqual([
        {
          type: "abandoned",
          queueId: "sales",
          itemId: "b",
          at: clock.now(),
          enqueuedAt: clock.now() - 300,
          waitMs: 300,
        },
      ]);
      await a.release();
      await (await get(line, "c").slot).release();
    });

    for (const order of ["release then hang up", "hang up then release"] as const) {
      it(`hands the slot to the next in line when the head hangs up as it frees (${order})`, async () => {
        const a = await queue.slot("sales", { itemId: "a" });
        const hangUp = new AbortController();
        const line = await joinInOrder(queue, "sales", [
          { itemId: "b", signal: hangUp.signal },
          { itemId: "c" },
        ]);
        let releasing: Promise<void>;
        if (order === "release then hang up") {
          releasing = a.release();
          hangUp.abort();
        } else {
          hangUp.abort();
          releasing = a.release();
        }
        await releasing;
        await expect(get(line, "b").slot).rejects.toBeInstanceOf(QueueAbortedError);
        expect(await holderIds(queue, "sales")).toEqual(["c"]);
        expect(await waiterIds(queue, "sales")).toEqual([]);
        const c = await get(line, "c").slot;
        await c.release();
        expect(await queue.snapshot("sales")).toMatchObject({ holders: [], waiters: [] });
      });
    }

    it("rejects an already aborted signal without joining the line", async () => {
      const signal = AbortSignal.abort(new Error("gone"));
      await expect(queue.slot("sales", { itemId: "a", signal })).rejects.toBeInstanceOf(
        QueueAbortedError,
      );
      expect(events).toEqual([]);
      expect(await queue.snapshot("sales")).toMatchObject({ holders: [], waiters: [] });
    });

    it("keeps the maxConcurrent of a queue's first use and ignores later values", async () => {
      const a = await queue.slot("sales", { itemId: "a", maxConcurrent: 1 });
      const line = await joinInOrder(queue, "sales", [{ itemId: "b", maxConcurrent: 3 }]);
      expect(await queue.snapshot("sales")).toMatchObject({
        maxConcurrent: 1,
        holders: [{ itemId: "a" }],
        waiters: [{ itemId: "b" }],
      });
      await a.release();
      const b = await get(line, "b").slot;
      await b.release();
      expect(await queue.snapshot("sales")).toMatchObject({
        maxConcurrent: 1,
        holders: [],
        waiters: [],
      });
    });

    it("grants the extra slots at once when configure raises the limit", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [
        { itemId: "b" },
        { itemId: "c" },
        { itemId: "d" },
      ]);
      await queue.configure("sales", { maxConcurrent: 3 });
      const [b, c] = await Promise.all([get(line, "b").slot, get(line, "c").slot]);
      expect(await queue.snapshot("sales")).toMatchObject({
        maxConcurrent: 3,
        waiters: [{ itemId: "d", position: 1 }],
      });
      expect(await holderIds(queue, "sales")).toEqual(["a", "b", "c"]);
      await Promise.all([a.release(), b.release(), c.release()]);
      await (await get(line, "d").slot).release();
    });

    it("grants nothing while paused, keeps every place, and serves in order on resume", async () => {
      const a = await queue.slot("sales", { itemId: "a", maxConcurrent: 2 });
      await queue.setPaused("sales", true);
      const line = await joinInOrder(queue, "sales", [
        { itemId: "b" },
        { itemId: "vip", priority: 0 },
        { itemId: "c" },
      ]);
      // A free slot, and a release, grant nothing while paused.
      await a.release();
      expect(await holderIds(queue, "sales")).toEqual([]);
      expect(await waiterIds(queue, "sales")).toEqual(["vip", "b", "c"]);
      expect(await queue.position("sales", "c")).toBe(3);
      await queue.setPaused("sales", false);
      const [vip, b] = await Promise.all([get(line, "vip").slot, get(line, "b").slot]);
      expect(await waiterIds(queue, "sales")).toEqual(["c"]);
      await vip.release();
      const c = await get(line, "c").slot;
      await Promise.all([b.release(), c.release()]);
    });

    it("starts a queue paused when it was paused before its first use", async () => {
      await queue.setPaused("later", true);
      const a = join(queue, "later", { itemId: "a" });
      await a.enqueued;
      expect(await waiterIds(queue, "later")).toEqual(["a"]);
      await queue.setPaused("later", false);
      await (await a.slot).release();
    });

    it("lets current holders finish when configure lowers the limit", async () => {
      const line = await joinInOrder(queue, "sales", [
        { itemId: "a", maxConcurrent: 3 },
        { itemId: "b" },
        { itemId: "c" },
      ]);
      const [a, b, c] = await Promise.all([
        get(line, "a").slot,
        get(line, "b").slot,
        get(line, "c").slot,
      ]);
      await queue.configure("sales", { maxConcurrent: 1 });
      const d = join(queue, "sales", { itemId: "d" });
      await d.enqueued;
      await a.release();
      await b.release();
      expect(await waiterIds(queue, "sales")).toEqual(["d"]);
      await c.release();
      await (await d.slot).release();
    });

    it("configure on an unused queue sets its limit", async () => {
      await queue.configure("fresh", { maxConcurrent: 2 });
      const a = await queue.slot("fresh", { itemId: "a", maxConcurrent: 1 });
      const b = await queue.slot("fresh", { itemId: "b", maxConcurrent: 1 });
      expect((await queue.snapshot("fresh")).maxConcurrent).toBe(2);
      await Promise.all([a.release(), b.release()]);
    });

    it("turns an entry away when maxWaiting are already waiting, leaving nothing behind", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [{ itemId: "b" }, { itemId: "c" }]);
      const before = events.length;
      const error = await queue
        .slot("sales", { itemId: "d", maxWaiting: 2 })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueueFullError);
      expect(hasErrorCode(error, "QUEUE_FULL")).toBe(true);
      expect(events.length).toBe(before);
      expect(await waiterIds(queue, "sales")).toEqual(["b", "c"]);
      const e = join(queue, "sales", { itemId: "e", maxWaiting: 3 });
      expect((await e.enqueued).position).toBe(3);
      await a.release();
      for (const id of ["b", "c"]) await (await get(line, id).slot).release();
      await (await e.slot).release();
    });

    it("with maxWaiting 0 takes a free slot but never waits", async () => {
      const a = await queue.slot("sales", { itemId: "a", maxWaiting: 0 });
      await expect(queue.slot("sales", { itemId: "b", maxWaiting: 0 })).rejects.toBeInstanceOf(
        QueueFullError,
      );
      expect(await queue.snapshot("sales")).toMatchObject({ waiters: [] });
      await a.release();
    });

    it("reports 1-based positions of waiters only", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const hangUp = new AbortController();
      const line = await joinInOrder(queue, "sales", [
        { itemId: "b", signal: hangUp.signal },
        { itemId: "c" },
        { itemId: "d" },
      ]);
      expect((await get(line, "d").enqueued).position).toBe(3);
      expect(await queue.position("sales", "c")).toBe(2);
      hangUp.abort();
      await get(line, "b").slot.catch(() => {});
      expect(await queue.position("sales", "c")).toBe(1);
      expect(await queue.position("sales", "d")).toBe(2);
      expect(await queue.position("sales", "a")).toBeNull();
      expect(await queue.position("sales", "nobody")).toBeNull();
      expect(await queue.position("elsewhere", "c")).toBeNull();
      await a.release();
      for (const id of ["c", "d"]) await (await get(line, id).slot).release();
    });

    it("estimates waits from the mean recent hold time × position ÷ maxConcurrent", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const first = await joinInOrder(queue, "sales", [{ itemId: "b" }, { itemId: "c" }]);
      expect(await queue.estimatedWaitMs("sales", "b")).toBe(DEFAULT_HOLD_TIME_MS);
      expect(await queue.estimatedWaitMs("sales", "c")).toBe(2 * DEFAULT_HOLD_TIME_MS);
      expect(await queue.estimatedWaitMs("sales", "a")).toBeNull();
      await clock.advance(60_000);
      await a.release();
      const b = await get(first, "b").slot;
      await clock.advance(120_000);
      await b.release();
      const c = await get(first, "c").slot;
      const next = await joinInOrder(queue, "sales", [{ itemId: "d" }, { itemId: "e" }]);
      expect(await queue.estimatedWaitMs("sales", "d")).toBe(90_000);
      expect(await queue.estimatedWaitMs("sales", "e")).toBe(180_000);
      await queue.configure("sales", { maxConcurrent: 2 });
      await get(next, "d").slot;
      const f = join(queue, "sales", { itemId: "f" });
      await f.enqueued;
      // e is 1st, f 2nd, two slots: 90 s × 2 ÷ 2.
      expect(await queue.estimatedWaitMs("sales", "f")).toBe(90_000);
      await c.release();
      const custom = new Queue(backend, { defaultHoldTimeMs: 1000 });
      const g = join(custom, "other", { itemId: "g" });
      const h = join(custom, "other", { itemId: "h" });
      await Promise.all([g.enqueued, h.enqueued]);
      expect(await custom.estimatedWaitMs("other", "h")).toBe(1000);
    });

    it(`averages only the last ${HOLD_TIME_SAMPLES} hold times`, async () => {
      const long = await queue.slot("sales");
      await clock.advance(1_000_000);
      await long.release();
      for (let i = 0; i < HOLD_TIME_SAMPLES; i++) {
        const slot = await queue.slot("sales");
        await clock.advance(60_000);
        await slot.release();
      }
      const holder = await queue.slot("sales", { itemId: "holder" });
      await join(queue, "sales", { itemId: "waiter" }).enqueued;
      expect(await queue.estimatedWaitMs("sales", "waiter")).toBe(60_000);
      await holder.release();
    });

    it("reports enqueued, acquired and released with their timings", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const enqueuedAt = clock.now();
      const line = await joinInOrder(queue, "sales", [{ itemId: "b", priority: 2 }]);
      await clock.advance(1500);
      await a.release();
      const b = await get(line, "b").slot;
      await clock.advance(700);
      await b.release();
      // Across items the order of "a released" and "b acquired" depends on the backend's I/O.
      expect(events.filter((e) => e.itemId === "a")).toEqual([
        {
          type: "enqueued",
          queueId: "sales",
          itemId: "a",
          at: enqueuedAt,
          priority: 5,
          position: null,
        },
        { type: "acquired", queueId: "sales", itemId: "a", at: enqueuedAt, enqueuedAt, waitMs: 0 },
        {
          type: "released",
          queueId: "sales",
          itemId: "a",
          at: enqueuedAt + 1500,
          acquiredAt: enqueuedAt,
          heldMs: 1500,
        },
      ]);
      expect(events.filter((e) => e.itemId === "b")).toEqual([
        {
          type: "enqueued",
          queueId: "sales",
          itemId: "b",
          at: enqueuedAt,
          priority: 2,
          position: 1,
        },
        {
          type: "acquired",
          queueId: "sales",
          itemId: "b",
          at: enqueuedAt + 1500,
          enqueuedAt,
          waitMs: 1500,
        },
        {
          type: "released",
          queueId: "sales",
          itemId: "b",
          at: enqueuedAt + 2200,
          acquiredAt: enqueuedAt + 1500,
          heldMs: 700,
        },
      ]);
    });

    it("withSlot gives the slot back when the work returns and when it throws", async () => {
      expect(await queue.withSlot("sales", { itemId: "a" }, (slot) => slot.itemId)).toBe("a");
      expect((await queue.snapshot("sales")).holders).toEqual([]);
      await expect(
        queue.withSlot("sales", { itemId: "b" }, async () => {
          throw new Error("ring group failed");
        }),
      ).rejects.toThrow("ring group failed");
      expect((await queue.snapshot("sales")).holders).toEqual([]);
    });

    it("await using gives the slot back at the end of the scope", async () => {
      {
        await using slot = await queue.slot("sales", { itemId: "a" });
        expect(await holderIds(queue, "sales")).toEqual([slot.itemId]);
      }
      expect((await queue.snapshot("sales")).holders).toEqual([]);
    });

    it("a semaphore is reusable with its own settings", async () => {
      const support = queue.semaphore("support", { maxConcurrent: 2 });
      const a = await support.acquire({ itemId: "a" });
      const b = await support.acquire({ itemId: "b" });
      const c = join(queue, "support", { itemId: "c", maxConcurrent: 2 });
      expect((await c.enqueued).position).toBe(1);
      await a.release();
      await (await c.slot).release();
      await b.release();
      expect(await support.withSlot({ itemId: "d" }, (slot) => slot.queueId)).toBe("support");
      const again = await support.acquire({ itemId: "a" });
      await again.release();
      expect(await queue.snapshot("support")).toMatchObject({ holders: [], waiters: [] });
    });

    it("release is idempotent: a second call frees nothing more", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const line = await joinInOrder(queue, "sales", [{ itemId: "b" }, { itemId: "c" }]);
      await Promise.all([a.release(), a.release()]);
      await a.release();
      expect(await holderIds(queue, "sales")).toEqual(["b"]);
      expect(await waiterIds(queue, "sales")).toEqual(["c"]);
      expect(events.filter((e) => e.type === "released")).toHaveLength(1);
      await (await get(line, "b").slot).release();
      await (await get(line, "c").slot).release();
    });

    it("refuses an item id already in the queue, and accepts it again once it left", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      await expect(queue.slot("sales", { itemId: "a" })).rejects.toBeInstanceOf(
        QueueDuplicateItemError,
      );
      const elsewhere = await queue.slot("other", { itemId: "a" });
      await a.release();
      const again = await queue.slot("sales", { itemId: "a" });
      await Promise.all([again.release(), elsewhere.release()]);
    });

    it("refuses a generated item id already chosen by a caller, and the other way round", async () => {
      const first = await queue.slot("sales", { maxConcurrent: 3 });
      // The queue generates a tag and a counter; a caller may pick the next one.
      const [tag, count] = first.itemId.split("/");
      const chosen = await queue.slot("sales", { itemId: `${tag}/${Number(count) + 1}` });
      await expect(queue.slot("sales")).rejects.toBeInstanceOf(QueueDuplicateItemError);
      await expect(queue.slot("sales", { itemId: first.itemId })).rejects.toBeInstanceOf(
        QueueDuplicateItemError,
      );
      await Promise.all([first.release(), chosen.release()]);
      const after = await queue.slot("sales");
      await after.release();
    });

    it("finds a waiting entry by the item id it generated", async () => {
      const a = await queue.slot("sales", { itemId: "a" });
      const ids: string[] = [];
      const joined = new Promise<void>((resolve) => {
        const off = queue.events.on("enqueued", (event) => {
          ids.push(event.itemId);
          if (ids.length < 2) return;
          off();
          resolve();
        });
      });
      const first = queue.slot("sales");
      const second = queue.slot("sales");
      await joined;
      const [firstId, secondId] = ids as [string, string];
      expect(await queue.position("sales", secondId)).toBe(2);
      expect(await queue.position("sales", `${firstId}0`)).toBeNull();
      expect(await queue.estimatedWaitMs("sales", firstId)).toBe(DEFAULT_HOLD_TIME_MS);
      expect(await waiterIds(queue, "sales")).toEqual([firstId, secondId]);
      await a.release();
      const slot = await first;
      expect(slot.itemId).toBe(firstId);
      expect(await queue.position("sales", firstId)).toBeNull();
      await slot.release();
      await (await second).release();
    });

    it("keeps queues independent", async () => {
      const sales = await queue.slot("sales", { itemId: "a" });
      const support = await queue.slot("support", { itemId: "b" });
      expect(await holderIds(queue, "sales")).toEqual(["a"]);
      expect(await holderIds(queue, "support")).toEqual(["b"]);
      await Promise.all([sales.release(), support.release()]);
    });

    it("rejects bad options with a RangeError before joining", async () => {
      await expect(queue.slot("sales", { priority: 1.5 })).rejects.toBeInstanceOf(RangeError);
      await expect(queue.slot("sales", { maxConcurrent: 0 })).rejects.toBeInstanceOf(RangeError);
      await expect(queue.slot("", {})).rejects.toBeInstanceOf(RangeError);
      await expect(queue.configure("sales", { maxConcurrent: -1 })).rejects.toBeInstanceOf(
        RangeError,
      );
      expect(events).toEqual([]);
    });

    it("close fails the entries still waiting with QueueBackendError", async () => {
      await queue.slot("sales", { itemId: "a" });
      const b = join(queue, "sales", { itemId: "b" });
      await b.enqueued;
      await backend.close();
      await expect(b.slot).rejects.toBeInstanceOf(QueueBackendError);
    });
  });
}

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { QueueBackend } from "../src/queue/backend.js";
import { Queue } from "../src/queue/queue.js";
import type { QueueSlot } from "../src/queue/queue-slot.js";
import { ManualClock } from "../src/testing/manual-clock.js";
import { join } from "./join-queue.js";
import type { BackendFactory } from "./queue-behaviour.js";

/**
 * How every backend places an entry that keeps an earlier place
 * (`SlotOptions.requestedAt`, a dispatcher re-joining for a stored
 * callback): among its priority's waiters by that time, with its wait
 * counted from it. Run beside `describeQueueBehaviour`.
 */
export function describeQueuePlaceBehaviour(label: string, createBackend: BackendFactory): void {
  describe(`Queue places kept on ${label}`, () => {
    let clock: ManualClock;
    let backend: QueueBackend;
    let queue: Queue;

    beforeEach(async () => {
      clock = new ManualClock();
      backend = await createBackend(clock);
      queue = new Queue(backend);
    });

    afterEach(async () => {
      await backend.close();
    });

    const waiters = async (queueId: string) =>
      (await queue.snapshot(queueId)).waiters.map((w) => [w.itemId, w.enqueuedAt]);

    /** Holds the only slot and lines up `ids`, one a second later than the other. */
    async function lineUp(queueId: string, ids: string[]) {
      const holder = await queue.slot(queueId, { itemId: "holder" });
      const joined: Record<string, number> = {};
      const slots = new Map<string, Promise<QueueSlot>>();
      for (const itemId of ids) {
        await clock.advance(1000);
        const entry = join(queue, queueId, { itemId });
        joined[itemId] = (await entry.enqueued).at;
        slots.set(itemId, entry.slot);
      }
      return { holder, joined, slots };
    }

    it("puts the entry behind those who joined before its time and ahead of later ones", async () => {
      const { holder, joined, slots } = await lineUp("sales", ["a", "b", "c"]);
      const at = (joined.a as number) + 500;
      const placed = join(queue, "sales", { itemId: "cb", requestedAt: at });
      slots.set("cb", placed.slot);
      expect(await placed.enqueued).toMatchObject({ at, position: 2 });
      expect(await waiters("sales")).toEqual([
        ["a", joined.a],
        ["cb", at],
        ["b", joined.b],
        ["c", joined.c],
      ]);
      expect(await queue.position("sales", "b")).toBe(3);
      await clock.advance(2000);
      const late = join(queue, "sales", { itemId: "late" });
      slots.set("late", late.slot);
      expect((await late.enqueued).position).toBe(5);
      // Served in that order, the kept place's wait counted from its time.
      let holding: QueueSlot = holder;
      for (const id of ["a", "cb", "b", "c", "late"]) {
        await holding.release();
        holding = await (slots.get(id) as Promise<QueueSlot>);
        expect((await queue.snapshot("sales")).holders.map((h) => h.itemId)).toEqual([id]);
      }
      const kept = await placed.slot;
      expect(kept.enqueuedAt).toBe(at);
      expect(kept.waitMs).toBe(kept.acquiredAt - at);
      await holding.release();
    });

    it("goes first when it is older than every waiter, and last when newer", async () => {
      const { holder, joined } = await lineUp("sales", ["a", "b"]);
      const first = join(queue, "sales", {
        itemId: "old",
        requestedAt: (joined.a as number) - 10_000,
      });
      expect((await first.enqueued).position).toBe(1);
      const last = join(queue, "sales", { itemId: "new", requestedAt: joined.b as number });
      // Joined at the same moment as b: behind it (first come, first served).
      expect((await last.enqueued).position).toBe(4);
      expect((await waiters("sales")).map(([id]) => id)).toEqual(["old", "a", "b", "new"]);
      await holder.release();
      expect((await queue.snapshot("sales")).holders.map((h) => h.itemId)).toEqual(["old"]);
      await (await first.slot).release();
    });

    it("places among a burst of arrivals in the same millisecond by their join time", async () => {
      const holder = await queue.slot("sales", { itemId: "holder" });
      const burstAt = clock.now();
      const slots: Promise<QueueSlot>[] = [];
      for (const itemId of ["a", "b", "c"]) {
        const entry = join(queue, "sales", { itemId });
        await entry.enqueued;
        slots.push(entry.slot);
      }
      await clock.advance(1);
      const d = join(queue, "sales", { itemId: "d" });
      await d.enqueued;
      const same = join(queue, "sales", { itemId: "same", requestedAt: burstAt });
      expect((await same.enqueued).position).toBe(4);
      const earlier = join(queue, "sales", { itemId: "earlier", requestedAt: burstAt - 1 });
      expect((await earlier.enqueued).position).toBe(1);
      const alsoSame = join(queue, "sales", { itemId: "alsoSame", requestedAt: burstAt });
      expect((await alsoSame.enqueued).position).toBe(6);
      expect((await waiters("sales")).map(([id]) => id)).toEqual([
        "earlier",
        "a",
        "b",
        "c",
        "same",
        "alsoSame",
        "d",
      ]);
      await holder.release();
      await (await earlier.slot).release();
      for (const slot of slots) await (await slot).release();
      await (await same.slot).release();
      await (await alsoSame.slot).release();
      await (await d.slot).release();
    });

    it("keeps priorities first: an old place does not pass a better priority", async () => {
      const holder = await queue.slot("sales", { itemId: "holder" });
      await clock.advance(1000);
      const vip = join(queue, "sales", { itemId: "vip", priority: 0 });
      await vip.enqueued;
      const low = join(queue, "sales", { itemId: "low", priority: 9 });
      await low.enqueued;
      const placed = join(queue, "sales", {
        itemId: "cb",
        priority: 5,
        requestedAt: clock.now() - 60_000,
      });
      expect((await placed.enqueued).position).toBe(2);
      expect((await waiters("sales")).map(([id]) => id)).toEqual(["vip", "cb", "low"]);
      await holder.release();
      await (await vip.slot).release();
      expect((await queue.snapshot("sales")).holders.map((h) => h.itemId)).toEqual(["cb"]);
      await (await placed.slot).release();
      await (await low.slot).release();
    });

    it("counts a time in the future as now, and takes a free slot at once", async () => {
      const slot = await queue.slot("support", { itemId: "cb", requestedAt: clock.now() + 60_000 });
      expect(slot.enqueuedAt).toBe(clock.now());
      expect(slot.waitMs).toBe(0);
      const behind = join(queue, "support", { itemId: "b" });
      await behind.enqueued;
      const ahead = join(queue, "support", { itemId: "c", requestedAt: clock.now() - 1 });
      expect((await ahead.enqueued).position).toBe(1);
      await slot.release();
      await (await ahead.slot).release();
      await (await behind.slot).release();
    });

    it("refuses a requestedAt that is not a finite number", async () => {
      await expect(queue.slot("sales", { requestedAt: Number.NaN })).rejects.toThrow(RangeError);
      expect(await queue.snapshot("sales")).toMatchObject({ holders: [], waiters: [] });
    });
  });
}

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Queue } from "../src/queue/queue.js";
import { ManualClock } from "../src/testing/manual-clock.js";
import type { BackendFactory } from "./queue-behaviour.js";

/**
 * What every backend must refuse, and leave behind when a call fails half
 * way: the public `Queue` API checks its input before anything reaches the
 * backend, and an entry that joined is never left in line by a failure.
 */
export function describeQueueInputChecks(label: string, createBackend: BackendFactory): void {
  describe(`Queue input checks on ${label}`, () => {
    let queue: Queue;
    let close: () => Promise<void>;

    beforeEach(async () => {
      const backend = await createBackend(new ManualClock());
      queue = new Queue(backend);
      close = () => backend.close();
    });

    afterEach(async () => {
      await close();
    });

    it("refuses an empty queue id or item id everywhere with a RangeError", async () => {
      await expect(queue.configure("", { maxConcurrent: 2 })).rejects.toBeInstanceOf(RangeError);
      await expect(queue.snapshot("")).rejects.toBeInstanceOf(RangeError);
      await expect(queue.position("", "a")).rejects.toBeInstanceOf(RangeError);
      await expect(queue.position("q", "")).rejects.toBeInstanceOf(RangeError);
      await expect(queue.estimatedWaitMs("", "a")).rejects.toBeInstanceOf(RangeError);
      await expect(queue.estimatedWaitMs("q", "")).rejects.toBeInstanceOf(RangeError);
      expect((await queue.snapshot("q")).maxConcurrent).toBeNull();
    });

    it("refuses a default hold time that is negative or not a number", async () => {
      const backend = queue.backend;
      for (const defaultHoldTimeMs of [-5, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => new Queue(backend, { defaultHoldTimeMs })).toThrow(RangeError);
      }
      expect(() => new Queue(backend, { defaultHoldTimeMs: 0 })).not.toThrow();
    });

    it("refuses a signal that is not an AbortSignal before joining", async () => {
      const notASignal = {} as AbortSignal;
      await expect(queue.slot("q", { itemId: "a", signal: notASignal })).rejects.toBeInstanceOf(
        RangeError,
      );
      expect((await queue.snapshot("q")).holders).toEqual([]);
      // Nothing was left holding the slot: the next caller gets it at once.
      const next = await queue.slot("q", { itemId: "b" });
      await next.release();
    });

    it("takes an entry out of the line when something fails after it joined", async () => {
      const held = await queue.slot("q", { itemId: "held" });
      const signal = new AbortController().signal;
      signal.addEventListener = () => {
        throw new Error("listener refused");
      };
      await expect(queue.slot("q", { itemId: "broken", signal })).rejects.toThrow(
        "listener refused",
      );
      expect((await queue.snapshot("q")).waiters).toEqual([]);
      await held.release();
      const next = await queue.slot("q", { itemId: "next" });
      expect((await queue.snapshot("q")).holders.map((h) => h.itemId)).toEqual(["next"]);
      await next.release();
    });
  });
}

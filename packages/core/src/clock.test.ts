import { describe, expect, it } from "vitest";
import { settledWithin, sleep } from "./clock.js";
import { ManualClock } from "./testing/manual-clock.js";

describe("sleep on a ManualClock", () => {
  it("resolves only once the clock has advanced far enough", async () => {
    const clock = new ManualClock();
    let done = false;
    void sleep(clock, 1000).then(() => {
      done = true;
    });
    await clock.advance(999);
    expect(done).toBe(false);
    await clock.advance(1);
    expect(done).toBe(true);
  });

  it("rejects with the abort reason and cancels its timer", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const pending = sleep(clock, 1000, controller.signal);
    controller.abort(new Error("caller hung up"));
    await expect(pending).rejects.toThrow("caller hung up");
    expect(clock.pendingTimers).toBe(0);
  });

  it("fires timers in time order, ties in creation order", async () => {
    const clock = new ManualClock();
    const fired: string[] = [];
    clock.setTimeout(() => fired.push("b"), 20);
    clock.setTimeout(() => fired.push("a"), 10);
    clock.setTimeout(() => fired.push("c"), 20);
    await clock.advance(25);
    expect(fired).toEqual(["a", "b", "c"]);
  });
});

describe("settledWithin", () => {
  it("is true once the work settles in time, either way, and cancels its timer", async () => {
    const clock = new ManualClock();
    expect(await settledWithin(clock, Promise.resolve(), 1000)).toBe(true);
    expect(await settledWithin(clock, Promise.reject(new Error("no")), 1000)).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it("is false once the time passes on the clock first", async () => {
    const clock = new ManualClock();
    let answer: boolean | undefined;
    void settledWithin(clock, new Promise(() => undefined), 1000).then((settled) => {
      answer = settled;
    });
    await clock.advance(999);
    expect(answer).toBeUndefined();
    await clock.advance(1);
    expect(answer).toBe(false);
  });
});

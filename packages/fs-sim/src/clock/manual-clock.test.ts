import { describe, expect, it } from "vitest";
import { sleepOn } from "./clock.js";
import { ManualClock } from "./manual-clock.js";

describe("ManualClock", () => {
  it("fires timers in time order as time advances, and lets chained work settle", async () => {
    const clock = new ManualClock(0);
    const seen: string[] = [];
    clock.setTimeout(() => seen.push("b"), 200);
    clock.setTimeout(() => seen.push("a"), 100);
    const t = clock.setTimeout(() => seen.push("never"), 150);
    t.cancel();
    void sleepOn(clock, 50).then(() => clock.setTimeout(() => seen.push("chained"), 10));
    await clock.advance(99);
    expect(seen).toEqual(["chained"]);
    await clock.advance(101);
    expect(seen).toEqual(["chained", "a", "b"]);
    expect(clock.now()).toBe(200);
  });

  it("sleepOn resolves false when aborted", async () => {
    const clock = new ManualClock(0);
    const ac = new AbortController();
    const p = sleepOn(clock, 1000, ac.signal);
    ac.abort();
    expect(await p).toBe(false);
  });
});

import { ManualClock } from "@ringflow/core/testing";
import { describe, expect, it } from "vitest";
import { repeatEvery } from "./repeat-every.js";

describe("repeatEvery", () => {
  it("ticks every ms until cancelled", async () => {
    const clock = new ManualClock();
    const t0 = clock.now();
    const ticks: number[] = [];
    const timer = repeatEvery(clock, 100, () => ticks.push(clock.now() - t0));
    await clock.advance(350);
    expect(ticks).toEqual([100, 200, 300]);
    timer.cancel();
    await clock.advance(1_000);
    expect(ticks).toHaveLength(3);
    expect(clock.pendingTimers).toBe(0);
  });

  it("keeps ticking when a tick throws, and stops when cancelled from inside a tick", async () => {
    const clock = new ManualClock();
    let ticks = 0;
    const timer = repeatEvery(clock, 10, () => {
      ticks++;
      if (ticks === 3) timer.cancel();
      if (ticks === 1) throw new Error("a bad tick");
    });
    await expect(clock.advance(10)).rejects.toThrow("a bad tick");
    await clock.advance(100);
    expect(ticks).toBe(3);
    expect(clock.pendingTimers).toBe(0);
  });
});

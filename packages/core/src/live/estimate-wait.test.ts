import { describe, expect, it } from "vitest";
import {
  estimateWaitMs,
  naiveWaitMs,
  spokenWaitMinutes,
  updateHandleEwma,
} from "./estimate-wait.js";

describe("estimateWaitMs", () => {
  const base = { maxConcurrent: 3, agents: null, handleMs: 60_000, heldMs: [] as number[] };

  it("serves `servers` callers per handle time, not one", () => {
    // Three free-at-once servers after their current calls of 60 s just began.
    const busy = { ...base, heldMs: [0, 0, 0] };
    expect(estimateWaitMs({ ...busy, position: 1 })).toBe(60_000);
    expect(estimateWaitMs({ ...busy, position: 3 })).toBe(60_000);
    expect(estimateWaitMs({ ...busy, position: 4 })).toBe(120_000);
    expect(naiveWaitMs(4, 60_000)).toBe(240_000);
  });

  it("counts the time current calls have already lasted", () => {
    const estimate = estimateWaitMs({ ...base, position: 1, heldMs: [50_000, 10_000, 20_000] });
    expect(estimate).toBe(15_000);
    // A call older than the average is still expected to last a quarter of it.
    expect(estimateWaitMs({ ...base, position: 1, heldMs: [90_000, 0, 0] })).toBe(15_000);
  });

  it("serves only as many at once as there are agents", () => {
    const twoSlotsOneAgent = { ...base, maxConcurrent: 2, agents: 1, heldMs: [0, 0] };
    expect(estimateWaitMs({ ...twoSlotsOneAgent, position: 2 })).toBe(120_000);
    expect(estimateWaitMs({ ...base, agents: 0, position: 1 })).toBeNull();
  });

  it("promises nothing while paused or without a handle time", () => {
    expect(estimateWaitMs({ ...base, position: 1, paused: true })).toBeNull();
    expect(estimateWaitMs({ ...base, position: 1, handleMs: 0 })).toBeNull();
  });
});

describe("updateHandleEwma", () => {
  it("is the plain mean of the first samples, then moves alpha of the way to each new one", () => {
    const first = updateHandleEwma({ ewmaMs: null, samples: 0 }, 100_000);
    expect(first).toEqual({ ewmaMs: 100_000, samples: 1 });
    expect(updateHandleEwma(first, 50_000)).toEqual({ ewmaMs: 75_000, samples: 2 });
    expect(updateHandleEwma({ ewmaMs: 100_000, samples: 40 }, 50_000, 0.2)).toEqual({
      ewmaMs: 90_000,
      samples: 41,
    });
    expect(updateHandleEwma({ ewmaMs: 100_000, samples: 100 }, 0).ewmaMs).toBeCloseTo(95_000);
  });
});

describe("spokenWaitMinutes", () => {
  it("rounds up to whole minutes, at least one", () => {
    expect(spokenWaitMinutes(1)).toBe(1);
    expect(spokenWaitMinutes(60_000)).toBe(1);
    expect(spokenWaitMinutes(60_001)).toBe(2);
    expect(spokenWaitMinutes(null)).toBeNull();
  });
});

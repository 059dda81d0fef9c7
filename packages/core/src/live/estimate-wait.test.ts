import { describe, expect, it } from "vitest";
import {
  estimateWaitMs,
  estimateWaitsMs,
  HOLD_SAMPLE_SIZE,
  MIN_HOLD_SAMPLE,
  naiveWaitMs,
  recordHoldTime,
  spokenWaitMinutes,
  updateHandleEwma,
} from "./estimate-wait.js";

const base3 = { maxConcurrent: 3, agents: null, handleMs: 60_000, heldMs: [] as number[] };

describe("estimateWaitMs", () => {
  const base = base3;

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

describe("estimateWaitMs with a sample of recent hold times", () => {
  /** Half the calls 10 s, half 120 s: the bimodal queue of `bench:ewt`. */
  const bimodal = Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? 10_000 : 120_000));
  const tenSlots = { maxConcurrent: 10, agents: null, handleMs: 65_000 };

  it("expects a call that outlived the short ones to be a long one", () => {
    // Every slot held 20 s: no 10 s call among them, so each has 100 s left.
    const input = { ...tenSlots, heldMs: Array(10).fill(20_000), recentHoldMs: bimodal };
    expect(estimateWaitMs({ ...input, position: 1 })).toBe(100_000);
    // The average alone says 45 s.
    expect(estimateWaitMs({ ...input, position: 1, recentHoldMs: [] })).toBe(45_000);
    // The caller after the ten: the first freed slot's next call, 10 s or 120 s.
    expect(estimateWaitMs({ ...input, position: 11 })).toBeGreaterThanOrEqual(110_000);
  });

  it("expects the first free slots from the calls that may still be short ones", () => {
    // Nine 30 s-old calls (long ones: 90 s left) and one 5 s old (short: 5 s left, or long).
    const heldMs = [...Array(9).fill(30_000), 5_000];
    const input = { ...tenSlots, heldMs, recentHoldMs: bimodal };
    const first = estimateWaitMs({ ...input, position: 1 }) as number;
    expect(first).toBeGreaterThanOrEqual(5_000);
    expect(first).toBeLessThanOrEqual(90_000);
    // The tenth in line waits for all ten: the 5 s-old call or its successor, then the nine.
    const tenth = estimateWaitMs({ ...input, position: 10 }) as number;
    expect(tenth).toBeGreaterThanOrEqual(90_000);
  });

  it("takes its level from the average and its spread from the sample", () => {
    // All sampled holds equal, rescaled to the 60 s average: the average's answer.
    const flat = Array(MIN_HOLD_SAMPLE).fill(30_000);
    const input = { ...base3, heldMs: [50_000, 10_000, 20_000], recentHoldMs: flat };
    expect(estimateWaitMs({ ...input, position: 1 })).toBe(10_000);
    expect(estimateWaitMs({ ...input, position: 4 })).toBe(70_000);
    // Older than every sampled hold: a quarter of the average more.
    expect(estimateWaitMs({ ...input, heldMs: [90_000, 0, 0], position: 1 })).toBe(15_000);
  });

  it("serves deeper places later, and gives the same answer every time", () => {
    const uniform = Array.from({ length: HOLD_SAMPLE_SIZE }, (_, i) => 20_000 + i * 800);
    const input = {
      ...base3,
      handleMs: 40_000,
      heldMs: [5_000, 15_000, 30_000],
      recentHoldMs: uniform,
      positions: 60,
    };
    const waits = estimateWaitsMs(input) as number[];
    expect(waits).toHaveLength(60);
    for (let p = 1; p < waits.length; p++) {
      expect(waits[p]).toBeGreaterThanOrEqual(waits[p - 1] as number);
    }
    // Deep in line, three slots free every 40 s: about 40 s per three callers.
    expect((waits[59] as number) / 800_000).toBeGreaterThan(0.9);
    expect((waits[59] as number) / 800_000).toBeLessThan(1.1);
    expect(estimateWaitsMs(input)).toEqual(waits);
    expect(estimateWaitMs({ ...input, position: 60 })).toBe(waits[59]);
  });

  it("plays out the first places, then adds the average rate per place", () => {
    const uniform = Array.from({ length: HOLD_SAMPLE_SIZE }, (_, i) => 20_000 + i * 800);
    const input = { ...base3, handleMs: 40_000, heldMs: [0, 0, 0], recentHoldMs: uniform };
    const waits = estimateWaitsMs({ ...input, positions: 300 }) as number[];
    expect(waits).toHaveLength(300);
    // Three slots, 40 s holds: each place beyond the 40 played out is 13.3 s later.
    expect((waits[299] as number) - (waits[39] as number)).toBe(Math.round((260 * 40_000) / 3));
    expect(estimateWaitsMs({ ...input, positions: 40 })).toEqual(waits.slice(0, 40));
  });

  it("ignores a sample too small to trust", () => {
    const few = Array(MIN_HOLD_SAMPLE - 1).fill(10_000);
    const input = { ...base3, heldMs: [0, 0, 0], position: 4 };
    expect(estimateWaitMs({ ...input, recentHoldMs: few })).toBe(estimateWaitMs(input));
  });
});

describe("recordHoldTime", () => {
  it("keeps the newest hold times, oldest first", () => {
    expect(recordHoldTime([1, 2], 3, 3)).toEqual([1, 2, 3]);
    expect(recordHoldTime([1, 2, 3], 4, 3)).toEqual([2, 3, 4]);
    expect(recordHoldTime([], -5)).toEqual([0]);
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

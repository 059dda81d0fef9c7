import { describe, expect, it } from "vitest";
import { backoffDelay } from "./backoff.js";

describe("backoffDelay", () => {
  const options = { initialDelayMs: 100, maxDelayMs: 1_000 };

  it("doubles the ceiling per attempt up to the cap", () => {
    const ceilings = [0, 1, 2, 3, 4, 5, 9].map((attempt) =>
      backoffDelay(attempt, options, () => 0.999_999),
    );
    expect(ceilings).toEqual([100, 200, 400, 800, 1_000, 1_000, 1_000]);
  });

  it("draws the delay from the upper half of the ceiling", () => {
    expect(backoffDelay(3, options, () => 0)).toBe(400);
    expect(backoffDelay(3, options, () => 0.5)).toBe(600);
    const spread = new Set(Array.from({ length: 50 }, () => backoffDelay(3, options)));
    for (const delay of spread) expect(delay).toBeGreaterThanOrEqual(400);
    for (const delay of spread) expect(delay).toBeLessThanOrEqual(800);
    expect(spread.size).toBeGreaterThan(1);
  });

  it("defaults to 250 ms growing twofold up to 30 s", () => {
    expect(backoffDelay(0, {}, () => 0.999_999)).toBe(250);
    expect(backoffDelay(20, {}, () => 0)).toBe(15_000);
  });
});

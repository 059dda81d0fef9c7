import { describe, expect, it } from "vitest";
import { formatClock, formatEstimate, formatPercent, toneOf, waitToneOf } from "./board-format";

const calm = {
  longestWaitMs: 0,
  serviceLevelSeconds: 20,
  serviceLevel: 0.95,
  waiting: 0,
  paused: false,
};

describe("board tiles", () => {
  it("turn amber past the threshold or under 80 %, red past twice it or under 60 %", () => {
    expect(toneOf(calm)).toBe("ok");
    expect(toneOf({ ...calm, serviceLevel: null })).toBe("idle");
    expect(toneOf({ ...calm, waiting: 1, longestWaitMs: 21_000 })).toBe("warn");
    expect(toneOf({ ...calm, waiting: 1, longestWaitMs: 41_000 })).toBe("alert");
    expect(toneOf({ ...calm, serviceLevel: 0.79 })).toBe("warn");
    expect(toneOf({ ...calm, serviceLevel: 0.59 })).toBe("alert");
    expect(toneOf({ ...calm, paused: true, waiting: 2, longestWaitMs: 1000 })).toBe("warn");
    expect(waitToneOf(20_000, 20)).toBe("ok");
    expect(waitToneOf(20_001, 20)).toBe("warn");
    expect(waitToneOf(40_001, 20)).toBe("alert");
  });

  it("show waits as a clock, estimates rounded up to minutes, shares as percent", () => {
    expect(formatClock(7_400)).toBe("0:07");
    expect(formatClock(185_000)).toBe("3:05");
    expect(formatClock(3_729_000)).toBe("1:02:09");
    expect(formatEstimate(null)).toBe("—");
    expect(formatEstimate(59_000)).toBe("< 1 min");
    expect(formatEstimate(60_001)).toBe("~2 min");
    expect(formatPercent(0.874)).toBe("87 %");
    expect(formatPercent(null)).toBe("—");
  });
});

import { FsSim, ManualClock } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import { randomSource, startDemoTraffic } from "./traffic.js";

let sim: FsSim | undefined;
afterEach(async () => {
  await sim?.stop();
});

describe("demo traffic", () => {
  it("is reproducible from its seed", () => {
    const a = randomSource(42);
    const b = randomSource(42);
    const values = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(values);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
  });

  it("places about callsPerMinute calls a minute, some from VIPs, and scripts the agents' phones", async () => {
    const clock = new ManualClock();
    sim = await FsSim.start({ port: 0, clock });
    const calls: { vip: boolean }[] = [];
    const stop = startDemoTraffic(sim, {
      number: "7999",
      callsPerMinute: 12,
      seed: 7,
      onCall: (c) => calls.push(c),
    });
    await clock.advance(30 * 60_000);
    stop();
    // A Poisson stream of 12/min over 30 min: 360 expected, well within ±20 %.
    expect(calls.length).toBeGreaterThan(290);
    expect(calls.length).toBeLessThan(430);
    expect(calls.some((c) => c.vip)).toBe(true);
    expect(sim.users.get("1001")?.behaviours.length).toBeGreaterThan(100);
  });
});

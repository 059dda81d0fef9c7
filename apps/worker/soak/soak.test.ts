import { describe, expect, it } from "vitest";
import { runSoak } from "./run-soak.js";

describe("chaos soak", () => {
  it("2,000 calls through 3 workers while workers are killed and Redis restarts: nothing lost, nothing stuck", async () => {
    const report = await runSoak({
      calls: Number(process.env.SOAK_CALLS ?? 2_000),
      log: (line) => process.stdout.write(`${line}\n`),
    });
    process.stdout.write(
      `soak: ${report.calls} calls in ${(report.durationMs / 1000).toFixed(0)} s; outcomes ${JSON.stringify(report.outcomes)}; ${report.kills.length} kills, ${report.redisRestarts} Redis restart; longest recovery ${report.longestRecoveryMs} ms; set-up p50 ${report.setupMs.p50} ms, p95 ${report.setupMs.p95} ms\n`,
    );
    expect(report.kills.length).toBeGreaterThan(0);
    expect(report.redisRestarts).toBe(1);
    expect(report.checks.filter((c) => c.problems.length > 0)).toEqual([]);
  }, 600_000);
});

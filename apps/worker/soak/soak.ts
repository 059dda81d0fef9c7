/**
 * `pnpm soak`: the chaos soak (100,000 calls unless SOAK_CALLS says
 * otherwise; SOAK_RATE new calls per second, default 20). Prints progress,
 * then the report; exits 1 unless every check held.
 */
import { runSoak } from "./run-soak.js";

const calls = Number(process.env.SOAK_CALLS ?? 100_000);
const callsPerSecond = Number(process.env.SOAK_RATE ?? 20);
if (!Number.isInteger(calls) || calls < 1 || !(callsPerSecond > 0)) {
  process.stderr.write("SOAK_CALLS must be a whole number ≥ 1 and SOAK_RATE a number > 0\n");
  process.exit(2);
}
const log = (line: string) => process.stdout.write(`${new Date().toISOString()} ${line}\n`);
const report = await runSoak({ calls, callsPerSecond, log });
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
const verdict = report.passed ? "PASSED" : "FAILED";
log(
  `soak ${verdict}: ${report.calls} calls in ${(report.durationMs / 1000).toFixed(0)} s, ${report.kills.length} kills, ${report.redisRestarts} Redis restart(s), longest recovery ${report.longestRecoveryMs} ms, set-up p50 ${report.setupMs.p50} ms p95 ${report.setupMs.p95} ms`,
);
for (const check of report.checks) {
  log(`${check.problems.length === 0 ? "ok  " : "FAIL"} ${check.name}`);
  for (const problem of check.problems) log(`     ${problem}`);
}
process.exit(report.passed ? 0 : 1);

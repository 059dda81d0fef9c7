import { HangupCauses } from "@ringflow/core";
import { ManualClock } from "@ringflow/core/testing";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { Admission, type RefusalReason } from "./admission.js";

const limits = {
  maxEventLoopDelayMs: 100,
  maxCallsInSetUp: 10,
  maxRssMb: 1_000,
  refusal: { kind: "hangup", cause: HangupCauses.NormalTemporaryFailure },
} as const;

/** An admission whose measures the test sets, sampled on a manual clock. */
function admission() {
  const clock = new ManualClock();
  const measures = { eventLoopDelayMs: 0, callsInSetUp: 0, rssMb: 100 };
  const refused: RefusalReason[] = [];
  const guard = new Admission({
    limits,
    log: createLogger({ level: "silent", workerId: "t" }),
    callsInSetUp: () => measures.callsInSetUp,
    onRefused: (reason) => refused.push(reason),
    sampleMs: 500,
    eventLoopDelayMs: () => measures.eventLoopDelayMs,
    rssMb: () => measures.rssMb,
    clock,
  });
  return { clock, measures, refused, guard };
}

describe("Admission", () => {
  it("samples every sampleMs: sheds past a limit, takes calls again under 80% of it", async () => {
    const { clock, measures, refused, guard } = admission();
    measures.eventLoopDelayMs = 150;
    await clock.advance(499);
    expect(guard.admit()).toBeUndefined(); // not sampled yet
    await clock.advance(1);
    expect(guard.pressure.eventLoopDelayMs).toBe(150);
    expect(guard.admit()).toBe("event_loop_delay");
    measures.eventLoopDelayMs = 90; // under the limit, not yet under 80% of it
    await clock.advance(500);
    expect(guard.isShedding).toBe(true);
    measures.eventLoopDelayMs = 70;
    await clock.advance(500);
    expect(guard.isShedding).toBe(false);
    expect(guard.admit()).toBeUndefined();
    expect(refused).toEqual(["event_loop_delay"]);
    guard.close();
    expect(clock.pendingTimers).toBe(0);
  });

  it("refuses at once, without waiting for a sample, when too many calls are in set-up", async () => {
    const { clock, measures, refused, guard } = admission();
    measures.callsInSetUp = 10;
    expect(guard.admit()).toBe("calls_in_setup");
    measures.callsInSetUp = 7;
    await clock.advance(500);
    expect(guard.reason).toBeUndefined();
    expect(refused).toEqual(["calls_in_setup"]);
    guard.close();
  });
});

import { unique } from "../balancer/pick-least-busy.js";
import type { CallControl } from "../call-control/call-control.js";
import { InvalidRingGroupOptionsError } from "./errors.js";
import type { RingGroupOptions } from "./ring-group-options.js";
import { ringCounters } from "./ring-metrics.js";
import { RingMode } from "./ring-mode.js";
import type { AnsweredLeg, RingGroupResult } from "./ring-result.js";
import { RingRun } from "./ring-run.js";

function validate(mode: RingMode, options: RingGroupOptions): void {
  const positive = (name: string, value: number | undefined) => {
    if (value !== undefined && !(Number.isFinite(value) && value > 0)) {
      throw new InvalidRingGroupOptionsError(
        `${name} must be a positive number of ms, got ${value}`,
      );
    }
  };
  positive("timeoutMs", options.timeoutMs);
  positive("totalTimeoutMs", options.totalTimeoutMs);
  if (!Object.values(RingMode).includes(mode)) {
    throw new InvalidRingGroupOptionsError(`unknown ring mode ${String(mode)}`);
  }
  if (mode === RingMode.Balancing && !options.balancer) {
    throw new InvalidRingGroupOptionsError("RingMode.Balancing needs a balancer");
  }
}

/**
 * Rings `destinations` and returns why it ended: answered (with the leg),
 * noAnswer, allBusy, noAgentsAvailable or cancelled, with every
 * destination's attempt. When it resolves no leg it started is still
 * ringing; the answered leg is the caller's to bridge and hang up.
 *
 * Rejects with {@link InvalidRingGroupOptionsError} on bad options, and with
 * the balancer's or registry's error if one fails before anything rings.
 */
async function run(
  callControl: CallControl,
  destinations: readonly string[],
  mode: RingMode,
  options: RingGroupOptions = {},
): Promise<RingGroupResult> {
  validate(mode, options);
  const counters = ringCounters();
  counters.operations.add(1, { mode });
  const outcome = await new RingRun(callControl, unique(destinations), mode, options).run();
  counters.results.add(1, { mode, result: outcome.result });
  return outcome;
}

/** {@link run}, reduced to the leg that answered, or `null` for any other result. */
async function ring(
  callControl: CallControl,
  destinations: readonly string[],
  mode: RingMode,
  options: RingGroupOptions = {},
): Promise<AnsweredLeg | null> {
  const outcome = await run(callControl, destinations, mode, options);
  return outcome.result === "answered" ? outcome.leg : null;
}

/**
 * Rings a group of destinations through the `CallControl` port (after the
 * ring groups of PBXs and the Python `genesis` library):
 *
 * ```ts
 * const leg = await RingGroup.ring(callControl, ["user/1001", "user/1002"], RingMode.Parallel, {
 *   timeoutMs: 30_000,
 *   signal: call.signal,
 * });
 * ```
 */
export const RingGroup = { run, ring } as const;

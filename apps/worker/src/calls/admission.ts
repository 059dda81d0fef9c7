import { type IntervalHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { type Clock, type HangupCause, systemClock, type TimerHandle } from "@ringflow/core";
import type { Logger } from "../logger.js";
import { repeatEvery } from "../repeat-every.js";

/** Why a call was refused (the `reason` label of the refusal counter). */
export type RefusalReason = "event_loop_delay" | "calls_in_setup" | "memory";

/** What a refused call gets. */
export type RefusalAction =
  /** The socket is closed before anything is said: FreeSWITCH runs the dialplan's next action. */
  | { readonly kind: "handback" }
  /** Hung up (never answered) with this cause, which the SIP side can fail over on. */
  | { readonly kind: "hangup"; readonly cause: HangupCause };

/** Past these, the worker takes no new call. */
export interface AdmissionLimits {
  /** 99th percentile of the event loop's delay over the last sample window (ms). */
  readonly maxEventLoopDelayMs: number;
  /** Calls taken and not yet set up (not yet waiting in line, bridged or over). */
  readonly maxCallsInSetUp: number;
  /** Resident set size of the process (MB). */
  readonly maxRssMb: number;
  /** What a refused call gets. */
  readonly refusal: RefusalAction;
}

/** What the worker measures of itself. */
export interface Pressure {
  readonly eventLoopDelayMs: number;
  readonly callsInSetUp: number;
  readonly rssMb: number;
}

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  readonly limits: AdmissionLimits;
  readonly log: Logger;
  /** Calls taken and not yet set up, now. */
  readonly callsInSetUp: () => number;
  /** Counts one refusal. */
  readonly onRefused: (reason: RefusalReason) => void;
  /** How often event-loop delay and memory are sampled (ms). Default 500. */
  readonly sampleMs?: number;
  /** Resident set size now (MB). Default: the process's. */
  readonly rssMb?: () => number;
  /** The event loop's delay over the last window (ms), and starts a new window. Default: perf_hooks. */
  readonly eventLoopDelayMs?: () => number;
  /** Times the samples (default `systemClock`); the delay measured is always the real event loop's. */
  readonly clock?: Clock;
}

/**
 * Below this fraction of every limit, a shedding worker takes calls again:
 * without the gap it would flap on every sample near a limit.
 */
export const RESUME_FRACTION = 0.8;

/**
 * The worker's guard against overload. It samples its event-loop delay and
 * memory every `sampleMs`, and counts the calls in set-up at each arrival;
 * past a limit it is *shedding*: each new call is refused at once, without
 * being answered, until every measure is back under {@link RESUME_FRACTION}
 * of its limit. Calls already taken are not touched. One log line per change
 * of state, not per call.
 */
export class Admission {
  private shedding: RefusalReason | undefined;
  private sampled: Pressure = { eventLoopDelayMs: 0, callsInSetUp: 0, rssMb: 0 };
  private readonly timer: TimerHandle;
  private readonly histogram: IntervalHistogram | undefined;
  private readonly rssMb: () => number;
  private readonly eventLoopDelayMs: () => number;
  private refusedSinceChange = 0;

  constructor(private readonly options: AdmissionOptions) {
    if (options.eventLoopDelayMs) {
      this.eventLoopDelayMs = options.eventLoopDelayMs;
    } else {
      const histogram = monitorEventLoopDelay({ resolution: 10 });
      histogram.enable();
      this.histogram = histogram;
      this.eventLoopDelayMs = () => {
        const p99 = histogram.count === 0 ? 0 : histogram.percentile(99) / 1e6;
        histogram.reset();
        return p99;
      };
    }
    this.rssMb = options.rssMb ?? (() => process.memoryUsage.rss() / 1_048_576);
    this.timer = repeatEvery(options.clock ?? systemClock, options.sampleMs ?? 500, () =>
      this.sample(),
    );
  }

  /** True while new calls are refused. */
  get isShedding(): boolean {
    return this.shedding !== undefined;
  }

  /** Why calls are being refused, or `undefined`. */
  get reason(): RefusalReason | undefined {
    return this.shedding;
  }

  /** The latest measures. */
  get pressure(): Pressure {
    return { ...this.sampled, callsInSetUp: this.options.callsInSetUp() };
  }

  get limits(): AdmissionLimits {
    return this.options.limits;
  }

  /**
   * Asked for each arriving call: `undefined` to take it, else why it is
   * refused (counted). Cheap: reads the last sample and one counter.
   */
  admit(): RefusalReason | undefined {
    const callsInSetUp = this.options.callsInSetUp();
    const { limits } = this.options;
    if (!this.shedding && callsInSetUp >= limits.maxCallsInSetUp) {
      this.change("calls_in_setup", { ...this.sampled, callsInSetUp });
    }
    const reason = this.shedding;
    if (reason) {
      this.refusedSinceChange++;
      this.options.onRefused(reason);
    }
    return reason;
  }

  /** Takes a sample now (the timer does it every `sampleMs`). */
  sample(): void {
    const pressure: Pressure = {
      eventLoopDelayMs: this.eventLoopDelayMs(),
      callsInSetUp: this.options.callsInSetUp(),
      rssMb: this.rssMb(),
    };
    this.sampled = pressure;
    const over = this.over(pressure, 1);
    if (over) {
      if (!this.shedding) this.change(over, pressure);
      return;
    }
    if (this.shedding && !this.over(pressure, RESUME_FRACTION)) this.change(undefined, pressure);
  }

  close(): void {
    this.timer.cancel();
    this.histogram?.disable();
  }

  /** The first measure at or past `fraction` of its limit, if any. */
  private over(pressure: Pressure, fraction: number): RefusalReason | undefined {
    const { limits } = this.options;
    if (pressure.eventLoopDelayMs >= limits.maxEventLoopDelayMs * fraction) {
      return "event_loop_delay";
    }
    if (pressure.callsInSetUp >= limits.maxCallsInSetUp * fraction) return "calls_in_setup";
    if (pressure.rssMb >= limits.maxRssMb * fraction) return "memory";
    return undefined;
  }

  private change(reason: RefusalReason | undefined, pressure: Pressure): void {
    const { log, limits } = this.options;
    const fields = {
      eventLoopDelayMs: Math.round(pressure.eventLoopDelayMs),
      callsInSetUp: pressure.callsInSetUp,
      rssMb: Math.round(pressure.rssMb),
      limits: {
        maxEventLoopDelayMs: limits.maxEventLoopDelayMs,
        maxCallsInSetUp: limits.maxCallsInSetUp,
        maxRssMb: limits.maxRssMb,
      },
    };
    if (reason) {
      log.warn(
        { ...fields, reason, refusal: limits.refusal },
        `overloaded (${reason}): refusing new calls`,
      );
    } else {
      log.info(
        { ...fields, refused: this.refusedSinceChange },
        "load is back under the limits: taking calls again",
      );
    }
    this.shedding = reason;
    this.refusedSinceChange = 0;
  }
}

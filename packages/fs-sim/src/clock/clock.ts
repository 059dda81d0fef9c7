/** A cancellable timer. */
export interface TimerHandle {
  /** Stops the timer; harmless after it fired. */
  cancel(): void;
}

/**
 * Time as the simulator sees it. Everything a real FreeSWITCH does on a timer
 * (ring durations, originate_timeout, playback length, linger) goes through
 * it, so tests can drive time with {@link ManualClock} and demos can run
 * faster with {@link ScaledClock}.
 */
export interface SimClock {
  /** Milliseconds since the Unix epoch (may be fractional). */
  now(): number;
  /** Runs `callback` once after `ms` simulated milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

/**
 * The host's clock, optionally sped up: with `scale` 10 a 2 s ring takes
 * 200 ms of real time, and `now()` advances 10× as fast from the start.
 */
export class ScaledClock implements SimClock {
  private readonly realStart = performance.now();
  private readonly epochStart = Date.now();

  constructor(private readonly scale = 1) {
    if (!(scale > 0)) throw new RangeError(`time scale must be > 0, got ${scale}`);
  }

  now(): number {
    return this.epochStart + (performance.now() - this.realStart) * this.scale;
  }

  private readonly live = new Set<ReturnType<typeof setTimeout>>();

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const t = setTimeout(
      () => {
        this.live.delete(t);
        callback();
      },
      Math.max(0, ms / this.scale),
    );
    this.live.add(t);
    return {
      cancel: () => {
        clearTimeout(t);
        this.live.delete(t);
      },
    };
  }

  /** Cancels every pending timer (the simulator is stopping). */
  dispose(): void {
    for (const t of this.live) clearTimeout(t);
    this.live.clear();
  }
}

/** Resolves after `ms` on `clock`, or early (with `false`) when `signal` aborts. */
export function sleepOn(clock: SimClock, ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    if (signal?.aborted) {
      resolve(false);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      resolve(false);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

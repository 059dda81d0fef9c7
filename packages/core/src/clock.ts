/** A cancellable timer returned by {@link Clock.setTimeout}. */
export interface TimerHandle {
  /** Stops the timer; calling it after the timer fired does nothing. */
  cancel(): void;
}

/**
 * The passage of time, as core sees it.
 *
 * Everything in core that waits or stamps a time takes a clock, so tests can
 * advance time instead of sleeping (`ManualClock` in `@ringflow/core/testing`).
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `callback` once after `ms` milliseconds. */
  setTimeout(callback: () => void, ms: number): TimerHandle;
}

/** The real clock: `Date.now()` and the host's timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout(callback, ms) {
    const timer = setTimeout(callback, ms);
    // A pending core timer (a queue timeout, a lease) must not keep the process alive.
    timer.unref?.();
    return { cancel: () => clearTimeout(timer) };
  },
};

/**
 * Resolves after `ms` on `clock`, or rejects with `signal.reason` as soon as
 * `signal` aborts.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      timer.cancel();
      reject(signal?.reason);
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits for `work` to settle (fulfilled or rejected) or for `ms` to pass on
 * `clock`, whichever comes first: true if it settled in time. Never
 * rejects. The timer is cancelled the moment `work` settles (no signal or
 * controller is made, so it costs one timer).
 */
export function settledWithin(clock: Clock, work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const timer = clock.setTimeout(() => resolve(false), ms);
    const settled = () => {
      timer.cancel();
      resolve(true);
    };
    work.then(settled, settled);
  });
}

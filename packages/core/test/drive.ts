import type { ManualClock } from "../src/testing/manual-clock.js";

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Moves `clock` from timer to timer until `pending` settles, letting all
 * promise work run between timers; fails if nothing is left to happen.
 * With `pauseMs`, also waits that long in real time before each step, for
 * code that talks to a real server (Redis) between timers.
 */
export async function drive<T>(
  clock: ManualClock,
  pending: Promise<T>,
  options: { pauseMs?: number } = {},
): Promise<T> {
  let settled = false;
  const watched = pending.finally(() => {
    settled = true;
  });
  watched.catch(() => {});
  for (let step = 0; step < 10_000; step++) {
    await macrotask();
    if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    if (settled) return watched;
    if (clock.pendingTimers === 0) throw new Error("stuck: not settled and no timer pending");
    await clock.runNext();
  }
  throw new Error("still not settled after 10000 timers");
}

/** Lets every pending promise callback run (e.g. releases that follow a hangup). */
export const settleMicrotasks = macrotask;

import type { Clock, TimerHandle } from "@ringflow/core";

/**
 * Runs `callback` every `ms` on `clock` until cancelled: `setInterval` for
 * core's {@link Clock}, which has only one-shot timers. Each tick is armed
 * before `callback` runs, so ticks keep their pace whatever the callback
 * does (starts slow work, throws), as with `setInterval`; cancelling from
 * inside `callback` stops the next one.
 */
export function repeatEvery(clock: Clock, ms: number, callback: () => void): TimerHandle {
  let timer: TimerHandle;
  const arm = () => {
    timer = clock.setTimeout(() => {
      arm();
      callback();
    }, ms);
  };
  arm();
  return { cancel: () => timer.cancel() };
}

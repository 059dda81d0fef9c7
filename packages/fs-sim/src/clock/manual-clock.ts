import type { SimClock, TimerHandle } from "./clock.js";

interface Pending {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/** Lets every promise continuation and I/O callback that is ready run. */
function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock that moves only when told to. `advance(ms)` fires due timers in
 * time order and lets the simulator's async work settle after each one, so a
 * test sees exactly what a real switch would have done by then.
 */
export class ManualClock implements SimClock {
  private t: number;
  private seq = 0;
  private timers: Pending[] = [];

  constructor(startMs = Date.UTC(2026, 10, 23, 18, 20, 0)) {
    this.t = startMs;
  }

  now(): number {
    return this.t;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const p: Pending = {
      at: this.t + Math.max(0, ms),
      seq: this.seq++,
      fn: callback,
      cancelled: false,
    };
    this.timers.push(p);
    return {
      cancel: () => {
        p.cancelled = true;
      },
    };
  }

  /** Moves time forward by `ms`, firing timers as their moment comes. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    await this.flush();
    for (;;) {
      const next = this.nextDue(target);
      if (!next) break;
      this.t = Math.max(this.t, next.at);
      next.cancelled = true;
      next.fn();
      await this.flush();
    }
    this.t = target;
    await this.flush();
  }

  /** Lets pending work settle without moving time (a few event-loop turns). */
  async flush(): Promise<void> {
    for (let i = 0; i < 5; i++) await settle();
  }

  /** How many timers are waiting (cancelled ones excluded). */
  get pendingTimers(): number {
    this.timers = this.timers.filter((p) => !p.cancelled);
    return this.timers.length;
  }

  private nextDue(limit: number): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.timers) {
      if (p.cancelled || p.at > limit) continue;
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) best = p;
    }
    this.timers = this.timers.filter((p) => !p.cancelled);
    return best;
  }
}

import type { Clock, TimerHandle } from "../clock.js";
import type { FakeCallOperation } from "./fake-call-session-types.js";

/** How a {@link RunningOperation} settles its promise. */
export type Deferred<T> = { resolve: (value: T) => void; reject: (error: unknown) => void };

/**
 * One operation of a `FakeCallSession` while it runs: it settles once,
 * stamping its record, and its timers and clean-ups go when it does.
 */
export class RunningOperation<T> {
  private settled = false;
  private readonly timers: TimerHandle[] = [];
  private readonly cleanups: (() => void)[] = [];

  constructor(
    readonly record: FakeCallOperation,
    private readonly clock: Clock,
    private readonly deferred: Deferred<T>,
    private readonly onSettled: () => void,
  ) {}

  get done(): boolean {
    return this.settled;
  }

  after(ms: number, callback: () => void): void {
    this.timers.push(this.clock.setTimeout(callback, ms));
  }

  onSettle(cleanup: () => void): void {
    this.cleanups.push(cleanup);
  }

  resolve(value: T): void {
    if (!this.settle()) return;
    this.record.result = value;
    this.deferred.resolve(value);
  }

  reject(error: unknown): void {
    if (!this.settle()) return;
    this.record.result = { error: error instanceof Error ? error.message : String(error) };
    this.deferred.reject(error);
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    this.record.endedAt = this.clock.now();
    for (const timer of this.timers.splice(0)) timer.cancel();
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.onSettled();
    return true;
  }
}

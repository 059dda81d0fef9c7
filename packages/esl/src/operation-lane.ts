import { CallControlError, CallerHungUpError } from "@ringflow/core";
import type { EslOutboundSession } from "./esl-outbound-session.js";

/** One operation of a call, as the lane runs it. */
export interface Step<T> {
  /** Starts the switch-side work; settles when it is over. */
  start(): Promise<T>;
  /** Runs once if the operation's signal aborts while the work runs. */
  onAbort?(): Promise<unknown>;
  /**
   * true: reject at once with the signal's reason (the switch may still be
   * finishing the app; the next operation waits for it). false: keep waiting
   * for the work, which then reports the interruption itself.
   */
  readonly abortRejects: boolean;
}

/** How an operation ended: with its result, or cut short by its signal. */
export type Performed<T> =
  | { readonly aborted: false; readonly value: T }
  | { readonly aborted: true; readonly value?: T };

/**
 * Runs a call's operations one at a time, the way the switch runs apps: the
 * next starts only once the previous one's app has completed, even when the
 * previous operation was cut short by its signal, so apps never nest.
 * Settles each on the first of its result, the caller's hangup
 * (`CallerHungUpError`) or its signal.
 */
export class OperationLane {
  private lane: Promise<void> = Promise.resolve();

  /**
   * `hangup` aborts, with a `CallerHungUpError`, when the caller hangs up.
   * Each operation listens to it only while it runs: a listener left on the
   * session's `ended` promise instead would keep every finished operation's
   * result alive until the call ends.
   */
  constructor(
    private readonly session: EslOutboundSession,
    private readonly hangup: AbortSignal,
  ) {}

  /** Waits for the previous operation's app, then runs `step`. */
  async perform<T>(signal: AbortSignal | undefined, step: Step<T>): Promise<Performed<T>> {
    this.assertLive();
    if (signal?.aborted) {
      if (step.abortRejects) throw signal.reason;
      return { aborted: true };
    }
    const previous = this.lane;
    let releaseLane!: () => void;
    this.lane = new Promise<void>((resolve) => {
      releaseLane = resolve;
    });
    let work: Promise<T>;
    try {
      await this.settle(previous, signal, true);
      work = step.start();
    } catch (error) {
      // Never started: the next operation still waits for the one before.
      void previous.then(releaseLane);
      if (signal?.aborted && !step.abortRejects && error === signal.reason)
        return { aborted: true };
      throw error;
    }
    work.then(releaseLane, releaseLane);
    return this.settle(work, signal, step.abortRejects, step.onAbort);
  }

  private assertLive(): void {
    const cause = this.session.hangupCause;
    if (cause !== undefined) throw new CallerHungUpError(cause);
  }

  /** `work`, unless the caller hangs up or `signal` aborts first. */
  private settle<T>(
    work: Promise<T>,
    signal: AbortSignal | undefined,
    abortRejects: boolean,
    onAbort?: () => Promise<unknown>,
  ): Promise<Performed<T>> {
    return new Promise<Performed<T>>((resolve, reject) => {
      let done = false;
      let aborted = false;
      const finish = (settle: () => void) => {
        if (done) return;
        done = true;
        signal?.removeEventListener("abort", abort);
        this.hangup.removeEventListener("abort", hungUp);
        settle();
      };
      const hungUp = () => finish(() => reject(this.hangup.reason));
      const abort = () => {
        aborted = true;
        onAbort?.().catch(() => undefined);
        if (abortRejects) finish(() => reject(signal?.reason));
      };
      if (this.hangup.aborted) hungUp();
      else this.hangup.addEventListener("abort", hungUp, { once: true });
      work.then(
        (value) =>
          finish(() => resolve(aborted ? { aborted: true, value } : { aborted: false, value })),
        (error: unknown) => finish(() => reject(this.failure(error))),
      );
      if (signal) {
        if (signal.aborted) abort();
        else signal.addEventListener("abort", abort, { once: true });
      }
    });
  }

  private failure(error: unknown): Error {
    const cause = this.session.hangupCause;
    if (cause !== undefined) return new CallerHungUpError(cause);
    if (error instanceof CallControlError) return error;
    const detail = error instanceof Error ? `: ${error.message}` : "";
    return new CallControlError(`call ${this.session.uuid}${detail}`, { cause: error });
  }
}

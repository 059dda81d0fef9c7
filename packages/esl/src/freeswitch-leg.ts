import type { Clock, HangupCause, LegOutcome, OutboundLeg, TimerHandle } from "@ringflow/core";
import { CallControlError, HangupCauses } from "@ringflow/core";
import { EslDisconnectedError } from "./errors.js";
import type { EslEvent } from "./esl-event.js";

/** What a leg needs from the call control that originated it. */
export interface LegHost {
  /** `uuid_kill`; resolves false when the switch has no such channel. */
  kill(uuid: string, cause: HangupCause): Promise<boolean>;
  /** `uuid_exists`. */
  exists(uuid: string): Promise<boolean>;
  /** True while commands can reach the switch. */
  readonly connected: boolean;
  /** Times the retries of a kill that failed. */
  readonly clock: Clock;
  /**
   * The delays before each retry of a `uuid_kill` that timed out or was
   * refused unsent (one entry per retry; after the last, the failure is
   * reported and the leg left to the switch's own timeouts).
   */
  readonly killRetryDelaysMs: readonly number[];
  /** The leg is over: stop routing its events. */
  release(leg: FreeswitchLeg): void;
  report(error: unknown): void;
}

function errCause(body: string): HangupCause {
  const match = /^-ERR\s+([A-Z_]+)/.exec(body.trim());
  return match?.[1] ?? HangupCauses.NormalTemporaryFailure;
}

/**
 * A leg originated with `bgapi originate ... &park()`, followed through its
 * channel events and its BACKGROUND_JOB.
 *
 * The outcome comes from whichever the switch says first: CHANNEL_ANSWER
 * (answered), CHANNEL_HANGUP (its cause), or the job's `+OK <uuid>` /
 * `-ERR <CAUSE>`. `ended` comes from CHANNEL_HANGUP_COMPLETE, or from the
 * job's `-ERR` when no channel was ever created (e.g. USER_NOT_REGISTERED).
 *
 * A cancel is remembered: until the channel exists `uuid_kill` answers
 * `-ERR No such channel!`, so the kill is repeated on the leg's first event,
 * and a leg that answers after being cancelled is killed at once and never
 * reported as answered.
 *
 * A `uuid_kill` that fails without losing the connection (it timed out
 * behind a backlog of replies, or was refused unsent because the
 * connection's line was full) is retried after each of
 * {@link LegHost.killRetryDelaysMs} until the switch confirms the kill, says
 * the channel is gone, or reports its hangup: a leg whose kill was lost
 * would otherwise stay up, ringing an agent or parked, until the switch's
 * own timeout.
 */
export class FreeswitchLeg implements OutboundLeg {
  readonly outcome: Promise<LegOutcome>;
  readonly ended: Promise<HangupCause>;
  private resolveOutcome!: (outcome: LegOutcome) => void;
  private resolveEnded!: (cause: HangupCause) => void;
  private outcomeValue: LegOutcome | undefined;
  private endedSettled = false;
  /** The switch has shown us the channel. */
  private created = false;
  /** CHANNEL_HANGUP seen: nothing left to kill. */
  private hungUp = false;
  /** Set once we want this leg gone (hung up by us, or lost track of while ringing). */
  private cancelCause: HangupCause | undefined;
  private killed = false;
  private killing: Promise<void> | undefined;
  /** The channel showed up while a kill was in flight: if that one missed, try again. */
  private killAgain = false;
  /** Retries of failed kills so far, and the one pending. */
  private killRetries = 0;
  private killRetry: TimerHandle | undefined;

  constructor(
    readonly uuid: string,
    readonly destination: string,
    private readonly host: LegHost,
  ) {
    this.outcome = new Promise((resolve) => {
      this.resolveOutcome = resolve;
    });
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
  }

  private get answered(): boolean {
    return this.outcomeValue?.answered === true;
  }

  async hangup(cause?: HangupCause): Promise<void> {
    if (this.endedSettled) return;
    const effective =
      cause ?? (this.answered ? HangupCauses.NormalClearing : HangupCauses.OriginatorCancel);
    // Remembered even for an answered leg: if the kill cannot be sent now,
    // it is sent on the leg's next event or after reconnection.
    this.cancelCause ??= effective;
    if (this.hungUp || this.killed || !this.host.connected) return;
    if (this.killing) {
      await this.killing;
      return;
    }
    // Not yet created, the kill misses; the cancel stays recorded and the
    // leg's first event kills it. A lost connection is dealt with on reconnection.
    const error = await this.kill(effective);
    if (error !== undefined && !(error instanceof EslDisconnectedError)) {
      throw new CallControlError(`could not hang up leg ${this.uuid}`, { cause: error });
    }
  }

  /** One of this channel's events (routed by Unique-ID). */
  handleEvent(event: EslEvent): void {
    this.created = true;
    switch (event.name) {
      case "CHANNEL_HANGUP_COMPLETE": {
        const cause = event.hangupCause ?? HangupCauses.NormalClearing;
        this.hungUp = true;
        this.settleOutcome({ answered: false, cause });
        this.settleEnded(cause);
        return;
      }
      case "CHANNEL_HANGUP":
        this.hungUp = true;
        this.settleOutcome({
          answered: false,
          cause: event.hangupCause ?? HangupCauses.NormalClearing,
        });
        return;
      case "CHANNEL_ANSWER":
        this.answer();
        return;
      default:
        if (this.cancelCause !== undefined) this.killNow();
    }
  }

  /** The BACKGROUND_JOB body of the originate. */
  handleJobResult(body: string): void {
    if (body.startsWith("+OK")) {
      this.answer();
      return;
    }
    const cause = errCause(body);
    this.settleOutcome({ answered: false, cause });
    // With a channel, CHANNEL_HANGUP_COMPLETE is still to come (or already
    // came: events of a leg reach the socket before the job's result).
    if (!this.created) this.settleEnded(cause);
  }

  /**
   * The switch connection dropped or the originate's reply never came: the
   * leg is reported unanswered now, and will be killed once we can, since
   * nobody can use it any more.
   */
  abandon(): void {
    if (this.outcomeValue === undefined) this.cancelCause ??= HangupCauses.OriginatorCancel;
    this.settleOutcome({ answered: false, cause: HangupCauses.NormalTemporaryFailure });
  }

  /**
   * For a leg abandoned because its originate's reply never came (the
   * command was written, so the switch may or may not have the leg): asks
   * the switch after `delayMs` — past the originate's own timeout — whether
   * the channel exists. Gone (or never created): the leg is over and
   * released. Still there: it is killed. Without this a leg whose channel
   * never showed up stayed tracked for good (3,400 of them in the overload
   * bench's heap); with the connection lost, {@link reconcile} does it.
   */
  verifyAfter(delayMs: number, attemptsLeft = 3): void {
    this.host.clock.setTimeout(() => {
      if (this.endedSettled || this.created || !this.host.connected) return;
      this.host.exists(this.uuid).then(
        (exists) => {
          if (!exists) this.settleEnded(HangupCauses.NormalTemporaryFailure);
          else this.killNow();
        },
        (error: unknown) => {
          if (error instanceof EslDisconnectedError) return;
          if (attemptsLeft > 1) this.verifyAfter(delayMs, attemptsLeft - 1);
          else this.host.report(error);
        },
      );
    }, delayMs);
  }

  /** After a reconnection: kill it if it was given up, else check it still exists. */
  async reconcile(): Promise<void> {
    if (this.endedSettled) return;
    try {
      const stillThere =
        this.cancelCause !== undefined && !this.killed
          ? await this.host.kill(this.uuid, this.cancelCause)
          : await this.host.exists(this.uuid);
      // Gone while we could not see it: its real cause is lost.
      if (!stillThere) this.settleEnded(HangupCauses.NormalTemporaryFailure);
    } catch (error) {
      if (!(error instanceof EslDisconnectedError)) this.host.report(error);
    }
  }

  /** The connection is closed for good: settle everything. */
  close(): void {
    this.settleOutcome({ answered: false, cause: HangupCauses.NormalTemporaryFailure });
    this.settleEnded(HangupCauses.NormalTemporaryFailure);
  }

  private answer(): void {
    if (this.cancelCause !== undefined) {
      this.settleOutcome({ answered: false, cause: this.cancelCause });
      this.killNow();
    } else {
      this.settleOutcome({ answered: true });
    }
  }

  private killNow(): void {
    const cause = this.cancelCause;
    if (cause === undefined || this.killed || this.hungUp || !this.host.connected) return;
    if (this.killing) {
      this.killAgain = true;
      return;
    }
    void this.kill(cause).then((error) => {
      if (error !== undefined && !(error instanceof EslDisconnectedError) && !this.killRetry) {
        this.host.report(error);
      }
    });
  }

  /** After a kill failed with the connection up: try it again later, a bounded number of times. */
  private scheduleKillRetry(): boolean {
    if (this.killRetry) return true;
    if (this.endedSettled || this.hungUp || this.killed) return false;
    const delay = this.host.killRetryDelaysMs[this.killRetries];
    if (delay === undefined) return false;
    this.killRetries += 1;
    this.killRetry = this.host.clock.setTimeout(() => {
      this.killRetry = undefined;
      this.killNow();
    }, delay);
    return true;
  }

  /** One `uuid_kill` at a time; resolves with the error, if it failed. */
  private kill(cause: HangupCause): Promise<unknown> {
    this.killAgain = false;
    let failure: unknown;
    const attempt = this.host.kill(this.uuid, cause).then(
      (killed) => {
        this.killing = undefined;
        if (killed) this.killed = true;
        else if (this.killAgain) this.killNow();
      },
      (error: unknown) => {
        this.killing = undefined;
        failure = error;
        if (!(error instanceof EslDisconnectedError)) this.scheduleKillRetry();
      },
    );
    this.killing = attempt;
    return attempt.then(() => failure);
  }

  private settleOutcome(outcome: LegOutcome): void {
    if (this.outcomeValue !== undefined) return;
    this.outcomeValue = outcome;
    this.resolveOutcome(outcome);
  }

  private settleEnded(cause: HangupCause): void {
    if (this.endedSettled) return;
    this.endedSettled = true;
    this.killRetry?.cancel();
    this.killRetry = undefined;
    this.settleOutcome({ answered: false, cause });
    this.resolveEnded(cause);
    this.host.release(this);
  }
}

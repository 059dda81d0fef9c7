import type { HangupCause } from "./hangup-cause.js";

/** What to ring, and for how long. */
export interface OriginateRequest {
  /**
   * The uuid the new leg will carry (FreeSWITCH `origination_uuid`). Chosen
   * by the caller so the leg can be cancelled before the switch has replied.
   */
  readonly uuid: string;
  /** One destination's dial string, e.g. `user/1001` or `sofia/gateway/gw1/5551234`. */
  readonly destination: string;
  /** How long the leg may ring before the switch gives up with `NO_ANSWER`. */
  readonly timeoutMs: number;
  /** Channel variables for the new leg (e.g. `origination_caller_id_name`). */
  readonly variables?: Readonly<Record<string, string>>;
}

/** How an originated leg's ringing ended. */
export type LegOutcome =
  | { readonly answered: true }
  | { readonly answered: false; readonly cause: HangupCause };

/** A leg being rung, or answered, on the switch. */
export interface OutboundLeg {
  readonly uuid: string;
  readonly destination: string;
  /**
   * Settles once: answered, or not answered with the switch's cause
   * (`NO_ANSWER`, `USER_BUSY`, `ORIGINATOR_CANCEL`, ...). Never rejects; a
   * lost switch connection settles it with `NORMAL_TEMPORARY_FAILURE`.
   */
  readonly outcome: Promise<LegOutcome>;
  /**
   * Resolves with the leg's `Hangup-Cause` once its channel is gone (or never
   * existed). Never rejects.
   */
  readonly ended: Promise<HangupCause>;
  /**
   * Cancels the leg if it is still ringing, hangs it up if it answered. Safe
   * to call at any moment and more than once; resolves when the request was
   * sent, not when the channel is gone (await {@link ended} for that).
   */
  hangup(cause?: HangupCause): Promise<void>;
}

/**
 * The switch, as core drives it: the port that `@ringflow/esl` implements for
 * FreeSWITCH and `FakeCallControl` (in `@ringflow/core/testing`) in memory.
 *
 * Methods reject with {@link CallControlError} when the switch cannot carry
 * out a request (connection lost, command refused).
 */
export interface CallControl {
  /**
   * Starts ringing one leg in the background and resolves as soon as the
   * switch has accepted the request — not when the leg answers — so that
   * legs originated one after another really ring together.
   */
  originate(request: OriginateRequest): Promise<OutboundLeg>;
  /** Bridges two live legs (FreeSWITCH `uuid_bridge`). */
  bridge(aUuid: string, bUuid: string): Promise<void>;
  /** Hangs up any channel by uuid; a channel that is already gone is not an error. */
  hangup(uuid: string, cause?: HangupCause): Promise<void>;
  /**
   * Speaks `text` to a live leg alone (FreeSWITCH `uuid_broadcast … speak`),
   * e.g. the whisper an agent hears before a callback's customer is on the
   * line. Resolves once the switch has taken it, not when it has been
   * spoken; bridging the leg cuts it short. Optional: a switch without it
   * gets no whisper.
   */
  speakTo?(uuid: string, text: string): Promise<void>;
}

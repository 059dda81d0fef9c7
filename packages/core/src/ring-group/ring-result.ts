import type { AgentState, AgentStatus } from "../agents/agent.js";
import type { HangupCause } from "../call-control/hangup-cause.js";
import { HangupCauses } from "../call-control/hangup-cause.js";

/**
 * How ringing one destination ended.
 * - `answered`: it won (or would have, had the caller not hung up: see `cancelled`).
 * - `noAnswer`: it rang out (`NO_ANSWER`, `NO_USER_RESPONSE`, `ALLOTTED_TIMEOUT`, or the ring group's own timer).
 * - `busy`: the phone said busy or declined (`USER_BUSY`, `CALL_REJECTED`).
 * - `unreachable`: it could not ring at all (`USER_NOT_REGISTERED`, `SUBSCRIBER_ABSENT`, routing failures...).
 * - `failed`: the switch refused the originate (see `error`).
 * - `lostRace`: another destination answered first.
 * - `cancelled`: the caller hung up.
 */
export type RungOutcome =
  | "answered"
  | "noAnswer"
  | "busy"
  | "unreachable"
  | "failed"
  | "lostRace"
  | "cancelled";

/** A destination that was rung. */
export interface RungAttempt {
  readonly outcome: RungOutcome;
  readonly destination: string;
  /** The agent behind the destination, when an agent registry knew them. */
  readonly agentId: string | null;
  /** The leg's uuid. */
  readonly uuid: string;
  /** When the originate was sent (clock ms). */
  readonly startedAt: number;
  /** From the originate until it answered or stopped ringing. */
  readonly rangForMs: number;
  /** The leg's hangup cause; `null` when it answered and won, or when the originate was refused. */
  readonly cause: HangupCause | null;
  /** Why the switch refused the originate (`failed` only). */
  readonly error?: unknown;
}

/** An agent the ring group did not ring: not Available, or already busy. */
export interface SkippedAttempt {
  readonly outcome: "skipped";
  readonly destination: string;
  readonly agentId: string;
  /** `notAvailable`: On break or Logged out. `busy`: ringing, in a call or in wrap-up. */
  readonly reason: "notAvailable" | "busy";
  readonly status: AgentStatus;
  readonly state: AgentState;
  /** When it was skipped (clock ms). */
  readonly at: number;
}

/** What happened to one destination. */
export type RingAttempt = RungAttempt | SkippedAttempt;

/** The leg that answered, handed to the caller of the ring group to bridge. */
export interface AnsweredLeg {
  readonly uuid: string;
  readonly destination: string;
  readonly agentId: string | null;
  /** When it answered (clock ms). */
  readonly answeredAt: number;
  /** Resolves with its hangup cause once the leg is gone. */
  readonly ended: Promise<HangupCause>;
  /** Hangs the leg up. */
  hangup(cause?: HangupCause): Promise<void>;
  /** Calls `listener` once the leg hangs up; returns a function that cancels that. */
  onHangup(listener: (cause: HangupCause) => void): () => void;
}

/**
 * The result of a ring group, with every destination's attempt in the order
 * they ended (skips where they were decided):
 * - `answered`: `leg` answered and is the caller's to bridge and hang up.
 * - `noAnswer`: someone rang out without answering.
 * - `allBusy`: nobody rang out; at least one was busy (phone busy or
 *   declined, or an agent skipped as already ringing, in a call or in wrap-up).
 * - `noAgentsAvailable`: nobody could be rung: no destinations, agents not
 *   Available, or every originate failed.
 * - `cancelled`: the `signal` aborted (the caller hung up); nothing was left ringing.
 */
export type RingGroupResult =
  | {
      readonly result: "answered";
      readonly leg: AnsweredLeg;
      readonly attempts: readonly RingAttempt[];
    }
  | {
      readonly result: "noAnswer" | "allBusy" | "noAgentsAvailable" | "cancelled";
      readonly attempts: readonly RingAttempt[];
    };

/** The kind of {@link RingGroupResult}: `answered`, `noAnswer`, `allBusy`, `noAgentsAvailable` or `cancelled`. */
export type RingGroupResultKind = RingGroupResult["result"];

/** What a leg's hangup cause says about the destination, when the ring group did not end it itself. */
export function outcomeOfCause(cause: HangupCause): Exclude<RungOutcome, "answered" | "failed"> {
  switch (cause) {
    case HangupCauses.NoAnswer:
    case HangupCauses.NoUserResponse:
    case HangupCauses.AllottedTimeout:
      return "noAnswer";
    case HangupCauses.UserBusy:
    case HangupCauses.CallRejected:
      return "busy";
    case HangupCauses.LoseRace:
      return "lostRace";
    case HangupCauses.OriginatorCancel:
      return "cancelled";
    default:
      return "unreachable";
  }
}

/** The result of a ring group nobody answered and nobody cancelled, from its attempts. */
export function resultOfAttempts(
  attempts: readonly RingAttempt[],
): "noAnswer" | "allBusy" | "noAgentsAvailable" {
  if (attempts.some((a) => a.outcome === "noAnswer")) return "noAnswer";
  const busy = attempts.some(
    (a) => a.outcome === "busy" || (a.outcome === "skipped" && a.reason === "busy"),
  );
  return busy ? "allBusy" : "noAgentsAvailable";
}

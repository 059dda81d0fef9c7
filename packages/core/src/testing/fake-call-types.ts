import type { HangupCause } from "../call-control/hangup-cause.js";

/** How a scripted destination behaves each time it is rung. */
export type FakeDestinationBehaviour =
  /**
   * Rings for `afterMs`, then answers. With `hangupAfterMs`, the far end
   * hangs up (`NORMAL_CLEARING`) that long after answering.
   */
  | { readonly kind: "answer"; readonly afterMs: number; readonly hangupAfterMs?: number }
  /** Rings for `afterMs` (default 0), then the phone answers 486: `USER_BUSY`. */
  | { readonly kind: "busy"; readonly afterMs?: number }
  /** Rings for `afterMs` (default 0), then the phone declines (603): `CALL_REJECTED`. */
  | { readonly kind: "reject"; readonly afterMs?: number }
  /** Rings until the originate timeout (`NO_ANSWER`), a hangup, or {@link FakeCallControl.answer}. */
  | { readonly kind: "ring" }
  /** A directory user with no registration: fails at once with `USER_NOT_REGISTERED`; no channel. */
  | { readonly kind: "unregistered" }
  /** Not in the directory: fails at once with `SUBSCRIBER_ABSENT`; no channel. */
  | { readonly kind: "absent" }
  /** The switch refuses the request itself: `originate` rejects with `CallControlError`. */
  | { readonly kind: "refuse"; readonly message?: string };

/** Where a fake channel is in its life. */
export type FakeChannelState = "ringing" | "answered" | "ended";

/** A channel of the fake switch, as tests see it (a snapshot). */
export interface FakeChannel {
  readonly uuid: string;
  /** The dial string it was originated to; `null` for callers added with `addCaller`. */
  readonly destination: string | null;
  readonly variables: Readonly<Record<string, string>>;
  /** The originate timeout it was rung with; `null` for callers. */
  readonly timeoutMs: number | null;
  readonly state: FakeChannelState;
  readonly createdAt: number;
  readonly answeredAt: number | null;
  readonly endedAt: number | null;
  /** `Hangup-Cause` once ended. */
  readonly cause: HangupCause | null;
  /** The uuid it is bridged to, if any. */
  readonly bridgedTo: string | null;
}

/** One thing that happened on the fake switch, stamped with the clock's time. */
export type FakeCallEvent = { readonly at: number } & (
  | {
      readonly type: "originate";
      readonly uuid: string;
      readonly destination: string;
      readonly timeoutMs: number;
      readonly variables: Readonly<Record<string, string>>;
    }
  /** The switch refused an originate (`refuse`); no channel exists. */
  | { readonly type: "originateRefused"; readonly uuid: string; readonly destination: string }
  /** An originate failed before any channel existed (`unregistered`, `absent`). */
  | {
      readonly type: "originateFailed";
      readonly uuid: string;
      readonly destination: string;
      readonly cause: HangupCause;
    }
  | { readonly type: "answer"; readonly uuid: string; readonly destination: string | null }
  /** Someone asked for a hangup (port `hangup` or a leg's `hangup`), whether or not the channel existed. */
  | { readonly type: "hangupRequest"; readonly uuid: string; readonly cause: HangupCause }
  /** A channel ended. */
  | {
      readonly type: "hangup";
      readonly uuid: string;
      readonly destination: string | null;
      readonly cause: HangupCause;
      readonly wasAnswered: boolean;
    }
  | { readonly type: "bridge"; readonly aUuid: string; readonly bUuid: string }
  /** Words spoken to a live leg alone (`speakTo`, e.g. a callback's whisper). */
  | { readonly type: "speak"; readonly uuid: string; readonly text: string }
  /** `uuid` (added with `parkAfterBridge`) stayed up when `from`, bridged to it, hung up. */
  | { readonly type: "unbridge"; readonly uuid: string; readonly from: string }
);

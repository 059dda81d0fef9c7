import type { HangupCause } from "./hangup-cause.js";

/** Who called, and what they dialled: read from the channel when the call arrives. */
export interface CallInfo {
  /** The caller's channel uuid (`Unique-ID`). */
  readonly uuid: string;
  /** The number dialled (`Caller-Destination-Number`); it selects the flow. */
  readonly destinationNumber: string;
  readonly callerIdNumber: string;
  readonly callerIdName: string;
  /** The channel's variables when the call arrived (`variable_*`, without the prefix). */
  readonly variables: Readonly<Record<string, string>>;
}

/** Options every call operation accepts. */
export interface CallOperationOptions {
  /** Stops the operation early (e.g. hold music cut short when a slot frees). */
  readonly signal?: AbortSignal;
}

/** How a playback ended. */
export type PlaybackStatus = "played" | "interrupted" | "notFound" | "error";

/** Options of {@link CallSession.collectDigits} (FreeSWITCH `play_and_get_digits`). */
export interface CollectDigitsOptions extends CallOperationOptions {
  /** Sound played before each try. */
  readonly prompt: string;
  /** Sound played after an invalid entry. */
  readonly invalidPrompt?: string;
  readonly minDigits: number;
  readonly maxDigits: number;
  /** How many times the prompt is played before giving up. */
  readonly tries: number;
  /** How long to wait for the first digit after each prompt. */
  readonly timeoutMs: number;
  /** Keys that end entry early (default `#`). */
  readonly terminators?: string;
  /** Entry must match this regular expression to be valid. */
  readonly regex?: string;
  /** Longest pause allowed between digits (defaults to `timeoutMs`). */
  readonly digitTimeoutMs?: number;
}

/** What the caller keyed in. */
export type CollectDigitsResult =
  | { readonly status: "collected"; readonly digits: string }
  | { readonly status: "timeout" }
  | { readonly status: "invalid"; readonly digits: string };

/** How a bridge ended. */
export type BridgeResult =
  /** The two legs talked; `cause` is why the other leg ended. */
  | { readonly status: "completed"; readonly cause: HangupCause }
  /** No connection was made (busy, no answer, gone...). */
  | { readonly status: "failed"; readonly cause: HangupCause };

/** Options of {@link CallSession.bridgeDial}. */
export interface BridgeDialOptions extends CallOperationOptions {
  /** How long the far end may ring. */
  readonly timeoutMs?: number;
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Called once the far end answered and the caller is connected, while
   * the bridge goes on (a caller who hangs up mid-conversation was still
   * connected). Must not throw.
   */
  readonly onConnected?: () => void;
}

/** Where a voicemail is left. */
export interface VoicemailOptions extends CallOperationOptions {
  readonly mailbox: string;
  /** Voicemail profile (FreeSWITCH default `default`). */
  readonly profile?: string;
  /** Directory domain (FreeSWITCH default `$${domain}`). */
  readonly domain?: string;
}

/**
 * One call the switch handed to Ringflow (for FreeSWITCH: an outbound-socket
 * session), as the flow interpreter drives it.
 *
 * Once the caller hangs up, {@link signal} aborts, {@link ended} resolves and
 * every pending or later operation rejects with `CallerHungUpError`.
 */
export interface CallSession {
  readonly info: CallInfo;
  /** Aborts when the caller hangs up. */
  readonly signal: AbortSignal;
  /** Resolves with the caller's `Hangup-Cause` when the call is over. */
  readonly ended: Promise<HangupCause>;
  answer(options?: CallOperationOptions): Promise<void>;
  /** Plays a sound file (or a FreeSWITCH stream such as `local_stream://moh`). */
  play(file: string, options?: CallOperationOptions): Promise<PlaybackStatus>;
  /** Speaks text through the switch's text-to-speech. */
  speak(
    text: string,
    options?: CallOperationOptions & { readonly engine?: string; readonly voice?: string },
  ): Promise<PlaybackStatus>;
  collectDigits(options: CollectDigitsOptions): Promise<CollectDigitsResult>;
  /** Bridges the caller to an already answered leg and resolves when the bridge ends. */
  bridge(legUuid: string, options?: CallOperationOptions): Promise<BridgeResult>;
  /**
   * Dials `dialString` from the caller's channel (FreeSWITCH `bridge` app,
   * with `continue_on_fail` so a busy far end does not kill the caller) and
   * resolves when the bridge ends or fails.
   */
  bridgeDial(dialString: string, options?: BridgeDialOptions): Promise<BridgeResult>;
  /** Sends the caller to leave a voicemail; resolves when they are done. */
  voicemail(options: VoicemailOptions): Promise<void>;
  setVariable(name: string, value: string): Promise<void>;
  /** Ends the call. Safe to call when it has already ended. */
  hangup(cause?: HangupCause): Promise<void>;
}

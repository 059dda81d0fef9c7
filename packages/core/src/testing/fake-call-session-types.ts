/** Something a `FakeCallSession` is asked to play. */
export type FakeMediaSource =
  | { readonly kind: "file"; readonly file: string }
  | { readonly kind: "speech"; readonly text: string; readonly voice?: string };

/**
 * How one playback goes: it plays for this many ms (then `played`), plays
 * until stopped (`endless`, like `local_stream://moh`), or fails at once
 * with that status.
 */
export type FakePlayback = number | "endless" | "notFound" | "error";

/**
 * The caller's answer to one try of `collectDigits`: keys pressed `afterMs`
 * (default 0) after the prompt has played, or nothing (`silence`). Keys
 * pressed later than the try's timeout count as silence.
 */
export type FakeKeyPress = { readonly digits: string; readonly afterMs?: number } | "silence";

/** The `CallSession` operations a `FakeCallSession` records. */
export type FakeCallOperationName =
  | "answer"
  | "play"
  | "speak"
  | "collectDigits"
  | "bridge"
  | "bridgeDial"
  | "voicemail"
  | "setVariable"
  | "hangup";

/** One operation on a `FakeCallSession`, stamped with the clock's time. */
export interface FakeCallOperation {
  readonly op: FakeCallOperationName;
  /** When it started. */
  readonly at: number;
  /** Its arguments (file, text, options...). */
  readonly args: Readonly<Record<string, unknown>>;
  /** When it settled; `null` while it runs. */
  endedAt: number | null;
  /** What it resolved with, or `{ error: message }`; `undefined` while it runs. */
  result: unknown;
}

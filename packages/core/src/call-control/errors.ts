import { RingflowError } from "../errors.js";
import type { HangupCause } from "./hangup-cause.js";

/** The switch could not carry out a request: connection lost, command refused or timed out. */
export class CallControlError extends RingflowError {
  readonly code = "CALL_CONTROL";
}

/** An operation was attempted on, or cut short by, a call whose caller hung up. */
export class CallerHungUpError extends RingflowError {
  readonly code = "CALLER_HUNG_UP";

  constructor(
    /** The caller's `Hangup-Cause`. */
    readonly hangupCause: HangupCause,
    message = `caller hung up (${hangupCause})`,
  ) {
    super(message);
  }
}

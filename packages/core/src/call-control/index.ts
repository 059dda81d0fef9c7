export type {
  CallControl,
  LegOutcome,
  OriginateRequest,
  OutboundLeg,
} from "./call-control.js";
export type {
  BridgeDialOptions,
  BridgeResult,
  CallInfo,
  CallOperationOptions,
  CallSession,
  CollectDigitsOptions,
  CollectDigitsResult,
  PlaybackStatus,
  VoicemailOptions,
} from "./call-session.js";
export { CallControlError, CallerHungUpError } from "./errors.js";
export { type HangupCause, HangupCauses } from "./hangup-cause.js";

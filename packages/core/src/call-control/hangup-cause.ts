/**
 * FreeSWITCH `Hangup-Cause` values Ringflow acts on.
 *
 * The switch can send others; {@link HangupCause} accepts any string so they
 * pass through unchanged (and end up in call records as sent).
 */
export const HangupCauses = {
  NormalClearing: "NORMAL_CLEARING",
  UserBusy: "USER_BUSY",
  /** The leg rang until `originate_timeout`. */
  NoAnswer: "NO_ANSWER",
  NoUserResponse: "NO_USER_RESPONSE",
  CallRejected: "CALL_REJECTED",
  /** The caller hung up while this leg was ringing. */
  OriginatorCancel: "ORIGINATOR_CANCEL",
  /** Another leg of the same ring answered first. */
  LoseRace: "LOSE_RACE",
  /** `user/x` is not in the directory. */
  SubscriberAbsent: "SUBSCRIBER_ABSENT",
  /** `user/x` is in the directory but has no registration. */
  UserNotRegistered: "USER_NOT_REGISTERED",
  /** A per-leg `leg_timeout` ran out. */
  AllottedTimeout: "ALLOTTED_TIMEOUT",
  UnallocatedNumber: "UNALLOCATED_NUMBER",
  NoRouteDestination: "NO_ROUTE_DESTINATION",
  NormalTemporaryFailure: "NORMAL_TEMPORARY_FAILURE",
  ManagerRequest: "MANAGER_REQUEST",
  SystemShutdown: "SYSTEM_SHUTDOWN",
} as const;

/** A FreeSWITCH hangup cause: one of {@link HangupCauses} or any other name the switch sends. */
export type HangupCause = (typeof HangupCauses)[keyof typeof HangupCauses] | (string & {});

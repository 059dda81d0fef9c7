/** `switch_channel_state_t`, in FreeSWITCH's numbering. */
export const CS = {
  NEW: 0,
  INIT: 1,
  ROUTING: 2,
  SOFT_EXECUTE: 3,
  EXECUTE: 4,
  EXCHANGE_MEDIA: 5,
  PARK: 6,
  CONSUME_MEDIA: 7,
  HIBERNATE: 8,
  RESET: 9,
  HANGUP: 10,
  REPORTING: 11,
  DESTROY: 12,
  NONE: 13,
} as const;

/** A channel state number. */
export type ChannelState = (typeof CS)[keyof typeof CS];

const STATE_NAMES = [
  "CS_NEW",
  "CS_INIT",
  "CS_ROUTING",
  "CS_SOFT_EXECUTE",
  "CS_EXECUTE",
  "CS_EXCHANGE_MEDIA",
  "CS_PARK",
  "CS_CONSUME_MEDIA",
  "CS_HIBERNATE",
  "CS_RESET",
  "CS_HANGUP",
  "CS_REPORTING",
  "CS_DESTROY",
  "CS_NONE",
];

/** `CS_EXECUTE` for 4, and so on. */
export function stateName(s: ChannelState): string {
  return STATE_NAMES[s] ?? "CS_NONE";
}

/** `switch_channel_callstate_t` names, indexed by number. */
export const CALLSTATES = [
  "DOWN",
  "DIALING",
  "RINGING",
  "EARLY",
  "ACTIVE",
  "HELD",
  "RING_WAIT",
  "HANGUP",
  "UNHELD",
] as const;

/** A call state name. */
export type CallState = (typeof CALLSTATES)[number];

/** Q.850 codes of the hangup causes the simulator produces. */
export const CAUSE_Q850: Record<string, number> = {
  NONE: 0,
  UNALLOCATED_NUMBER: 1,
  NO_ROUTE_DESTINATION: 3,
  NORMAL_CLEARING: 16,
  USER_BUSY: 17,
  NO_USER_RESPONSE: 18,
  NO_ANSWER: 19,
  SUBSCRIBER_ABSENT: 20,
  CALL_REJECTED: 21,
  DESTINATION_OUT_OF_ORDER: 27,
  NORMAL_TEMPORARY_FAILURE: 41,
  ORIGINATOR_CANCEL: 487,
  LOSE_RACE: 502,
  USER_NOT_REGISTERED: 606,
  ALLOTTED_TIMEOUT: 602,
  MANAGER_REQUEST: 503,
  SYSTEM_SHUTDOWN: 501,
  RECOVERY_ON_TIMER_EXPIRE: 102,
  PROGRESS_TIMEOUT: 607,
  MEDIA_TIMEOUT: 604,
  BLIND_TRANSFER: 800,
  ATTENDED_TRANSFER: 801,
  PICKED_OFF: 505,
  GATEWAY_DOWN: 609,
  INCOMPATIBLE_DESTINATION: 88,
  INVALID_NUMBER_FORMAT: 28,
};

/** True for a cause string FreeSWITCH knows. */
export function isCause(s: string): boolean {
  return s in CAUSE_Q850;
}

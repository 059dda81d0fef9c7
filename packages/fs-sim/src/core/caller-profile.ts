import type { FsEvent } from "../protocol/fs-event.js";

/** Microsecond timestamps of a profile (0 = not reached). */
export interface ProfileTimes {
  profileCreated: number;
  created: number;
  answered: number;
  progress: number;
  progressMedia: number;
  hungup: number;
  transferred: number;
  resurrected: number;
  bridged: number;
  lastHold: number;
  holdAccum: number;
}

/** FreeSWITCH's `switch_caller_profile_t`, the fields events show. */
export interface CallerProfile {
  direction: "inbound" | "outbound";
  logicalDirection: "inbound" | "outbound";
  username?: string;
  dialplan?: string;
  callerIdName?: string;
  callerIdNumber?: string;
  origCallerIdName?: string;
  origCallerIdNumber?: string;
  calleeIdName?: string;
  calleeIdNumber?: string;
  networkAddr?: string;
  ani?: string;
  aniii?: string;
  destinationNumber?: string;
  uuid: string;
  source?: string;
  transferSource?: string;
  context?: string;
  rdnis?: string;
  chanName: string;
  profileIndex?: string;
  times: ProfileTimes;
}

/** A zeroed time table stamped with `nowUs`. */
export function newTimes(nowUs: number): ProfileTimes {
  return {
    profileCreated: nowUs,
    created: nowUs,
    answered: 0,
    progress: 0,
    progressMedia: 0,
    hungup: 0,
    transferred: 0,
    resurrected: 0,
    bridged: 0,
    lastHold: 0,
    holdAccum: 0,
  };
}

/** Adds `<prefix>-*` headers in `switch_caller_profile_event_set_data`'s order. */
export function addProfileHeaders(ev: FsEvent, p: CallerProfile, prefix: string): void {
  const opt = (name: string, v: string | undefined) => {
    if (v) ev.add(`${prefix}-${name}`, v);
  };
  ev.add(`${prefix}-Direction`, p.direction);
  ev.add(`${prefix}-Logical-Direction`, p.logicalDirection);
  opt("Username", p.username);
  opt("Dialplan", p.dialplan);
  opt("Caller-ID-Name", p.callerIdName);
  opt("Caller-ID-Number", p.callerIdNumber);
  if (p.callerIdName) ev.add(`${prefix}-Orig-Caller-ID-Name`, p.origCallerIdName);
  if (p.callerIdNumber) ev.add(`${prefix}-Orig-Caller-ID-Number`, p.origCallerIdNumber);
  opt("Callee-ID-Name", p.calleeIdName);
  opt("Callee-ID-Number", p.calleeIdNumber);
  opt("Network-Addr", p.networkAddr);
  opt("ANI", p.ani);
  opt("ANI-II", p.aniii);
  opt("Destination-Number", p.destinationNumber);
  opt("Unique-ID", p.uuid);
  opt("Source", p.source);
  opt("Transfer-Source", p.transferSource);
  opt("Context", p.context);
  opt("RDNIS", p.rdnis);
  opt("Channel-Name", p.chanName);
  opt("Profile-Index", p.profileIndex);
  const t = p.times;
  ev.add(`${prefix}-Profile-Created-Time`, t.profileCreated);
  ev.add(`${prefix}-Channel-Created-Time`, t.created);
  ev.add(`${prefix}-Channel-Answered-Time`, t.answered);
  ev.add(`${prefix}-Channel-Progress-Time`, t.progress);
  ev.add(`${prefix}-Channel-Progress-Media-Time`, t.progressMedia);
  ev.add(`${prefix}-Channel-Hangup-Time`, t.hungup);
  ev.add(`${prefix}-Channel-Transfer-Time`, t.transferred);
  ev.add(`${prefix}-Channel-Resurrect-Time`, t.resurrected);
  ev.add(`${prefix}-Channel-Bridged-Time`, t.bridged);
  ev.add(`${prefix}-Channel-Last-Hold`, t.lastHold);
  ev.add(`${prefix}-Channel-Hold-Accum`, t.holdAccum);
  ev.add(`${prefix}-Screen-Bit`, "true");
  ev.add(`${prefix}-Privacy-Hide-Name`, "false");
  ev.add(`${prefix}-Privacy-Hide-Number`, "false");
}

/** A copy whose time table is shared by value, as `switch_caller_profile_clone`. */
export function cloneProfile(p: CallerProfile): CallerProfile {
  return { ...p, times: { ...p.times } };
}

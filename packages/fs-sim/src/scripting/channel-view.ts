import type { Session } from "../core/session.js";
import { stateName } from "../core/states.js";

/** A snapshot of one channel, for tests and tools. */
export interface ChannelInfo {
  uuid: string;
  name: string;
  direction: "inbound" | "outbound";
  /** Channel-State, e.g. `CS_EXECUTE`. */
  state: string;
  /** Channel-Call-State, e.g. `RINGING`, `ACTIVE`, `HANGUP`. */
  callState: string;
  /** `ringing` | `early` | `answered` | `hangup`. */
  answerState: string;
  /** The uuid of the leg this one is bridged to. */
  bridgedTo?: string;
  hangupCause?: string;
  destinationNumber?: string;
  callerIdNumber?: string;
  /** The directory user a `user/` leg rings. */
  dialedUser?: string;
  variables: Record<string, string>;
}

/** How a call ended. */
export interface CallResult {
  uuid: string;
  hangupCause: string;
  answered: boolean;
  /** The last leg it was bridged to, if any. */
  bridgedTo?: string;
  /** From creation to hangup, in simulated ms. */
  durationMs: number;
}

/** Builds a {@link ChannelInfo} from a live session. */
export function describe(s: Session): ChannelInfo {
  const ch = s.channel;
  const info: ChannelInfo = {
    uuid: ch.uuid,
    name: ch.name,
    direction: ch.direction,
    state: stateName(ch.runningState),
    callState: ch.callState,
    answerState: ch.answerState(),
    variables: Object.fromEntries(ch.vars),
  };
  if (s.partner) info.bridgedTo = s.partner;
  if (ch.hangupCause) info.hangupCause = ch.hangupCause;
  if (ch.profile?.destinationNumber) info.destinationNumber = ch.profile.destinationNumber;
  if (ch.profile?.callerIdNumber) info.callerIdNumber = ch.profile.callerIdNumber;
  const du = ch.getVar("dialed_user");
  if (du) info.dialedUser = du;
  return info;
}

/** Resolves with the call's result once its channel is destroyed. */
export async function resultOf(s: Session): Promise<CallResult> {
  const created = s.clock.now();
  let bridgedTo: string | undefined;
  let answered = false;
  const off = s.observe(() => {
    if (s.partner) bridgedTo = s.partner;
    if (s.channel.answered) answered = true;
  });
  await s.whenDestroyed();
  off();
  const r: CallResult = {
    uuid: s.uuid,
    hangupCause: s.channel.hangupCause ?? "NORMAL_CLEARING",
    answered: answered || s.channel.answered,
    durationMs: s.clock.now() - created,
  };
  const last = bridgedTo ?? s.channel.getVar("last_bridge_to");
  if (last) r.bridgedTo = last;
  return r;
}

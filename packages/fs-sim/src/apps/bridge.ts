import { ivrOriginate } from "../api/originate-engine.js";
import { multiThreadedBridge } from "../core/bridge.js";
import { cloneProfile } from "../core/caller-profile.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import { CAUSE_Q850 } from "../core/states.js";
import type { Endpoint } from "../endpoints/endpoint.js";

/** DIALSTATUS for a failed originate cause (mod_dptools). */
function dialStatus(cause: string): string {
  switch (cause) {
    case "USER_BUSY":
      return "BUSY";
    case "NO_ANSWER":
    case "NO_USER_RESPONSE":
      return "NOANSWER";
    case "ORIGINATOR_CANCEL":
      return "CANCEL";
    case "INVALID_NUMBER_FORMAT":
      return "INVALIDARGS";
    case "CALL_REJECTED":
      return "DONTCALL";
    default:
      return cause;
  }
}

/** Does a `continue_on_fail` / `failure_causes` list contain `cause` (by name or Q.850 code)? */
function listHas(list: string, cause: string): boolean {
  const code = String(CAUSE_Q850[cause] ?? "");
  return list
    .split(",")
    .map((x) => x.trim().toUpperCase())
    .some((x) => x === cause || (code !== "" && x === code));
}

/**
 * Whether a failed bridge keeps the caller up (mod_dptools' audio_bridge):
 * NO_ANSWER, NO_USER_RESPONSE and ORIGINATOR_CANCEL always do; otherwise
 * `continue_on_fail` (true or a cause list) or `failure_causes` decide.
 */
export function continuesAfterFailure(s: Session, cause: string): boolean {
  if (cause === "NO_ANSWER" || cause === "NO_USER_RESPONSE" || cause === "ORIGINATOR_CANCEL")
    return true;
  const failureCauses = s.channel.getVar("failure_causes");
  if (failureCauses) return !listHas(failureCauses, cause);
  const cof = s.channel.getVar("continue_on_fail");
  if (!cof) return false;
  if (s.varTrue("continue_on_fail")) return true;
  return listHas(cof, cause);
}

/** The `bridge` application. */
export function bridgeApp(core: SimCore, endpoints: ReadonlyMap<string, Endpoint>) {
  return async (a: Session, arg: string | undefined): Promise<void> => {
    const ach = a.channel;
    const legs: Session[] = [];
    const inherited = new Map<string, string>();
    for (const name of (ach.getVar("export_vars") ?? "").split(",").filter(Boolean)) {
      const v = a.data.get(`export:${name}`) ?? ach.getVar(name);
      if (typeof v === "string") inherited.set(name, v);
    }
    const outcome = await ivrOriginate({
      core,
      endpoints,
      dialString: arg ?? "",
      originator: a,
      inherited,
      callerIdName: ach.profile?.callerIdName,
      callerIdNumber: ach.profile?.callerIdNumber,
      timeoutSec: Number.parseInt(ach.getVar("call_timeout") ?? "", 10) || undefined,
      onLeg: (leg) => {
        legs.push(leg);
        // The caller's progress time is when a leg it called started ringing.
        const off = leg.observe(() => {
          if (!leg.channel.ringReady && !leg.channel.answered) return;
          off();
          const p = ach.profile;
          if (p && !p.times.progress) p.times.progress = Math.floor(core.clock.now() * 1000);
        });
        leg.channel.setVar("call_uuid", ach.uuid);
        const p = ach.profile;
        const lp = leg.channel.profile;
        if (p && lp) {
          lp.username = p.username;
          lp.dialplan = p.dialplan;
          lp.ani = p.ani;
          lp.context = p.context;
          lp.source = p.source;
        }
      },
    });
    const first = legs[0];
    const dialedUser = first?.data.get("dialed_user") as string | undefined;
    if (dialedUser) {
      ach.setVar("dialed_user", dialedUser);
      ach.setVar("dialed_domain", "127.0.0.1");
    }
    const legInfo = (s: Session) => {
      const p = s.channel.profile;
      return `${s.uuid};${p?.calleeIdName ?? ""};${p?.calleeIdNumber ?? ""}`;
    };
    if (!outcome.ok) {
      const cause = outcome.cause;
      if (first) {
        ach.setVar("originate_signal_bond", first.uuid);
        ach.setVar("originated_legs", legs.map(legInfo).join("|"));
        const status = first.channel.getVar("sip_invite_failure_status");
        if (status) {
          ach.setVar("sip_invite_failure_status", status);
          const phrase = first.channel.getVar("sip_invite_failure_phrase");
          ach.setVar("sip_invite_failure_phrase", phrase);
          ach.setVar("sip_hangup_phrase", phrase);
        }
        ach.setVar("last_bridge_hangup_cause", cause);
        const proto = first.channel.getVar("proto_specific_hangup_cause");
        if (proto) ach.setVar("last_bridge_proto_specific_hangup_cause", proto);
        ach.setVar(
          "originate_causes",
          legs.map((l) => `${l.uuid};${l.channel.hangupCause ?? cause}`).join("|"),
        );
      }
      ach.setVar("originate_disposition", cause);
      ach.setVar("DIALSTATUS", dialStatus(cause));
      ach.setVar("originate_failed_cause", cause);
      if (!continuesAfterFailure(a, cause)) a.hangup(cause);
      return;
    }
    const b = outcome.session;
    const bp = b.channel.profile;
    const info = legInfo(b);
    ach.setVar("originated_legs", `ARRAY::${info}|:${info}`);
    ach.setVar("switch_m_sdp", b.channel.getVar("switch_r_sdp"));
    ach.setVar("video_media_flow", "inactive");
    ach.setVar("text_media_flow", "inactive");
    ach.setVar("audio_media_flow", "sendrecv");
    ach.setVar("originate_causes", `ARRAY::${b.uuid};NONE|:${b.uuid};NONE`);
    ach.setVar("originate_disposition", "SUCCESS");
    ach.setVar("DIALSTATUS", "SUCCESS");
    if (!ach.answered) {
      a.hooks.onAnswer?.(a);
      a.markAnswered();
    }
    if (bp && ach.profile) {
      ach.profile.calleeIdName = bp.calleeIdName;
      ach.profile.calleeIdNumber = bp.calleeIdNumber;
      const other = cloneProfile(bp);
      other.logicalDirection = "inbound";
      other.profileIndex = undefined;
      ach.other = { type: "originatee", profile: other };
      b.channel.other = {
        type: "originator",
        profile: { ...cloneProfile(ach.profile), profileIndex: undefined },
      };
    }
    b.data.delete("originating");
    ach.setVar("signal_bond", b.uuid);
    await multiThreadedBridge(a, b);
    if (!a.ready) return;
    const bCause = b.channel.hangupCause;
    if (bCause && a.varTrue("hangup_after_bridge")) {
      a.hangup(bCause);
      return;
    }
    if (a.varTrue("park_after_bridge")) {
      a.parked = true;
    }
  };
}

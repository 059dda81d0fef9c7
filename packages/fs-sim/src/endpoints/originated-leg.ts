import type { CallerProfile } from "../core/caller-profile.js";
import { SRC } from "../core/channel.js";
import type { EndpointHooks, Session } from "../core/session.js";
import { CS } from "../core/states.js";
import { type LegRequest, setCodecs } from "./endpoint.js";

/** Options for {@link createOriginatedLeg}. */
export interface OriginatedLegOptions {
  name: string;
  hooks?: EndpointHooks;
  profile: Partial<CallerProfile>;
  /** Variables the endpoint sets before originate applies the dial-string ones. */
  endpointVars?: ReadonlyArray<[string, string]>;
  endpointName: string;
  /** False for legs that get codecs only when media is negotiated (sofia). */
  codecs?: boolean;
  /**
   * Replaces the default variable sequence (base variables, then the dial
   * string's) for endpoints whose order differs (sofia).
   */
  setVars?: (s: Session) => void;
}

/** `originate_early_media`: whether early media would end the originate. */
export function originateEarlyMedia(vars: ReadonlyMap<string, string>): string {
  const v = (vars.get("ignore_early_media") ?? "").toLowerCase();
  return v === "true" || v === "yes" || v === "1" ? "false" : "true";
}

/**
 * Creates an outbound leg the way `switch_core_session_outgoing_channel` and
 * `switch_ivr_originate` do: codecs, caller profile, base variables, CS_INIT,
 * origination_uuid (CHANNEL_UUID), CHANNEL_OUTGOING, then the dial-string
 * variables. The thread is not started yet.
 */
export function createOriginatedLeg(req: LegRequest, opts: OriginatedLegOptions): Session {
  const core = req.core;
  const s = core.newSession({ name: opts.name, direction: "outbound", hooks: opts.hooks });
  const ch = s.channel;
  s.data.set("originating", true);
  if (opts.codecs !== false) setCodecs(s);
  ch.profile = core.newProfile(s, {
    direction: "outbound",
    callerIdNumber: req.callerIdNumber ?? "0000000000",
    origCallerIdNumber: req.callerIdNumber ?? "0000000000",
    callerIdName: req.callerIdName,
    origCallerIdName: req.callerIdName,
    calleeIdName: "Outbound Call",
    calleeIdNumber: req.target,
    ani: req.callerIdNumber ?? "0000000000",
    destinationNumber: req.target,
    ...opts.profile,
  });
  if (!opts.setVars) {
    ch.setVar("direction", "outbound");
    ch.setVar("is_outbound", "true");
    ch.setVar("session_id", ch.sessionId);
    ch.setVar("read_codec", "L16");
    ch.setVar("read_rate", 8000);
    ch.setVar("write_codec", "L16");
    ch.setVar("write_rate", 8000);
    ch.setVar("channel_name", ch.name);
    ch.setVar("uuid", ch.uuid);
    ch.setVar("call_uuid", ch.uuid);
  }
  ch.state = CS.INIT;
  const wanted = req.vars.get("origination_uuid");
  if (wanted && wanted !== ch.uuid) {
    const old = ch.uuid;
    if (core.rekey(s, wanted)) {
      ch.setVar("uuid", wanted);
      ch.setVar("call_uuid", wanted);
      ch.fire("CHANNEL_UUID", SRC.uuid, (ev) => ev.add("Old-Unique-ID", old));
    }
  }
  ch.fire("CHANNEL_OUTGOING", SRC.outgoing);
  if (opts.setVars) {
    opts.setVars(s);
    return s;
  }
  for (const [k, v] of req.vars) ch.setVar(k, v);
  ch.setVar("originate_early_media", originateEarlyMedia(req.vars));
  ch.setVar("originate_endpoint", opts.endpointName);
  for (const [k, v] of opts.endpointVars ?? []) ch.setVar(k, v);
  return s;
}

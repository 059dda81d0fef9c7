import { SRC } from "../core/channel.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import { CS } from "../core/states.js";
import type { Endpoint } from "../endpoints/endpoint.js";
import type { ApiFunction } from "./api-registry.js";
import { splitArgs } from "./dial-string.js";
import { ivrOriginate } from "./originate-engine.js";

const USAGE =
  "-USAGE: <call url> <exten>|&<application_name>(<app_args>) [<dialplan>] [<context>] [<cid_name>] [<cid_num>] [<timeout_sec>]\n";

/** `switch_channel_flip_cid` after a successful originate: CALL_UPDATE. */
export function flipCid(s: Session): void {
  const ch = s.channel;
  const p = ch.profile;
  if (!p) return;
  let tmp: string | undefined;
  if (p.calleeIdName !== undefined) {
    tmp = p.callerIdName;
    ch.setVar("pre_transfer_caller_id_name", p.callerIdName);
    p.callerIdName = p.calleeIdName;
  }
  p.calleeIdName = ch.bridged ? "" : (tmp ?? "");
  tmp = undefined;
  if (p.calleeIdNumber !== undefined) {
    tmp = p.callerIdNumber;
    ch.setVar("pre_transfer_caller_id_number", p.callerIdNumber);
    p.callerIdNumber = p.calleeIdNumber;
  }
  p.calleeIdNumber = ch.bridged ? "" : (tmp ?? "");
  ch.setVar("channel_cid_flipped", "yes");
  ch.dialplan = true;
  ch.fire("CALL_UPDATE", SRC.callUpdate, (ev) => {
    ev.add("Direction", "RECV");
    ev.add("Bridged-To", s.partner);
  });
}

/** Endpoint work originate does on the winning leg (sofia: directory variables again). */
export function runAfterOriginate(s: Session): void {
  const after = s.data.get("afterOriginate");
  if (typeof after === "function") (after as (x: Session) => void)(s);
}

/** The `originate` API command. */
export function originateCommand(
  core: SimCore,
  endpoints: ReadonlyMap<string, Endpoint>,
): ApiFunction {
  return async (arg) => {
    const args = splitArgs(arg ?? "").map((a) => (a === "undef" ? "" : a));
    if (args.length < 2 || args.length > 7) return USAGE;
    const [dial, target, dialplan, context, cidName, cidNum, timeout] = args as string[];
    const outcome = await ivrOriginate({
      core,
      endpoints,
      dialString: dial ?? "",
      callerIdName: cidName || undefined,
      callerIdNumber: cidNum || undefined,
      timeoutSec: timeout ? Number.parseInt(timeout, 10) : undefined,
    });
    if (!outcome.ok) return `-ERR ${outcome.cause}\n`;
    const s = outcome.session;
    runAfterOriginate(s);
    flipCid(s);
    const t = target ?? "";
    const m = /^&([^(]+)\((.*)\)$/s.exec(t) ?? /^&(\S+)\s*(.*)$/s.exec(t);
    if (m) {
      s.extension = [{ app: m[1] as string, arg: m[2] || undefined }];
      s.data.delete("originating");
      s.setState(CS.EXECUTE);
    } else {
      const p = s.channel.profile;
      if (p) {
        p.destinationNumber = t;
        if (dialplan) p.dialplan = dialplan;
        if (context) p.context = context;
      }
      s.data.delete("originating");
      s.setState(CS.ROUTING);
    }
    return `+OK ${s.uuid}\n`;
  };
}

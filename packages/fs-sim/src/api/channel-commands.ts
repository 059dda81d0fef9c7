import { transferSession } from "../apps/media-apps.js";
import { formatLocal } from "../core/event-bus.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import { stateName } from "../core/states.js";
import type { ApiRegistry } from "./api-registry.js";

const SHOW_COLUMNS =
  "uuid,direction,created,created_epoch,name,state,cid_name,cid_num,ip_addr,dest,application,application_data,dialplan,context,read_codec,read_rate,read_bit_rate,write_codec,write_rate,write_bit_rate,secure,hostname,presence_id,presence_data,accountcode,callstate,callee_name,callee_num,callee_direction,call_uuid,sent_callee_name,sent_callee_num,initial_cid_name,initial_cid_num,initial_ip_addr,initial_dest,initial_dialplan,initial_context";

function showRow(s: Session, hostname: string): string {
  const ch = s.channel;
  const p = ch.profile;
  const created = p?.times.created ?? 0;
  const cells = [
    ch.uuid,
    ch.direction,
    formatLocal(created / 1000),
    String(Math.floor(created / 1e6)),
    ch.name,
    stateName(ch.runningState),
    p?.callerIdName ?? "",
    p?.callerIdNumber ?? "",
    p?.networkAddr ?? "",
    p?.destinationNumber ?? "",
    ch.getVar("current_application") ?? "",
    ch.getVar("current_application_data") ?? "",
    p?.dialplan ?? "",
    p?.context ?? "",
    ch.readCodec?.name ?? "",
    ch.readCodec ? String(ch.readCodec.rate) : "",
    ch.readCodec ? String(ch.readCodec.bitRate) : "",
    ch.writeCodec?.name ?? "",
    ch.writeCodec ? String(ch.writeCodec.rate) : "",
    ch.writeCodec ? String(ch.writeCodec.bitRate) : "",
    "",
    hostname,
    ch.getVar("presence_id") ?? "",
    "",
    ch.getVar("accountcode") ?? "",
    ch.callState,
    p?.calleeIdName ?? "",
    p?.calleeIdNumber ?? "",
    "",
    ch.getVar("call_uuid") ?? ch.uuid,
    "",
    "",
    p?.origCallerIdName ?? "",
    p?.origCallerIdNumber ?? "",
    p?.networkAddr ?? "",
    p?.destinationNumber ?? "",
    p?.dialplan ?? "",
    p?.context ?? "",
  ];
  return cells.join(",");
}

/** `switch_channel_mark_hold`: CHANNEL_HOLD / CHANNEL_UNHOLD and the HELD / ACTIVE call state. */
function setHold(s: Session, hold: boolean): void {
  const ch = s.channel;
  const now = Math.floor(s.clock.now() * 1000);
  s.data.set("held", hold);
  if (hold) {
    if (ch.profile) ch.profile.times.lastHold = now;
    s.data.set("hold_since", now);
    ch.fire("CHANNEL_HOLD", {
      file: "switch_channel.c",
      func: "switch_channel_perform_mark_hold",
      line: 1097,
    });
    ch.setCallState("HELD");
  } else {
    const since = (s.data.get("hold_since") as number | undefined) ?? now;
    if (ch.profile) ch.profile.times.holdAccum += now - since;
    ch.fire("CHANNEL_UNHOLD", {
      file: "switch_channel.c",
      func: "switch_channel_perform_mark_hold",
      line: 1097,
    });
    ch.setCallState("ACTIVE");
  }
}

/** Registers uuid_transfer, uuid_exists, uuid_hold and `show channels` / `show calls`. */
export function registerChannelCommands(api: ApiRegistry, core: SimCore, hostname: string): void {
  api.register("uuid_transfer", (arg) => {
    const words = (arg ?? "").trim().split(/\s+/).filter(Boolean);
    const usage = "-USAGE: <uuid> [-bleg|-both] <dest-exten> [<dialplan>] [<context>]\n";
    const uuid = words.shift();
    if (!uuid || words.length === 0) return usage;
    let which = "";
    if (words[0] === "-bleg" || words[0] === "-both") which = words.shift() as string;
    const [dest, dp, ctx] = words;
    if (!dest) return usage;
    const s = core.session(uuid);
    if (!s) return "-ERR No such channel!\n";
    const targets: Session[] = [];
    const partner = s.partner ? core.session(s.partner) : undefined;
    if (which !== "-bleg") targets.push(s);
    if (which && partner) targets.push(partner);
    for (const t of targets) transferSession(t, dest, dp, ctx);
    return "+OK\n";
  });
  api.register("uuid_exists", (arg) => (core.session((arg ?? "").trim()) ? "true" : "false"));
  api.register("uuid_hold", (arg) => {
    const words = (arg ?? "").trim().split(/\s+/).filter(Boolean);
    const mode = words[0] === "off" || words[0] === "toggle" ? (words.shift() as string) : "on";
    const uuid = words[0];
    if (!uuid) return "-USAGE: [off|toggle] <uuid> [<display>]\n";
    const s = core.session(uuid);
    if (!s?.ready) return "-ERR Operation failed\n";
    const held = s.data.get("held") === true;
    const hold = mode === "toggle" ? !held : mode === "on";
    if (hold === held) return "+OK Success\n";
    setHold(s, hold);
    return "+OK Success\n";
  });
  const show = (arg: string | undefined) => {
    const what = (arg ?? "").trim().split(/\s+/)[0] ?? "";
    if (what !== "channels" && what !== "calls") return "-USAGE: show channels|calls\n";
    const rows = core.all().filter((s) => !s.destroyed);
    const body = rows.map((s) => showRow(s, hostname)).join("\n");
    return `${SHOW_COLUMNS}\n${body}${body ? "\n" : ""}\n${rows.length} total.\n`;
  };
  api.register("show", show);
}

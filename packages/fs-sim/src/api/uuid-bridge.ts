import { multiThreadedBridge, stepProfile } from "../core/bridge.js";
import { cloneProfile } from "../core/caller-profile.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import { CS } from "../core/states.js";
import type { ApiRegistry } from "./api-registry.js";
import { flipCid } from "./originate-command.js";

const SOFT = { file: "switch_ivr_bridge.c", func: "uuid_bridge_on_soft_execute" };

/**
 * `switch_ivr_uuid_bridge`: interrupts both legs (they leave park through
 * CS_HIBERNATE), steps their caller profiles, cross-links Other-Leg data, and
 * lets the originator bridge from CS_SOFT_EXECUTE.
 */
export function uuidBridge(core: SimCore, a: Session, b: Session): boolean {
  const ach = a.channel;
  const bch = b.channel;
  if (ach.down || bch.down) return false;
  if (ach.direction === "outbound" && !ach.dialplan) flipCid(a);
  ach.dialplan = true;
  if (bch.direction === "outbound") bch.dialplan = false;
  ach.setVar("uuid_bridge", b.uuid);
  ach.setVar("bridge_channel", bch.name);
  ach.setVar("bridge_uuid", b.uuid);
  ach.setVar("signal_bond", b.uuid);
  bch.setVar("bridge_channel", ach.name);
  bch.setVar("bridge_uuid", a.uuid);
  bch.setVar("signal_bond", a.uuid);
  for (const s of [b, a]) {
    const p = s.channel.profile;
    s.channel.setVar("original_destination_number", p?.destinationNumber);
    s.channel.setVar("original_caller_id_name", p?.callerIdName);
    s.channel.setVar("original_caller_id_number", p?.callerIdNumber);
  }
  stepProfile(b);
  stepProfile(a);
  const ap = ach.profile;
  const bp = bch.profile;
  if (!ap || !bp) return false;
  if (ach.direction === "outbound") ap.logicalDirection = "inbound";
  const aClone = cloneProfile(ap);
  aClone.times = { ...aClone.times, profileCreated: 0, created: 0, answered: 0 };
  aClone.profileIndex = undefined;
  bch.other = { type: "originator", profile: aClone };
  const bClone = cloneProfile(bp);
  bClone.logicalDirection = "inbound";
  bClone.profileIndex = undefined;
  ach.other = { type: "originatee", profile: bClone };
  ap.calleeIdName = bp.calleeIdName;
  ap.calleeIdNumber = bp.calleeIdNumber;
  bp.callerIdName = ap.callerIdName;
  bp.callerIdNumber = ap.callerIdNumber;
  const epoch = Math.floor(core.clock.now() / 1000);
  for (const [s, other] of [
    [a, b],
    [b, a],
  ] as const) {
    const src = `${epoch}:${core.newUuid()}:uuid_br:${other.uuid}`;
    const p = s.channel.profile;
    if (p) p.transferSource = src;
    s.channel.setVar("transfer_history", src);
    s.channel.setVar("transfer_source", src);
  }
  a.data.set("uuid_bridge_peer", b.uuid);
  b.data.set("uuid_bridge_wait", true);
  a.setState(CS.HIBERNATE);
  b.setState(CS.HIBERNATE);
  return true;
}

/** The originator's CS_SOFT_EXECUTE: EXECUTE uuid_bridge on both legs, then the bridge. */
export async function uuidBridgeOnSoftExecute(a: Session): Promise<void> {
  const peer = a.data.get("uuid_bridge_peer") as string | undefined;
  a.data.delete("uuid_bridge_peer");
  const b = peer ? a.host.session(peer) : undefined;
  if (!b || b.channel.down) {
    a.hangup("DESTINATION_OUT_OF_ORDER");
    return;
  }
  a.channel.setVar("uuid_bridge", null);
  while (b.ready && b.channel.runningState !== CS.SOFT_EXECUTE) {
    await new Promise<void>((r) => {
      const off = b.observe(() => {
        off();
        r();
      });
    });
  }
  fireExecute(a, b, 1236);
  fireExecute(b, a, 1243);
  await multiThreadedBridge(a, b);
  afterBridge(a, b);
  const st = a.channel.state;
  if (st < CS.HANGUP && st !== CS.ROUTING && st !== CS.PARK) a.setState(CS.EXECUTE);
}

/**
 * The end of `switch_ivr_multi_threaded_bridge` for the originator, which
 * uuid_bridge goes through as well as the bridge app: once an answered far
 * end is gone, park_after_bridge parks the caller (`switch_ivr_park_session`:
 * CS_PARK), and hangup_after_bridge hangs it up with the far end's cause.
 */
function afterBridge(a: Session, b: Session): void {
  const st = a.channel.state;
  const peerAnswered = b.channel.answered;
  if (!a.ready) return;
  const inDialplan =
    st === CS.EXECUTE || st === CS.SOFT_EXECUTE || st === CS.PARK || st === CS.ROUTING;
  if (inDialplan && !peerAnswered) return;
  if (a.varTrue("park_after_bridge")) {
    a.setState(CS.PARK);
    return;
  }
  const hup = a.channel.getVar("hangup_after_bridge");
  if (hup === "explicit" || (peerAnswered && a.varTrue("hangup_after_bridge"))) {
    a.hangup(b.channel.hangupCause ?? "NORMAL_CLEARING");
  }
}

function fireExecute(s: Session, other: Session, line: number): void {
  const ev = s.channel.event("CHANNEL_EXECUTE", { ...SOFT, line });
  ev.add("Application", "uuid_bridge");
  ev.add("Application-Data", other.uuid);
  s.host.bus.fire(ev);
}

/** Registers `uuid_bridge`. */
export function registerUuidBridge(api: ApiRegistry, core: SimCore): void {
  api.register("uuid_bridge", (arg) => {
    const [ua, ub] = (arg ?? "").trim().split(/\s+/).filter(Boolean);
    if (!ua || !ub) return "-USAGE: <uuid> <other_uuid>\n";
    const a = core.session(ua);
    const b = core.session(ub);
    if (!a || !b || !uuidBridge(core, a, b)) return "-ERR Invalid uuid\n";
    return `+OK ${ub}\n`;
  });
}

import { cloneProfile } from "./caller-profile.js";
import type { Session } from "./session.js";
import { CS } from "./states.js";

const SRC_BRIDGE = {
  file: "switch_ivr_bridge.c",
  func: "switch_ivr_multi_threaded_bridge",
  line: 1689,
};
const SRC_UNBRIDGE = { ...SRC_BRIDGE, line: 1879 };

/** Options for {@link multiThreadedBridge}. */
export interface BridgeOptions {
  /** Variables FS sets on both legs before CHANNEL_BRIDGE. */
  onBridged?: () => void;
}

/**
 * `switch_ivr_multi_threaded_bridge` from the A leg's thread: marks both
 * legs bridged, fires CHANNEL_BRIDGE on A, waits until either leg goes down
 * (or A is told to stop), then fires CHANNEL_UNBRIDGE on A. The B leg sits
 * in CS_EXCHANGE_MEDIA meanwhile and, when the bridge ends with B still up,
 * is hung up with NORMAL_CLEARING (audio_bridge_on_exchange_media) unless
 * park_after_bridge / transfer_after_bridge say otherwise.
 */
export async function multiThreadedBridge(
  a: Session,
  b: Session,
  opts: BridgeOptions = {},
): Promise<void> {
  const ach = a.channel;
  const bch = b.channel;
  const nowUs = Math.floor(a.clock.now() * 1000);
  a.partner = b.uuid;
  b.partner = a.uuid;
  ach.bridged = true;
  ach.bridgeOriginator = true;
  bch.bridged = true;
  if (ach.profile) ach.profile.times.bridged = nowUs;
  if (bch.profile) bch.profile.times.bridged = nowUs;
  b.data.set("bridge_peer", a.uuid);
  bch.setVar("call_uuid", a.uuid);
  b.setState(CS.EXCHANGE_MEDIA);
  opts.onBridged?.();
  ach.fire("CHANNEL_BRIDGE", SRC_BRIDGE, (ev) => {
    ev.add("Bridge-A-Unique-ID", a.uuid);
    ev.add("Bridge-B-Unique-ID", b.uuid);
  });
  const stop = () => bch.down || a.data.get("bridge_stop") === true;
  const unobserve = b.observe(() => a.kick());
  while (a.ready && !stop()) {
    await a.mediaWait(undefined, { until: stop, parse: false });
    a.breakRequested = false;
  }
  a.data.delete("bridge_stop");
  // The B side leaves the bridge first (and hangs up if it must) before A reports UNBRIDGE.
  b.data.set("bridge_done", true);
  b.kick();
  while (!bch.down && bch.state === CS.EXCHANGE_MEDIA && !b.destroyed) {
    await new Promise<void>((r) => {
      const off = b.observe(() => {
        off();
        r();
      });
    });
  }
  unobserve();
  const bp = bch.profile;
  // Variables the far end's hangup left on A are re-set after the bridge's own, as FS shows them.
  const phrase = ach.getVar("sip_hangup_phrase");
  const lastCause = ach.getVar("last_bridge_hangup_cause");
  const lastProto = ach.getVar("last_bridge_proto_specific_hangup_cause");
  ach.setVar("last_bridge_to", b.uuid);
  ach.setVar("bridge_channel", bch.name);
  ach.setVar("bridge_uuid", b.uuid);
  ach.setVar("signal_bond", b.uuid);
  ach.setVar("last_sent_callee_id_name", bp?.calleeIdName || bp?.calleeIdNumber);
  ach.setVar("last_sent_callee_id_number", bp?.calleeIdNumber);
  if (phrase) ach.setVar("sip_hangup_phrase", phrase);
  if (lastCause) ach.setVar("last_bridge_hangup_cause", lastCause);
  if (lastProto) ach.setVar("last_bridge_proto_specific_hangup_cause", lastProto);
  if (ach.down) ach.setVar("last_bridge_role", "originator");
  if (bch.hangupCause) ach.setVar("bridge_hangup_cause", bch.hangupCause);
  ach.fire("CHANNEL_UNBRIDGE", SRC_UNBRIDGE, (ev) => {
    ev.add("Bridge-A-Unique-ID", a.uuid);
    ev.add("Bridge-B-Unique-ID", b.uuid);
  });
  ach.bridged = false;
  ach.bridgeOriginator = false;
  a.partner = undefined;
}

/**
 * The B leg's side of a bridge (CS_EXCHANGE_MEDIA): waits for the bridge to
 * end, then hangs up unless told where to go.
 */
export async function exchangeMedia(b: Session): Promise<void> {
  const a = b.host.session(b.data.get("bridge_peer") as string);
  const over = () => b.data.get("bridge_done") === true || !a || a.channel.down;
  while (b.ready && !over()) {
    await b.mediaWait(undefined, { until: over, parse: false });
    b.breakRequested = false;
  }
  b.data.delete("bridge_done");
  const bch = b.channel;
  if (a) {
    const ap = a.channel.profile;
    const lastCause = bch.getVar("last_bridge_hangup_cause");
    bch.setVar("last_bridge_to", a.uuid);
    bch.setVar("bridge_channel", a.channel.name);
    bch.setVar("bridge_uuid", a.uuid);
    bch.setVar("signal_bond", a.uuid);
    bch.setVar("last_sent_callee_id_name", ap?.callerIdName || ap?.callerIdNumber);
    bch.setVar("last_sent_callee_id_number", ap?.callerIdNumber);
    if (lastCause) bch.setVar("last_bridge_hangup_cause", lastCause);
  }
  bch.bridged = false;
  b.partner = undefined;
  if (!b.ready || bch.state !== CS.EXCHANGE_MEDIA) return;
  if (b.varTrue("park_after_bridge")) {
    b.extension = [{ app: "park" }];
    b.setState(CS.EXECUTE);
    return;
  }
  b.hangup(bch.answered ? "NORMAL_CLEARING" : "ORIGINATOR_CANCEL");
}

/** `switch_channel_step_caller_profile`: a fresh profile (index + 1) keeping the times. */
export function stepProfile(s: Session): void {
  const ch = s.channel;
  const p = ch.profile;
  if (!p) return;
  const nowUs = Math.floor(s.clock.now() * 1000);
  const next = cloneProfile(p);
  p.times.transferred = nowUs;
  next.profileIndex = String((Number.parseInt(p.profileIndex ?? "1", 10) || 1) + 1);
  next.times = { ...p.times, profileCreated: nowUs, transferred: 0 };
  ch.profile = next;
}

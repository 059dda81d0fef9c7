import { stepProfile } from "../core/bridge.js";
import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import { CS } from "../core/states.js";
import { playAndGetDigits } from "./digits.js";
import { playFile } from "./playback.js";

/** Rough speaking time of a TTS text (about 15 characters a second). */
function speechMs(text: string): number {
  return Math.max(500, Math.round(text.length * 65));
}

/** `speak <engine>|<voice>|<text>`: the channel is busy for the speech's duration. */
async function speak(s: Session, arg: string | undefined): Promise<void> {
  const parts = (arg ?? "").split("|");
  const text = parts.length >= 3 ? parts.slice(2).join("|") : (parts[parts.length - 1] ?? "");
  if (!s.channel.answered && !s.channel.earlyMedia) {
    s.hooks.onPreAnswer?.(s);
    s.markPreAnswered();
  }
  await s.mediaWait(speechMs(text), { until: () => s.dtmf.length > 0 });
  s.breakRequested = false;
}

/**
 * `voicemail [check] [auth] <profile> <domain> [<id>]`: plays the greeting and
 * a beep, then records until the caller hangs up, presses #, or
 * vm_max_record_len (default 60 s) runs out; fires RECORD_START/STOP and
 * mod_voicemail's `vm::maintenance` leave-message event.
 */
async function voicemail(s: Session, arg: string | undefined): Promise<void> {
  const words = (arg ?? "").split(/\s+/).filter(Boolean);
  const rest = words.filter((w) => w !== "check" && w !== "auth");
  const [profile = "default", domain = "127.0.0.1", id = ""] = rest;
  const ch = s.channel;
  if (!ch.answered) {
    s.hooks.onAnswer?.(s);
    s.markAnswered();
  }
  if (words[0] === "check") {
    await playFile(s, "voicemail/vm-enter_id.wav");
    return;
  }
  const greeting = await playFile(s, `voicemail/vm-person.wav`, {
    stopOn: () => s.dtmf.length > 0,
  });
  if (greeting === "hangup") return;
  s.dtmf.length = 0;
  await playFile(s, "tone_stream://%(1000,0,640)");
  const path = `/var/lib/freeswitch/storage/voicemail/${profile}/${domain}/${id}/msg_${s.uuid}.wav`;
  const start = ch.event("RECORD_START", {
    file: "switch_ivr_async.c",
    func: "record_callback",
    line: 1240,
  });
  start.add("Record-File-Path", path);
  s.host.bus.fire(start);
  const maxMs = (Number.parseInt(ch.getVar("vm_max_record_len") ?? "", 10) || 60) * 1000;
  const began = s.clock.now();
  await s.mediaWait(maxMs, { until: () => s.dtmf.includes("#") });
  s.dtmf.length = 0;
  const seconds = Math.floor((s.clock.now() - began) / 1000);
  const stop = ch.event("RECORD_STOP", {
    file: "switch_ivr_async.c",
    func: "record_callback",
    line: 1300,
  });
  stop.add("Record-File-Path", path);
  stop.add("Record-Completion-Cause", s.ready ? "success-maxtime" : "no-input-timeout");
  s.host.bus.fire(stop);
  ch.setVar("voicemail_message_len", seconds);
  const vm = s.host.bus.create(
    "CUSTOM",
    { file: "mod_voicemail.c", func: "deliver_vm", line: 3418 },
    "vm::maintenance",
  );
  vm.add("VM-Action", "leave-message");
  vm.add("VM-User", id);
  vm.add("VM-Domain", domain);
  vm.add("VM-Caller-ID-Name", ch.profile?.callerIdName ?? "");
  vm.add("VM-Caller-ID-Number", ch.profile?.callerIdNumber ?? "");
  vm.add("VM-File-Path", path);
  vm.add("VM-Message-Len", seconds);
  vm.add("VM-UUID", s.uuid);
  ch.addData(vm);
  s.host.bus.fire(vm);
  if (s.ready) await playFile(s, "voicemail/vm-goodbye.wav");
}

/**
 * `switch_ivr_session_transfer`: a new caller-profile step aimed at `ext`,
 * then CS_ROUTING runs the dialplan again.
 */
export function transferSession(
  s: Session,
  ext: string,
  dialplan?: string,
  context?: string,
): void {
  const ch = s.channel;
  stepProfile(s);
  const p = ch.profile;
  if (p) {
    const src = `${Math.floor(s.clock.now() / 1000)}:${s.host.newUuid()}:bl_xfer:${ext}/${context ?? p.context ?? "default"}/${dialplan ?? p.dialplan ?? "XML"}`;
    p.destinationNumber = ext;
    if (dialplan) p.dialplan = dialplan;
    if (context) p.context = context;
    p.transferSource = src;
    ch.setVar("transfer_history", src);
    ch.setVar("transfer_source", src);
  }
  ch.setVar("max_forwards", null);
  s.data.delete("originating");
  s.parked = false;
  s.setState(CS.ROUTING);
}

/** Registers play_and_get_digits, speak, voicemail, transfer and echo. */
export function registerMediaApps(core: SimCore): void {
  core.registerApp("play_and_get_digits", playAndGetDigits);
  core.registerApp("speak", speak);
  core.registerApp("voicemail", voicemail);
  core.registerApp("transfer", async (s, arg) => {
    const [ext, dp, ctx] = (arg ?? "").split(/\s+/);
    if (ext) transferSession(s, ext, dp, ctx);
  });
  core.registerApp("echo", async (s) => {
    await s.mediaWait(undefined);
  });
}

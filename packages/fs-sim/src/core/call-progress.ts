import { SRC } from "./channel.js";
import type { Session } from "./session.js";

/** `switch_channel_perform_mark_answered`. */
export function markAnswered(s: Session): boolean {
  const ch = s.channel;
  if (ch.down) return false;
  if (ch.answered) return true;
  if (ch.profile) ch.profile.times.answered = Math.floor(s.clock.now() * 1000);
  ch.answered = true;
  ch.fire("CHANNEL_ANSWER", SRC.answer);
  ch.setVar("endpoint_disposition", "ANSWER");
  ch.setCallState("ACTIVE");
  s.kick();
  return true;
}

/** `switch_channel_perform_mark_pre_answered`: early media. */
export function markPreAnswered(s: Session): boolean {
  const ch = s.channel;
  if (ch.down) return false;
  if (ch.earlyMedia || ch.answered) return true;
  if (ch.profile) ch.profile.times.progressMedia = Math.floor(s.clock.now() * 1000);
  ch.earlyMedia = true;
  ch.setVar("endpoint_disposition", "EARLY MEDIA");
  ch.fire("CHANNEL_PROGRESS_MEDIA", SRC.preAnswer);
  ch.setCallState("EARLY");
  s.kick();
  return true;
}

/** `switch_channel_perform_mark_ring_ready`: 180 Ringing. */
export function markRingReady(s: Session): boolean {
  const ch = s.channel;
  if (ch.down) return false;
  if (ch.ringReady) return true;
  if (ch.profile && !ch.profile.times.progress) {
    ch.profile.times.progress = Math.floor(s.clock.now() * 1000);
  }
  ch.ringReady = true;
  ch.fire("CHANNEL_PROGRESS", SRC.ringReady);
  if (ch.direction === "outbound") ch.setCallState("RINGING");
  s.kick();
  return true;
}

/** Digits from the far end: a DTMF event each, queued for the running application. */
export function receiveDtmf(s: Session, digits: string): void {
  for (const d of digits) {
    const ev = s.host.bus.create("DTMF", {
      file: "switch_channel.c",
      func: "switch_channel_queue_dtmf",
      line: 549,
    });
    s.channel.addData(ev);
    ev.add("DTMF-Digit", d);
    ev.add("DTMF-Duration", 2000);
    ev.add("DTMF-Source", "RTP");
    s.host.bus.fire(ev);
    s.dtmf.push(d);
    const dialed = (s.data.get("digits_dialed") as string | undefined) ?? "";
    s.data.set("digits_dialed", dialed + d);
  }
  s.kick();
}

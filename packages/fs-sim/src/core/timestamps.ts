import { formatLocal } from "./event-bus.js";
import type { Session } from "./session.js";
import { CAUSE_Q850 } from "./states.js";

/**
 * What FreeSWITCH's hangup state writes into the channel's variables:
 * hangup_cause(_q850) and `switch_channel_set_timestamps`' CDR fields, in
 * its order.
 */
export function setHangupVariables(session: Session): void {
  const ch = session.channel;
  const cause = ch.hangupCause ?? "NORMAL_CLEARING";
  const code = CAUSE_Q850[cause] ?? 16;
  ch.setVar("hangup_cause", cause);
  ch.setVar("hangup_cause_q850", code > 127 ? 16 : code);
  const p = ch.profile;
  if (!p) return;
  ch.setVar("digits_dialed", (session.data.get("digits_dialed") as string | undefined) ?? "none");
  const t = p.times;
  const stamp = (us: number) => formatLocal(us / 1000);
  ch.setVar("start_stamp", stamp(t.created));
  ch.setVar("profile_start_stamp", stamp(t.profileCreated));
  if (t.answered) ch.setVar("answer_stamp", stamp(t.answered));
  if (t.bridged) ch.setVar("bridge_stamp", stamp(t.bridged));
  if (t.lastHold) ch.setVar("hold_stamp", stamp(t.lastHold));
  if (t.resurrected) ch.setVar("resurrect_stamp", stamp(t.resurrected));
  if (t.progress) ch.setVar("progress_stamp", stamp(t.progress));
  if (t.progressMedia) ch.setVar("progress_media_stamp", stamp(t.progressMedia));
  ch.setVar("end_stamp", stamp(t.hungup));
  const sec = (us: number) => Math.floor(us / 1_000_000);
  const ms = (us: number) => Math.floor(us / 1000);
  const pair = (name: string, us: number) => {
    ch.setVar(`${name}_epoch`, sec(us));
    ch.setVar(`${name}_uepoch`, us);
  };
  pair("start", t.created);
  pair("profile_start", t.profileCreated);
  pair("answer", t.answered);
  pair("bridge", t.bridged);
  pair("last_hold", t.lastHold);
  ch.setVar("hold_accum_seconds", sec(t.holdAccum));
  ch.setVar("hold_accum_usec", t.holdAccum);
  ch.setVar("hold_accum_ms", ms(t.holdAccum));
  pair("resurrect", t.resurrected);
  pair("progress", t.progress);
  pair("progress_media", t.progressMedia);
  pair("end", t.hungup);

  const diff = (a: number, b: number, f: (x: number) => number) => (a ? f(a) - f(b) : 0);
  const created = t.created;
  const hung = t.hungup;
  const bridgedAfter = t.bridged > t.created;
  const waitsec = bridgedAfter ? sec(t.bridged) - sec(created) : 0;
  const waitmsec = bridgedAfter ? ms(t.bridged) - ms(created) : 0;
  const waitusec = bridgedAfter ? t.bridged - created : 0;
  const bill = (f: (x: number) => number) => (t.answered ? f(hung) - f(t.answered) : 0);
  const legbill = (f: (x: number) => number) => (t.answered ? f(hung) - f(created) : 0);
  const answer = (f: (x: number) => number) => (t.answered ? f(t.answered) - f(created) : 0);
  const id = (x: number) => x;

  if (ch.lastApp) {
    ch.setVar("last_app", ch.lastApp.app);
    ch.setVar("last_arg", ch.lastApp.arg);
  }
  ch.setVar(
    "caller_id",
    p.callerIdName ? `"${p.callerIdName}" <${p.callerIdNumber ?? ""}>` : p.callerIdNumber,
  );
  ch.setVar("duration", sec(hung) - sec(created));
  ch.setVar("billsec", bill(sec));
  ch.setVar("progresssec", diff(t.progress, created, sec));
  ch.setVar("answersec", answer(sec));
  ch.setVar("waitsec", waitsec);
  ch.setVar("progress_mediasec", diff(t.progressMedia, created, sec));
  ch.setVar("flow_billsec", legbill(sec));
  ch.setVar("mduration", ms(hung) - ms(created));
  ch.setVar("billmsec", bill(ms));
  ch.setVar("progressmsec", diff(t.progress, created, ms));
  ch.setVar("answermsec", answer(ms));
  ch.setVar("waitmsec", waitmsec);
  ch.setVar("progress_mediamsec", diff(t.progressMedia, created, ms));
  ch.setVar("flow_billmsec", legbill(ms));
  ch.setVar("uduration", hung - created);
  ch.setVar("billusec", bill(id));
  ch.setVar("progressusec", diff(t.progress, created, id));
  ch.setVar("answerusec", answer(id));
  ch.setVar("waitusec", waitusec);
  ch.setVar("progress_mediausec", diff(t.progressMedia, created, id));
  ch.setVar("flow_billusec", legbill(id));
}

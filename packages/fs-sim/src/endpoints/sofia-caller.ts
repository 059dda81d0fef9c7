import type { Session } from "../core/session.js";
import type { SimCore } from "../core/sim-core.js";
import { CS } from "../core/states.js";
import { answerSdp, phoneSdp, rtpPort, sipTag, ssrc } from "./sip-values.js";
import { playedMs, remoteBye, sofiaOutbound, writeRtpStats } from "./sofia-leg.js";

/** A scripted caller reaching the switch over SIP (the external profile). */
export interface CallerSpec {
  /** Caller-ID number (and SIP user). */
  from: string;
  /** Caller-ID name (default "Caller"). */
  fromName?: string;
  /** The number dialled. */
  to: string;
  /** The caller hangs up (BYE) this long after the call starts; default never. */
  hangupAfterMs?: number;
  /**
   * The caller hangs up (BYE) once it has heard this much audio from the
   * switch (prompts, announcements, hold music), however long the switch took
   * to start playing: a caller who gives up after so long in the queue.
   */
  hangupAfterHeardMs?: number;
  /** DTMF the caller presses, `at` ms after the call starts. */
  dtmf?: Array<{ at: number; digits: string }>;
  /** Dialplan context (default "public", as calls to the external profile). */
  context?: string;
  /**
   * The sofia profile the call arrives on: "external" (a caller from outside,
   * context public, the default) or "internal" (a registered phone placing a
   * call: context default, Caller-Username = the user).
   */
  profile?: "external" | "internal";
  /** SIP port of the caller (shows in Channel-Name); default 5072. */
  port?: number;
  /**
   * Custom `X-` headers of the INVITE. As mod_sofia does, each becomes the
   * channel variable `sip_h_<name>` (`X-Ringflow-Draft` → `sip_h_X-Ringflow-Draft`).
   */
  headers?: Readonly<Record<string, string>>;
}

let callSeq = 30990;

/**
 * Creates the inbound leg a SIP call to the switch produces (mod_sofia's
 * variables in their real order) and starts it: it runs the dialplan for
 * `to`. Scripted BYE and DTMF follow the spec.
 */
export function placeSofiaCall(core: SimCore, spec: CallerSpec): Session {
  const port = spec.port ?? 5072;
  const profile = spec.profile ?? "external";
  const sipPort = profile === "internal" ? 5060 : 5080;
  const host = "127.0.0.1";
  const name = spec.fromName ?? "Caller";
  const s = core.newSession({
    name: `sofia/${profile}/${spec.from}@${host}:${port}`,
    direction: "inbound",
    hooks: {
      onInit: (x) => x.setState(CS.ROUTING),
      onPreAnswer: (x) => negotiate(x),
      onAnswer: (x) => {
        negotiate(x);
        // The caller's ACK refreshes the dialog variables once the 200 OK is out.
        x.clock.setTimeout(() => refreshDialog(x), 20);
      },
      onMediaStart: (x, startedAt) => {
        if (spec.hangupAfterHeardMs === undefined) return undefined;
        const due = startedAt + Math.max(0, spec.hangupAfterHeardMs - playedMs(x));
        const timer = x.clock.setTimeout(() => remoteBye(x, due), due - x.clock.now());
        return () => timer.cancel();
      },
      onReporting: (x) => {
        sofiaOutbound.localHangup(x);
        if (x.data.get("sip_media")) {
          const since = (x.data.get("media_at") as number | undefined) ?? x.clock.now();
          writeRtpStats(x.channel, x.clock.now() - since, playedMs(x));
        }
      },
    },
  });
  const ch = s.channel;
  const seq = ++callSeq;
  const st = {
    callId: `1-${seq}@${host}`,
    fromTag: `${seq}SIPpTag001`,
    toTag: sipTag(),
    branch: `z9hG4bK-${seq}-1-0`,
    remotePort: rtpPort(),
    localPort: rtpPort(),
    ssrc: ssrc(),
  };
  s.data.set("sip_in", st);
  ch.profile = core.newProfile(s, {
    direction: "inbound",
    username: spec.from,
    dialplan: "XML",
    callerIdName: name,
    callerIdNumber: spec.from,
    origCallerIdName: name,
    origCallerIdNumber: spec.from,
    networkAddr: host,
    ani: spec.from,
    destinationNumber: spec.to,
    source: "mod_sofia",
    context: spec.context ?? (profile === "internal" ? "default" : "public"),
  });
  const v = (k: string, val: string | number) => ch.setVar(k, val);
  v("direction", "inbound");
  v("uuid", ch.uuid);
  v("session_id", ch.sessionId);
  v("sip_from_user", spec.from);
  v("sip_from_port", port);
  v("sip_from_uri", `${spec.from}@${host}:${port}`);
  v("sip_from_host", host);
  v("video_media_flow", "disabled");
  v("audio_media_flow", "disabled");
  v("text_media_flow", "disabled");
  v("channel_name", ch.name);
  v("sip_call_id", st.callId);
  v("sip_local_network_addr", host);
  v("sip_network_ip", host);
  v("sip_network_port", port);
  v("sip_invite_stamp", Math.floor(core.clock.now() * 1000));
  v("sip_received_ip", host);
  v("sip_received_port", port);
  v("sip_via_protocol", "udp");
  v("sip_from_user_stripped", spec.from);
  v("sip_from_tag", st.fromTag);
  v("sofia_profile_name", profile);
  v("sofia_profile_url", `sip:mod_sofia@127.0.0.1:${sipPort}`);
  v("recovery_profile_name", profile);
  v("sip_full_via", `SIP/2.0/UDP ${host}:${port};branch=${st.branch}`);
  v("sip_from_display", name);
  v("sip_full_from", `"${name}" <sip:${spec.from}@${host}:${port}>;tag=${st.fromTag}`);
  v("sip_full_to", `<sip:${spec.to}@127.0.0.1:${sipPort}>`);
  v("sip_req_user", spec.to);
  v("sip_req_port", sipPort);
  v("sip_req_uri", `${spec.to}@127.0.0.1:${sipPort}`);
  v("sip_req_host", "127.0.0.1");
  v("sip_to_user", spec.to);
  v("sip_to_port", sipPort);
  v("sip_to_uri", `${spec.to}@127.0.0.1:${sipPort}`);
  v("sip_to_host", "127.0.0.1");
  v("sip_contact_user", spec.from);
  v("sip_contact_port", port);
  v("sip_contact_uri", `${spec.from}@${host}:${port}`);
  v("sip_contact_host", host);
  for (const [header, value] of Object.entries(spec.headers ?? {})) {
    if (!/^X-/i.test(header))
      throw new Error(`only X- headers become channel variables: ${header}`);
    v(`sip_h_${header}`, value);
  }
  v("rtp_use_codec_string", "OPUS,PCMU,PCMA");
  v("sip_via_host", host);
  v("sip_via_port", port);
  v("max_forwards", 70);
  v("switch_r_sdp", phoneSdp(st.remotePort).replace(/\n/g, "\r\n"));
  v("ep_codec_string", "CORE_PCM_MODULE.PCMU@8000h@20i@64000b");
  v("endpoint_disposition", "DELAYED NEGOTIATION");
  ch.state = CS.INIT;
  core.launch(s);
  // `fn` gets the simulated instant it was due, however late the timer fired.
  const at = (ms: number, fn: (due: number) => void) => {
    const due = core.clock.now() + ms;
    core.clock.setTimeout(() => {
      if (s.ready) fn(due);
    }, ms);
  };
  if (spec.hangupAfterMs !== undefined) at(spec.hangupAfterMs, (due) => remoteBye(s, due));
  for (const d of spec.dtmf ?? []) at(d.at, () => s.receiveDtmf(d.digits));
  return s;
}

/** Answer or pre-answer of an inbound SIP leg: the offered PCMU is accepted. */
function negotiate(s: Session): void {
  if (s.data.get("sip_media")) return;
  s.data.set("sip_media", true);
  s.data.set("media_at", s.clock.now());
  const ch = s.channel;
  const st = s.data.get("sip_in") as { localPort: number; remotePort: number; ssrc: number };
  for (const k of ["audio_media_flow", "rtp_use_codec_string", "endpoint_disposition"])
    ch.setVar(k, null);
  const v = (k: string, val: string | number) => ch.setVar(k, val);
  v("rtp_use_codec_string", "OPUS,PCMU,PCMA");
  v("remote_video_media_flow", "inactive");
  v("remote_text_media_flow", "inactive");
  v("remote_audio_media_flow", "sendrecv");
  v("audio_media_flow", "sendrecv");
  v("rtp_audio_recv_pt", 0);
  v("rtp_use_codec_name", "PCMU");
  v("rtp_use_codec_rate", 8000);
  v("rtp_use_codec_ptime", 20);
  v("rtp_use_codec_channels", 1);
  v("rtp_last_audio_codec_string", "PCMU@8000h@20i@1c");
  v("read_codec", "PCMU");
  v("original_read_codec", "PCMU");
  v("read_rate", 8000);
  v("original_read_rate", 8000);
  v("write_codec", "PCMU");
  v("write_rate", 8000);
  v("dtmf_type", "rfc2833");
  v("local_media_ip", "127.0.0.1");
  v("local_media_port", st.localPort);
  v("advertised_media_ip", "127.0.0.1");
  v("rtp_use_timer_name", "soft");
  v("rtp_use_pt", 0);
  v("rtp_use_ssrc", st.ssrc);
  v("rtp_2833_send_payload", 101);
  v("rtp_2833_recv_payload", 101);
  v("remote_media_ip", "127.0.0.1");
  v("remote_media_port", st.remotePort);
  const pcmu = { name: "PCMU", rate: 8000, bitRate: 64000 };
  ch.readCodec = pcmu;
  ch.writeCodec = pcmu;
  if (!ch.earlyMedia && !ch.answered) {
    s.markPreAnswered();
  }
  if (!ch.getVar("rtp_local_sdp_str")) {
    ch.setVar("rtp_local_sdp_str", answerSdp(Math.floor(s.clock.now() / 1000), st.localPort));
  }
}

function refreshDialog(s: Session): void {
  const ch = s.channel;
  if (!s.ready) return;
  const st = s.data.get("sip_in") as {
    callId: string;
    fromTag: string;
    toTag: string;
    branch: string;
  };
  const from = ch.getVar("sip_full_from");
  const display = ch.getVar("sip_from_display");
  const to = ch.getVar("sip_full_to");
  const via = (ch.getVar("sip_full_via") ?? "").replace(/-0$/, "-5");
  for (const k of [
    "sip_call_id",
    "sip_from_tag",
    "sip_full_via",
    "sip_from_display",
    "sip_full_from",
    "sip_full_to",
  ]) {
    ch.setVar(k, null);
  }
  ch.setVar("sip_to_tag", st.toTag);
  ch.setVar("sip_from_tag", st.fromTag);
  ch.setVar("sip_cseq", 1);
  ch.setVar("sip_call_id", st.callId);
  ch.setVar("sip_full_via", via);
  ch.setVar("sip_from_display", display);
  ch.setVar("sip_full_from", from);
  ch.setVar("sip_full_to", `${to};tag=${st.toTag}`);
}

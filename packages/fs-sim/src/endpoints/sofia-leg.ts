import type { Channel } from "../core/channel.js";
import type { Session } from "../core/session.js";
import { localSdp, phoneSdp, rtpPort, sipCallId, sipTag, ssrc } from "./sip-values.js";

/** Where a simulated SIP phone is registered. */
export interface SipContact {
  user: string;
  domain: string;
  host: string;
  port: number;
}

/** Per-leg SIP state kept between the stages. */
interface SipState {
  contact: SipContact;
  callId: string;
  fromTag: string;
  toTag: string;
  branch: string;
  cseq: number;
  localPort: number;
  remotePort: number;
  ssrc: number;
  answeredAt?: number;
}

const PCMU = { name: "PCMU", rate: 8000, bitRate: 64000 };

function state(s: Session): SipState {
  return s.data.get("sip") as SipState;
}

/**
 * The variables mod_sofia sets on an outbound INVITE leg, stage by stage, in
 * the order a real 1.10.12 shows them (CHANNEL_CREATE, 180, 200/183, 486,
 * BYE). Values that differ per call (tags, ports, Call-ID) are fresh.
 */
export const sofiaOutbound = {
  /** Variables up to CHANNEL_CREATE; `middle` are the dial-string/directory vars placed by the caller. */
  create(
    s: Session,
    contact: SipContact,
    middle: (ch: Channel) => void,
    tail: (ch: Channel) => void,
  ): void {
    const ch = s.channel;
    const st: SipState = {
      contact,
      callId: sipCallId(),
      fromTag: sipTag(),
      toTag: `${10000 + Math.floor(Math.random() * 80000)}SIPpTag01${Math.floor(Math.random() * 10)}`,
      branch: `z9hG4bK${sipTag()}`,
      cseq: 100000000 + Math.floor(Math.random() * 50000000),
      localPort: rtpPort(),
      remotePort: rtpPort(),
      ssrc: ssrc(),
    };
    s.data.set("sip", st);
    const target = `${contact.host}:${contact.port}`;
    ch.setVar("direction", "outbound");
    ch.setVar("is_outbound", "true");
    ch.setVar("uuid", ch.uuid);
    ch.setVar("call_uuid", ch.uuid);
    ch.setVar("session_id", ch.sessionId);
    ch.setVar("sip_local_network_addr", "127.0.0.1");
    ch.setVar("sip_profile_name", "internal");
    ch.setVar("video_media_flow", "disabled");
    ch.setVar("text_media_flow", "disabled");
    ch.setVar("channel_name", ch.name);
    ch.setVar("sip_destination_url", `sip:${contact.user}@${target}`);
    middle(ch);
    tail(ch);
    ch.setVar("rtp_use_codec_string", "OPUS,PCMU,PCMA");
    ch.setVar("local_media_ip", "127.0.0.1");
    ch.setVar("local_media_port", st.localPort);
    ch.setVar("advertised_media_ip", "127.0.0.1");
    ch.setVar("audio_media_flow", "sendrecv");
    ch.setVar("rtp_local_sdp_str", localSdp(Math.floor(s.clock.now() / 1000), st.localPort));
    ch.setVar("sip_outgoing_contact_uri", "<sip:mod_sofia@127.0.0.1:5060>");
    ch.setVar("sip_req_uri", `${contact.user}@${target}`);
    ch.setVar("sip_to_host", target);
    ch.setVar("sip_from_host", "127.0.0.1");
    ch.setVar("sofia_profile_name", "internal");
    ch.setVar("recovery_profile_name", "internal");
    ch.setVar("sofia_profile_url", "sip:mod_sofia@127.0.0.1:5060");
  },

  /** The first response from the phone (180, 183, 200 or an error) names the dialog. */
  firstResponse(s: Session): void {
    const ch = s.channel;
    const st = state(s);
    if (s.data.get("sip_dialog")) return;
    s.data.set("sip_dialog", true);
    const c = st.contact;
    if (ch.profile) ch.profile.networkAddr = c.host;
    ch.setVar("sip_local_network_addr", "127.0.0.1");
    ch.setVar("sip_reply_host", c.host);
    ch.setVar("sip_reply_port", c.port);
    ch.setVar("sip_network_ip", c.host);
    ch.setVar("sip_network_port", c.port);
  },

  /** 180 Ringing (or a 183/200 that opens the dialog): the full From/To/Contact set. */
  dialog(s: Session): void {
    const ch = s.channel;
    const st = state(s);
    const c = st.contact;
    if (s.data.get("sip_full")) return;
    s.data.set("sip_full", true);
    ch.setVar("sip_local_network_addr", null);
    ch.setVar("sip_to_host", null);
    ch.setVar("sip_from_host", null);
    s.data.delete("sip_dialog");
    this.firstResponse(s);
    const cid = ch.profile?.callerIdNumber ?? "0000000000";
    ch.setVar("sip_recover_contact", `<sip:${c.host}:${c.port};transport=UDP>`);
    ch.setVar("sip_full_via", `SIP/2.0/UDP 127.0.0.1;rport;branch=${st.branch}`);
    ch.setVar("sip_recover_via", `SIP/2.0/UDP 127.0.0.1;rport;branch=${st.branch}`);
    ch.setVar("sip_full_from", `<sip:${cid}@127.0.0.1>;tag=${st.fromTag}`);
    ch.setVar("sip_full_to", `<sip:${c.user}@${c.host}:${c.port}>;tag=${st.toTag}`);
    ch.setVar("sip_from_user", cid);
    ch.setVar("sip_from_uri", `${cid}@127.0.0.1`);
    ch.setVar("sip_from_host", "127.0.0.1");
    ch.setVar("sip_to_user", c.user);
    ch.setVar("sip_to_port", c.port);
    ch.setVar("sip_to_uri", `${c.user}@${c.host}:${c.port}`);
    ch.setVar("sip_to_host", c.host);
    ch.setVar("sip_contact_params", "transport=UDP");
    ch.setVar("sip_contact_user", "nobody");
    ch.setVar("sip_contact_port", c.port);
    ch.setVar("sip_contact_uri", `nobody@${c.host}:${c.port}`);
    ch.setVar("sip_contact_host", c.host);
    ch.setVar("sip_to_tag", st.toTag);
    ch.setVar("sip_from_tag", st.fromTag);
    ch.setVar("sip_cseq", st.cseq);
    ch.setVar("sip_call_id", st.callId);
  },

  /** 200 OK / 183 with SDP: media negotiated (PCMU), codecs set. */
  media(s: Session): void {
    const ch = s.channel;
    const st = state(s);
    if (s.data.get("sip_media")) return;
    s.data.set("sip_media", true);
    this.dialog(s);
    for (const v of [
      "rtp_use_codec_string",
      "local_media_ip",
      "local_media_port",
      "advertised_media_ip",
    ]) {
      ch.setVar(v, null);
    }
    ch.setVar("switch_r_sdp", phoneSdp(st.remotePort).replace(/\n/g, "\r\n"));
    ch.setVar("ep_codec_string", "CORE_PCM_MODULE.PCMU@8000h@20i@64000b");
    ch.setVar("rtp_use_codec_string", "OPUS,PCMU,PCMA");
    ch.setVar("remote_video_media_flow", "inactive");
    ch.setVar("remote_text_media_flow", "inactive");
    ch.setVar("remote_audio_media_flow", "sendrecv");
    ch.setVar("rtp_audio_recv_pt", 0);
    ch.setVar("rtp_use_codec_name", "PCMU");
    ch.setVar("rtp_use_codec_rate", 8000);
    ch.setVar("rtp_use_codec_ptime", 20);
    ch.setVar("rtp_use_codec_channels", 1);
    ch.setVar("rtp_last_audio_codec_string", "PCMU@8000h@20i@1c");
    ch.setVar("read_codec", "PCMU");
    ch.setVar("original_read_codec", "PCMU");
    ch.setVar("read_rate", 8000);
    ch.setVar("original_read_rate", 8000);
    ch.setVar("write_codec", "PCMU");
    ch.setVar("write_rate", 8000);
    ch.setVar("dtmf_type", "rfc2833");
    ch.setVar("local_media_ip", "127.0.0.1");
    ch.setVar("local_media_port", st.localPort);
    ch.setVar("advertised_media_ip", "127.0.0.1");
    ch.setVar("rtp_use_timer_name", "soft");
    ch.setVar("rtp_use_pt", 0);
    ch.setVar("rtp_use_ssrc", st.ssrc);
    ch.setVar("rtp_2833_send_payload", 101);
    ch.setVar("rtp_2833_recv_payload", 101);
    ch.setVar("remote_media_ip", "127.0.0.1");
    ch.setVar("remote_media_port", st.remotePort);
    ch.readCodec = PCMU;
    ch.writeCodec = PCMU;
    st.answeredAt = s.clock.now();
  },

  /** A final error response (486, 603, 480...). */
  refused(s: Session, status: number, phrase: string, q850: number): void {
    const ch = s.channel;
    ch.setVar("sip_call_id", state(s).callId);
    this.firstResponse(s);
    ch.setVar("sip_hangup_disposition", "recv_refuse");
    ch.setVar("sip_invite_failure_status", status);
    ch.setVar("sip_invite_failure_phrase", phrase);
    ch.setVar("sip_term_status", status);
    ch.setVar("proto_specific_hangup_cause", `sip:${status}`);
    ch.setVar("sip_term_cause", q850);
  },

  /** What mod_sofia records, at CDR time, about a dialog FreeSWITCH ended itself. */
  localHangup(s: Session): void {
    const ch = s.channel;
    if (s.data.get("call_completed_elsewhere")) ch.setVar("call_completed_elsewhere", "true");
    if (ch.getVar("sip_hangup_disposition")) return;
    if (!ch.answered && !ch.earlyMedia) {
      ch.setVar("sip_hangup_disposition", "send_cancel");
      ch.setVar("sip_invite_failure_status", 487);
      ch.setVar("sip_invite_failure_phrase", "CANCEL");
      return;
    }
    ch.setVar("sip_hangup_disposition", "send_bye");
  },

  /** RTP statistics written at CDR time for a leg that had media. */
  reporting(s: Session): void {
    this.localHangup(s);
    const st = state(s);
    if (!s.data.get("sip_media")) return;
    writeRtpStats(s.channel, s.clock.now() - (st.answeredAt ?? s.clock.now()), playedMs(s));
  },
};

/**
 * The far end sent BYE: the cause is NORMAL_CLEARING, its partner (if
 * bridged or originating it) hears "OK". `at` is the simulated instant the
 * BYE was due (a scripted hangup's timer), default now.
 */
export function remoteBye(s: Session, at?: number): void {
  const ch = s.channel;
  if (!s.ready) return;
  s.farEndHangupAt = at ?? s.clock.now();
  const partner = s.partner ? s.host.session(s.partner) : undefined;
  partner?.channel.setVar("sip_hangup_phrase", "OK");
  ch.setVar("sip_term_status", 200);
  ch.setVar("proto_specific_hangup_cause", "sip:200");
  ch.setVar("sip_term_cause", 16);
  s.hangup("NORMAL_CLEARING");
  ch.setVar("sip_hangup_disposition", "recv_bye");
}

/** Milliseconds of audio the switch played to this leg. */
export function playedMs(s: Session): number {
  return (s.data.get("played_ms") as number | undefined) ?? 0;
}

/**
 * The rtp_audio_* CDR variables: no RTP flows in, so incoming frames count as
 * skipped; outgoing packets are what playbacks sent (20 ms of PCMU each).
 */
export function writeRtpStats(ch: Channel, mediaMs: number, sentMs = 0): void {
  const set = (k: string, v: string | number) => ch.setVar(`rtp_audio_${k}`, v);
  for (const k of ["raw_bytes", "media_bytes", "packet_count", "media_packet_count"])
    set(`in_${k}`, 0);
  set("in_skip_packet_count", Math.max(0, Math.floor(mediaMs / 20)));
  for (const k of [
    "jitter_packet_count",
    "dtmf_packet_count",
    "cng_packet_count",
    "flush_packet_count",
  ]) {
    set(`in_${k}`, 0);
  }
  set("in_largest_jb_size", 0);
  for (const k of [
    "jitter_min_variance",
    "jitter_max_variance",
    "jitter_loss_rate",
    "jitter_burst_rate",
  ]) {
    set(`in_${k}`, "0.00");
  }
  set("in_mean_interval", "0.00");
  set("in_flaw_total", 0);
  set("in_quality_percentage", "100.00");
  set("in_mos", "4.50");
  const packets = Math.floor(sentMs / 20);
  set("out_raw_bytes", packets * 172);
  set("out_media_bytes", packets * 172);
  set("out_packet_count", packets);
  set("out_media_packet_count", packets);
  set("out_skip_packet_count", 0);
  set("out_dtmf_packet_count", 0);
  set("out_cng_packet_count", 0);
  set("rtcp_packet_count", 0);
  set("rtcp_octet_count", 0);
}

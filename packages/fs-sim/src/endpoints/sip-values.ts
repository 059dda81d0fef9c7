import { randomBytes, randomInt } from "node:crypto";

/** Random SIP identifiers shaped like sofia's (tags, Call-IDs, branches). */
export function sipTag(): string {
  const abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let out = "";
  for (let i = 0; i < 13; i++) out += abc[randomInt(abc.length)];
  return out;
}

export function sipCallId(): string {
  const h = randomBytes(16).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function rtpPort(): number {
  return 16384 + 2 * randomInt(8000);
}

export function ssrc(): number {
  return randomInt(1, 2 ** 31);
}

/** FreeSWITCH's local SDP offer (OPUS, PCMU, PCMA, telephone-event). */
export function localSdp(nowSec: number, port: number): string {
  const sess = nowSec - randomInt(10000, 40000);
  return [
    "v=0",
    `o=FreeSWITCH ${sess} ${sess + 1} IN IP4 127.0.0.1`,
    "s=FreeSWITCH",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    `m=audio ${port} RTP/AVP 102 0 8 103 101`,
    "a=rtpmap:102 opus/48000/2",
    "a=fmtp:102 useinbandfec=1; maxaveragebitrate=30000; maxplaybackrate=48000; ptime=20; minptime=10; maxptime=40",
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:8 PCMA/8000",
    "a=rtpmap:103 telephone-event/48000",
    "a=fmtp:103 0-15",
    "a=rtpmap:101 telephone-event/8000",
    "a=fmtp:101 0-15",
    "a=ptime:20",
    "a=sendrecv",
    "",
  ].join("\r\n");
}

/** The answer SDP of the simulated phones (PCMU only, as the recordings' sipp phones sent). */
export function phoneSdp(port: number): string {
  return [
    "v=0",
    "o=user1 53655765 2353687637 IN IP4 127.0.0.1",
    "s=-",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    `m=audio ${port} RTP/AVP 0`,
    "a=rtpmap:0 PCMU/8000",
    "",
  ].join("\n");
}

/** FreeSWITCH's answer to a PCMU offer (what an inbound SIP caller gets). */
export function answerSdp(nowSec: number, port: number): string {
  const sess = nowSec - randomInt(10000, 40000);
  return [
    "v=0",
    `o=FreeSWITCH ${sess} ${sess + 1} IN IP4 127.0.0.1`,
    "s=FreeSWITCH",
    "c=IN IP4 127.0.0.1",
    "t=0 0",
    `m=audio ${port} RTP/AVP 0 101`,
    "a=rtpmap:0 PCMU/8000",
    "a=rtpmap:101 telephone-event/8000",
    "a=fmtp:101 0-15",
    "a=ptime:20",
    "a=sendrecv",
    "",
  ].join("\r\n");
}

/**
 * What FreeSWITCH writes to an ESL socket, byte for byte. Envelope header
 * order differs by message type (recorded in reference/transcripts):
 * command/reply has no Content-Length; api/response puts Content-Type first;
 * events put Content-Length first.
 */

import type { FsEvent } from "./fs-event.js";

/** The event formats a connection can ask for with `event <fmt> ...`. */
export type EventFormat = "plain" | "json" | "xml";

/** The body of the notice FreeSWITCH sends before closing a socket. */
export const GOODBYE = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";

/** `Content-Type: auth/request`, the first thing an inbound client reads. */
export function authRequest(): string {
  return "Content-Type: auth/request\n\n";
}

/** A command/reply with its Reply-Text (not URL-encoded) and optional extra headers. */
export function commandReply(
  text: string,
  extra: ReadonlyArray<readonly [string, string]> = [],
): string {
  let out = `Content-Type: command/reply\nReply-Text: ${text}\n`;
  for (const [n, v] of extra) out += `${n}: ${v}\n`;
  return `${out}\n`;
}

/** An api/response carrying the API's raw output. */
export function apiResponse(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
}

/** An event in the connection's format, wrapped in its envelope. */
export function eventFrame(event: FsEvent, format: EventFormat): string {
  const payload =
    format === "json" ? event.toJson() : format === "xml" ? event.toXml() : event.toPlain();
  const type =
    format === "json"
      ? "text/event-json"
      : format === "xml"
        ? "text/event-xml"
        : "text/event-plain";
  return `Content-Length: ${Buffer.byteLength(payload)}\nContent-Type: ${type}\n\n${payload}`;
}

/** The final notice; on a session-bound (outbound) socket it names the session. */
export function disconnectNotice(sessionUuid?: string): string {
  const bound = sessionUuid
    ? `Controlled-Session-UUID: ${sessionUuid}\nContent-Disposition: disconnect\n`
    : "";
  return `Content-Type: text/disconnect-notice\n${bound}Content-Length: ${Buffer.byteLength(GOODBYE)}\n\n${GOODBYE}`;
}

/** The notice an outbound socket gets when its channel hangs up while lingering. */
export function lingerNotice(sessionUuid: string, channelName: string, lingerTime: number): string {
  return (
    "Content-Type: text/disconnect-notice\n" +
    `Controlled-Session-UUID: ${sessionUuid}\n` +
    "Content-Disposition: linger\n" +
    `Channel-Name: ${channelName}\n` +
    `Linger-Time: ${lingerTime}\n` +
    "Content-Length: 0\n\n"
  );
}

/** The reply to an outbound socket's `connect`: CHANNEL_DATA as bare headers. */
export function connectReply(channelData: FsEvent, asyncMode: boolean, full: boolean): string {
  return (
    channelData.toBareHeaders() +
    "Content-Type: command/reply\n" +
    "Reply-Text: %2BOK%0A\n" +
    `Socket-Mode: ${asyncMode ? "async" : "static"}\n` +
    `Control: ${full ? "full" : "single-channel"}\n\n`
  );
}

/** Sent instead of auth/request to a peer the ACL rejects. */
export function rudeRejection(): string {
  const body = "Access Denied, go away.\n";
  return `Content-Type: text/rude-rejection\nContent-Length: ${body.length}\n\n${body}`;
}

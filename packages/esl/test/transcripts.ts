import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * Reads the byte-exact recordings of FreeSWITCH 1.10.12 in
 * reference/transcripts and frames what the switch sent into messages, so
 * tests can replay the switch's own bytes.
 */

const TRANSCRIPTS = fileURLToPath(new URL("../../../reference/transcripts/", import.meta.url));

interface Entry {
  readonly conn: string;
  readonly dir: "to_fs" | "from_fs";
  readonly data: string;
}

/** One message FreeSWITCH sent, as recorded. */
export interface RecordedMessage {
  /** The exact bytes (envelope and body). */
  readonly raw: string;
  readonly contentType: string;
  /** Envelope headers (for the outbound connect reply: the whole CHANNEL_DATA block). */
  readonly envelope: ReadonlyMap<string, string>;
  /** For text/event-plain: the event's own headers (values still URL-encoded). */
  readonly event: ReadonlyMap<string, string> | undefined;
}

function parseHeaderBlock(block: string): Map<string, string> {
  const headers = new Map<string, string>();
  for (const line of block.split("\n")) {
    const colon = line.indexOf(": ");
    if (colon > 0) headers.set(line.slice(0, colon), line.slice(colon + 2));
  }
  return headers;
}

/** Frames a stream of switch→client bytes (ASCII, so string length = byte length). */
export function frame(stream: string): RecordedMessage[] {
  const messages: RecordedMessage[] = [];
  let at = 0;
  while (at < stream.length) {
    const end = stream.indexOf("\n\n", at);
    if (end < 0) throw new Error(`unterminated header block at ${at}`);
    const envelope = parseHeaderBlock(stream.slice(at, end));
    const length = Number(envelope.get("Content-Length") ?? 0);
    const bodyStart = end + 2;
    const raw = stream.slice(at, bodyStart + length);
    const body = stream.slice(bodyStart, bodyStart + length);
    const contentType = envelope.get("Content-Type") ?? "";
    const event =
      contentType === "text/event-plain"
        ? parseHeaderBlock(body.split("\n\n")[0] ?? "")
        : undefined;
    messages.push({ raw, contentType, envelope, event });
    at = bodyStart + length;
  }
  return messages;
}

/** One recorded scenario (a file of reference/transcripts). */
export class Recording {
  private readonly entries: Entry[];

  constructor(file: string) {
    this.entries = readFileSync(TRANSCRIPTS + file, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as Entry);
  }

  /** Everything the switch sent on `conn`, framed. */
  messages(conn: string): RecordedMessage[] {
    return frame(
      this.entries
        .filter((e) => e.conn === conn && e.dir === "from_fs")
        .map((e) => e.data)
        .join(""),
    );
  }

  /** What the client sent on `conn`, one entry per command. */
  commands(conn: string): string[] {
    return this.entries.filter((e) => e.conn === conn && e.dir === "to_fs").map((e) => e.data);
  }

  /** The raw reply the switch gave to the first command on `conn` starting with `prefix`. */
  replyTo(conn: string, prefix: string): string {
    const commands = this.commands(conn);
    const replies = this.messages(conn).filter(
      (m) => m.contentType === "command/reply" || m.contentType === "api/response",
    );
    const index = commands.findIndex((c) => c.startsWith(prefix));
    const reply = replies[index];
    if (index < 0 || !reply) throw new Error(`no recorded reply to "${prefix}" on ${conn}`);
    return reply.raw;
  }

  /** Plain events on `conn` matching the given Event-Name(s) and/or Unique-ID. */
  events(
    conn: string,
    filter: { readonly names?: readonly string[]; readonly uniqueId?: string } = {},
  ): RecordedMessage[] {
    return this.messages(conn).filter(
      (m) =>
        m.event !== undefined &&
        (filter.names === undefined || filter.names.includes(m.event.get("Event-Name") ?? "")) &&
        (filter.uniqueId === undefined || m.event.get("Unique-ID") === filter.uniqueId),
    );
  }

  /** The first plain event on `conn` matching `filter`. */
  event(
    conn: string,
    filter: { readonly names?: readonly string[]; readonly uniqueId?: string },
  ): RecordedMessage {
    const found = this.events(conn, filter)[0];
    if (!found) throw new Error(`no recorded event ${JSON.stringify(filter)} on ${conn}`);
    return found;
  }
}

/** Concatenated raw bytes of messages. */
export function bytes(messages: readonly RecordedMessage[]): string {
  return messages.map((m) => m.raw).join("");
}

/**
 * Replaces `from` by `to` everywhere in a recorded message. Both must have
 * the same length (uuids do), so every Content-Length stays exact.
 */
export function substitute(raw: string, from: string, to: string): string {
  if (from.length !== to.length) throw new Error(`substitute needs equal lengths: ${from} / ${to}`);
  return raw.replaceAll(from, to);
}

/**
 * Re-serializes a recorded text/event-plain message with some of its event
 * headers changed (`null` removes one; new ones go at the end, values given
 * already URL-encoded) and optionally a new body, recomputing both
 * Content-Lengths. For scenarios the recordings do not contain verbatim.
 */
export function rewriteEvent(
  message: RecordedMessage,
  changes: Readonly<Record<string, string | null>>,
  body?: string,
): string {
  const inner = message.raw.slice(message.raw.indexOf("\n\n") + 2);
  const headerEnd = inner.indexOf("\n\n");
  const lines = inner.slice(0, headerEnd).split("\n");
  const oldBody = message.event?.has("Content-Length") ? inner.slice(headerEnd + 2) : "";
  const newBody = body ?? oldBody;
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const line of lines) {
    const name = line.slice(0, line.indexOf(": "));
    if (name === "Content-Length") continue;
    if (name in changes) {
      seen.add(name);
      const value = changes[name];
      if (value !== null && value !== undefined) kept.push(`${name}: ${value}`);
    } else {
      kept.push(line);
    }
  }
  for (const [name, value] of Object.entries(changes)) {
    if (!seen.has(name) && value !== null) kept.push(`${name}: ${value}`);
  }
  const serialized =
    newBody === ""
      ? `${kept.join("\n")}\n\n`
      : `${kept.join("\n")}\nContent-Length: ${Buffer.byteLength(newBody)}\n\n${newBody}`;
  return `Content-Length: ${Buffer.byteLength(serialized)}\nContent-Type: text/event-plain\n\n${serialized}`;
}

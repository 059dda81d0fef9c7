// modesl ships no types: the declaration travels with this file, so packages
// that compile this source (the \`@ringflow/source\` condition) get it too.
/// <reference path="./types/modesl.d.ts" />
import type { Socket } from "node:net";
import modesl from "modesl";
import { EslMalformedMessageError, type MalformedReason } from "./errors.js";
import { EslEvent, headerText } from "./esl-event.js";

/** A reply to the command in flight: `command/reply` or `api/response`. */
export interface EslReply {
  readonly contentType: "command/reply" | "api/response";
  readonly headers: ReadonlyMap<string, string>;
  /** `Reply-Text` for a command/reply, the body for an api/response. */
  readonly text: string;
  readonly body: string;
}

/** Everything FreeSWITCH can send, sorted by what the client must do with it. */
export type EslMessage =
  | { readonly kind: "auth-request" }
  | { readonly kind: "reply"; readonly reply: EslReply }
  | { readonly kind: "event"; readonly event: EslEvent }
  | {
      readonly kind: "disconnect-notice";
      /** `linger` when the channel hung up and the socket lingers; `disconnect` (or absent) when closing. */
      readonly disposition: string | undefined;
      /** `Controlled-Session-UUID`: the channel an outbound socket was bound to. */
      readonly sessionUuid: string | undefined;
      readonly body: string;
    }
  | { readonly kind: "rude-rejection"; readonly body: string }
  | { readonly kind: "other"; readonly contentType: string };

// modesl adds these to any message carrying Reply-Text; they are not FreeSWITCH's.
const MODESL_ARTIFACTS = new Set(["Modesl-Reply-OK", "Modesl-Reply-ERR"]);

/**
 * One copy of each header name seen, shared by every message that carries
 * it: an outbound session keeps its CHANNEL_DATA (some two hundred headers)
 * for the whole call, and the names are the same for every call. Bounded,
 * since a switch may send names of its users' choosing (custom SIP headers).
 */
const HEADER_NAMES = new Map<string, string>();
const MAX_SHARED_NAMES = 4_096;

function sharedName(name: string): string {
  const shared = HEADER_NAMES.get(name);
  if (shared !== undefined) return shared;
  if (HEADER_NAMES.size < MAX_SHARED_NAMES) HEADER_NAMES.set(name, name);
  return name;
}

function toHeaderMap(entries: Iterable<readonly [string, unknown]>): Map<string, string> {
  const map = new Map<string, string>();
  for (const [name, value] of entries) {
    if (name === "" || MODESL_ARTIFACTS.has(name) || value === undefined) continue;
    map.set(sharedName(name), headerText(value));
  }
  return map;
}

function classify(
  modeslEvent: InstanceType<typeof modesl.Event>,
  envelope: Record<string, unknown>,
  rawBody: unknown,
): EslMessage {
  const contentType = headerText(envelope["Content-Type"] ?? "");
  const body = typeof rawBody === "string" ? rawBody : "";
  switch (contentType) {
    case "auth/request":
      return { kind: "auth-request" };
    case "command/reply":
    case "api/response": {
      const headers = toHeaderMap(Object.entries(envelope));
      const text = contentType === "api/response" ? body : (headers.get("Reply-Text") ?? "");
      return { kind: "reply", reply: { contentType, headers, text, body } };
    }
    case "text/event-plain":
    case "text/event-json": {
      const headers = toHeaderMap(modeslEvent.headers.map((h) => [h.name, h.value] as const));
      return { kind: "event", event: new EslEvent(headers, modeslEvent.body ?? "") };
    }
    case "text/disconnect-notice": {
      const disposition = envelope["Content-Disposition"];
      const sessionUuid = envelope["Controlled-Session-UUID"];
      return {
        kind: "disconnect-notice",
        disposition: typeof disposition === "string" ? disposition : undefined,
        sessionUuid: typeof sessionUuid === "string" ? sessionUuid : undefined,
        body,
      };
    }
    case "text/rude-rejection":
      return { kind: "rude-rejection", body };
    default:
      return { kind: "other", contentType };
  }
}

const EVENT_JSON = "text/event-json";
const NOTHING = Buffer.alloc(0);

/**
 * Largest message (headers and body) the reader takes. FreeSWITCH's largest
 * are an outbound socket's CHANNEL_DATA (every channel variable, tens of
 * kilobytes) and an api/response listing many channels.
 */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
// Control characters other than tab, line feed and carriage return: never in ESL headers.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control bytes is the point.
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/;
// `Name: value`, the name without blanks or colons.
const HEADER_LINE = /^[^\s:]{1,256}: /;

/** What is wrong with the header bytes `head` (up to `end`, or a partial envelope), if anything. */
function headerProblem(head: Buffer, end: number): string | undefined {
  const text = head.toString("latin1", 0, end >= 0 ? end : head.length);
  if (CONTROL.test(text)) return "control bytes among the headers";
  const lines = text.split("\n");
  // The last line is still arriving unless the envelope is complete.
  const complete = end >= 0 ? lines : lines.slice(0, -1);
  for (const line of complete) {
    if (!HEADER_LINE.test(line))
      return `a header line that is not "Name: value": ${JSON.stringify(line.slice(0, 40))}`;
  }
  const partial = end >= 0 ? undefined : lines.at(-1);
  if (partial !== undefined && partial.length > 256 && !partial.slice(0, 258).includes(": ")) {
    return "a header name longer than 256 bytes";
  }
  return undefined;
}

/**
 * modesl's wire parser with two hot paths of its own replaced, and its
 * framing (blank line, then Content-Length bytes) kept:
 *
 * - the end of the envelope is found with `Buffer#indexOf` instead of a
 *   byte-by-byte loop in JavaScript;
 * - a `text/event-json` body is parsed once into an {@link EslEvent} that
 *   reads its headers from the parsed object, instead of modesl turning the
 *   object into an `Event` (an array of header pairs) that would then be
 *   copied again. Every other message goes through modesl's own decoding.
 */
class FramingParser extends modesl.Parser {
  private broken = false;

  constructor(
    socket: Socket,
    private readonly onMessage: (message: EslMessage) => void,
    private readonly onError: (error: unknown) => void,
  ) {
    super(socket);
    this.on("esl::event", (event, envelope, body) =>
      this.deliver(() => classify(event, envelope, body)),
    );
    this.on("error", onError);
  }

  /**
   * modesl keeps what it has not framed yet as a slice of the last
   * concatenation; even when empty, that slice pins the whole read chunk
   * (tens of kilobytes) for as long as the socket lives, and a worker holds
   * thousands of sockets. What is left is given its own small copy instead.
   */
  protected override _onData(data: Buffer): void {
    if (this.broken) return;
    super._onData(data);
    if (this.broken) return;
    if (this.bodyLen > MAX_MESSAGE_BYTES) {
      this.fail("tooLarge", `a message of ${this.bodyLen} bytes (at most ${MAX_MESSAGE_BYTES})`);
      return;
    }
    if (this.bodyLen === 0 && this.buffer.length > MAX_MESSAGE_BYTES) {
      this.fail("tooLarge", `headers without end past ${MAX_MESSAGE_BYTES} bytes`);
      return;
    }
    const rest = this.buffer;
    if (rest.length === 0) this.buffer = NOTHING;
    else if (rest.buffer.byteLength > 2 * rest.length) {
      const copy = Buffer.allocUnsafeSlow(rest.length);
      rest.copy(copy);
      this.buffer = copy;
    }
  }

  protected override _indexOfHeaderEnd(): number {
    return this.buffer.indexOf("\n\n");
  }

  /** Refuses, as soon as they arrive, bytes that cannot be ESL headers. */
  protected override _parseHeaders(): void {
    if (this.broken) return;
    const problem = headerProblem(this.buffer, this._indexOfHeaderEnd());
    if (problem) {
      this.fail("notEsl", `not ESL: ${problem}`);
      return;
    }
    super._parseHeaders();
  }

  protected override _parseBody(): void {
    if (this.broken) return;
    if (this.bodyLen > MAX_MESSAGE_BYTES) {
      this.fail("tooLarge", `a message of ${this.bodyLen} bytes (at most ${MAX_MESSAGE_BYTES})`);
      return;
    }
    super._parseBody();
  }

  /** Stops reading, drops what was buffered, reports why and closes the connection. */
  private fail(reason: MalformedReason, message: string): void {
    this.broken = true;
    this.buffer = NOTHING;
    this.bodyLen = 0;
    this.onError(new EslMalformedMessageError(reason, message));
    this.socket.destroy();
  }

  protected override _parseEvent(envelope: Record<string, unknown>, body?: string): void {
    if (envelope["Content-Type"] !== EVENT_JSON) {
      super._parseEvent(envelope, body);
      return;
    }
    this.deliver(() => ({ kind: "event", event: EslEvent.fromJsonText(body ?? "") }));
  }

  /** Hands on what `decode` makes; whatever throws goes to `onError`, never up into the socket. */
  private deliver(decode: () => EslMessage): void {
    try {
      this.onMessage(decode());
    } catch (error) {
      this.onError(error);
    }
  }
}

/**
 * Frames and decodes everything read from `socket` with modesl's parser and
 * hands each message to `onMessage`, in order.
 *
 * modesl runs its parser inside the socket's `data` handler: an exception
 * escaping from there would crash the process and leave the parser's buffer
 * half consumed, so `onMessage` failures and parser errors both go to
 * `onError` instead.
 */
export function readMessages(
  socket: Socket,
  onMessage: (message: EslMessage) => void,
  onError: (error: unknown) => void,
): void {
  new FramingParser(socket, onMessage, onError);
}

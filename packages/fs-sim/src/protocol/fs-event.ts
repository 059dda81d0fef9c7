import { fsUrlEncode } from "./url-encode.js";

/** One header of an event: FreeSWITCH keeps them in insertion order, duplicates allowed. */
export type Header = [name: string, value: string];

/**
 * A FreeSWITCH event: an ordered header list and an optional body, with the
 * three wire serializations mod_event_socket offers. Serializations are
 * cached because one fired event goes to every subscribed connection.
 */
export class FsEvent {
  readonly headers: Header[] = [];
  body: string | undefined;
  /** The channel's uuid when the event carries channel data (a fast path for routing). */
  uniqueId: string | undefined;
  private plain?: string;
  private json?: string;
  private xml?: string;

  constructor(
    readonly name: string,
    readonly subclass?: string,
  ) {}

  /**
   * Appends a header (FreeSWITCH's `SWITCH_STACK_BOTTOM`). A missing or empty
   * value adds nothing: the recordings never show an empty header where FS
   * passes an empty string (e.g. Job-Owner-UUID on an inbound bgapi).
   */
  add(name: string, value: string | number | undefined | null): this {
    if (value === undefined || value === null) return this;
    const v = String(value);
    if (v !== "") this.headers.push([name, v]);
    return this;
  }

  /** First value of a header, compared case-insensitively as FreeSWITCH does. */
  get(name: string): string | undefined {
    const lower = name.toLowerCase();
    for (const [n, v] of this.headers) if (n.toLowerCase() === lower) return v;
    return undefined;
  }

  /** `text/event-plain` payload: URL-encoded values, inner Content-Length before a body. */
  toPlain(): string {
    if (this.plain !== undefined) return this.plain;
    let out = "";
    for (const [n, v] of this.headers) out += `${n}: ${v === "" ? "_undef_" : fsUrlEncode(v)}\n`;
    if (this.body !== undefined) {
      out += `Content-Length: ${Buffer.byteLength(this.body)}\n\n${this.body}`;
    } else {
      out += "\n";
    }
    this.plain = out;
    return out;
  }

  /**
   * The headers alone, plain-encoded, as the outbound `connect` reply carries
   * CHANNEL_DATA (no blank line, no body).
   */
  toBareHeaders(): string {
    let out = "";
    for (const [n, v] of this.headers) out += `${n}: ${fsUrlEncode(v)}\n`;
    return out;
  }

  /** `text/event-json` payload: one line, every value a string, the body as `_body`. */
  toJson(): string {
    if (this.json !== undefined) return this.json;
    const parts: string[] = [];
    for (const [n, v] of this.headers) parts.push(`${JSON.stringify(n)}:${JSON.stringify(v)}`);
    if (this.body !== undefined) {
      parts.push(`"Content-Length":${JSON.stringify(String(Buffer.byteLength(this.body)))}`);
      parts.push(`"_body":${JSON.stringify(this.body)}`);
    }
    this.json = `{${parts.join(",")}}`;
    return this.json;
  }

  /** `text/event-xml` payload: headers as elements with URL-encoded text. */
  toXml(): string {
    if (this.xml !== undefined) return this.xml;
    let out = "<event>\n  <headers>\n";
    for (const [n, v] of this.headers) out += `    <${n}>${fsUrlEncode(v)}</${n}>\n`;
    out += "  </headers>\n";
    if (this.body !== undefined) {
      out += `  <Content-Length>${Buffer.byteLength(this.body)}</Content-Length>\n`;
      out += `  <body>${escapeXml(this.body)}</body>\n`;
    }
    out += "</event>";
    this.xml = out;
    return out;
  }
}

function escapeXml(s: string): string {
  return s.replace(/[<>&]/g, (c) => (c === "<" ? "&lt;" : c === ">" ? "&gt;" : "&amp;"));
}

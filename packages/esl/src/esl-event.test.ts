import { describe, expect, it } from "vitest";
import { Recording } from "../test/transcripts.js";
import { EslEvent, headerText } from "./esl-event.js";

/** The JSON bodies of every event a real FreeSWITCH sent as `text/event-json`. */
function recordedJsonBodies(): string[] {
  const bodies: string[] = [];
  for (const file of ["02-bgapi-events.jsonl", "04-originate-loopback-json.jsonl"]) {
    for (const conn of ["inbound-1", "outbound-1"]) {
      for (const message of new Recording(file).messages(conn)) {
        if (message.contentType !== "text/event-json") continue;
        bodies.push(message.raw.slice(message.raw.indexOf("\n\n") + 2));
      }
    }
  }
  return bodies;
}

/** What a whole JSON.parse says of each header, as the event's headers read it. */
function parsedHeaders(text: string): Map<string, string> {
  const fields = JSON.parse(text) as Record<string, unknown>;
  const headers = new Map<string, string>();
  for (const [name, value] of Object.entries(fields)) {
    if (name !== "_body" && value !== null) headers.set(name, headerText(value));
  }
  return headers;
}

describe("EslEvent.fromJsonText", () => {
  const recorded = recordedJsonBodies();

  it("reads every header of a real FreeSWITCH's events as a whole parse does", () => {
    expect(recorded.length).toBeGreaterThan(20);
    for (const text of recorded) {
      const expected = parsedHeaders(text);
      // Looked up one by one (the lazy path), before anything parses it whole.
      const lazy = EslEvent.fromJsonText(text);
      for (const [name, value] of expected) expect(lazy.header(name), name).toBe(value);
      expect(lazy.body).toBe((JSON.parse(text) as { _body?: string })._body ?? "");
      // And all at once, in the order received.
      expect([...EslEvent.fromJsonText(text).headers]).toEqual([...expected]);
    }
  });

  it("finds names case-insensitively and misses absent ones", () => {
    const event = EslEvent.fromJsonText(
      JSON.stringify({ "Event-Name": "CHANNEL_ANSWER", "Unique-ID": "a1" }),
    );
    expect(event.header("No-Such-Header")).toBeUndefined();
    expect(event.header("unique-id")).toBe("a1");
    expect(event.header("EVENT-NAME")).toBe("CHANNEL_ANSWER");
    expect(event.name).toBe("CHANNEL_ANSWER");
  });

  it("decodes escapes, reads arrays as FreeSWITCH's plain form, and takes the last of duplicates", () => {
    const text =
      '{"Event-Name":"CUSTOM","Caller-Caller-ID-Name":"Zo\\u00eb \\"Z\\" O\'Neil\\\\",' +
      '"variable_codecs":["PCMU","PCMA"],"Dup":"first","Dup":"second",' +
      '"Note":"\\"Unique-ID\\":\\"fake\\"","_body":"line 1\\nline 2"}';
    const event = EslEvent.fromJsonText(text);
    expect(event.header("Caller-Caller-ID-Name")).toBe('Zoë "Z" O\'Neil\\');
    expect(event.header("Dup")).toBe("second");
    // A member's name quoted inside another value is not the member.
    expect(event.uniqueId).toBeUndefined();
    expect(event.header("Note")).toBe('"Unique-ID":"fake"');
    expect(event.body).toBe("line 1\nline 2");
    expect(event.variable("codecs")).toBe("ARRAY::PCMU|:PCMA");
    expect(event.header("_body")).toBeUndefined();
  });

  it("accepts the whitespace JSON allows around names and values", () => {
    const event = EslEvent.fromJsonText('\n{ "Event-Name" :\t"HEARTBEAT" ,\n "Up-Time": "5" }\n');
    expect(event.name).toBe("HEARTBEAT");
    expect(event.header("Up-Time")).toBe("5");
  });

  it("refuses a body that is not a JSON object at once", () => {
    for (const text of ["", "  ", "[1]", '"x"', "{", '{"Event-Name":"CHANNEL_ANSWER",']) {
      expect(() => EslEvent.fromJsonText(text), JSON.stringify(text)).toThrow(SyntaxError);
    }
  });

  it("throws a body broken inside its braces at the first whole parse", () => {
    const event = EslEvent.fromJsonText('{"Event-Name":"CHANNEL_ANSWER","Unique-ID":}');
    expect(event.name).toBe("CHANNEL_ANSWER");
    expect(() => event.headers).toThrow(SyntaxError);
  });
});

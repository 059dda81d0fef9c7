/** FreeSWITCH channel states (`Channel-State`), plus any the switch adds. */
export type ChannelState =
  | "CS_NEW"
  | "CS_INIT"
  | "CS_ROUTING"
  | "CS_SOFT_EXECUTE"
  | "CS_EXECUTE"
  | "CS_EXCHANGE_MEDIA"
  | "CS_PARK"
  | "CS_CONSUME_MEDIA"
  | "CS_HIBERNATE"
  | "CS_RESET"
  | "CS_HANGUP"
  | "CS_REPORTING"
  | "CS_DESTROY"
  | (string & {});

/** `Answer-State` values. */
export type AnswerState = "ringing" | "early" | "answered" | "hangup" | (string & {});

const VARIABLE_PREFIX = "variable_";
/** Where FreeSWITCH's JSON serialization puts an event's body. */
const JSON_BODY_KEY = "_body";

/**
 * A header value as text. Multi-value headers arrive as arrays in
 * event-json; FreeSWITCH's plain serialization of the same header is
 * `ARRAY::a|:b`, and that is what they read as here.
 */
export function headerText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return `ARRAY::${value.map(headerText).join("|:")}`;
  return String(value);
}

/**
 * One FreeSWITCH event (or the outbound `connect` reply, which is the
 * CHANNEL_DATA event): decoded headers in the order the switch sent them,
 * and the body.
 *
 * An event decoded from `text/event-json` keeps the JSON text and finds the
 * headers asked for in it; the whole text is parsed, and the {@link headers}
 * map built, only if something needs every header. A channel event carries
 * a hundred or more headers and a call's code looks at a handful (the
 * control connection, which sees every channel's events, mostly reads just
 * `Unique-ID` to find that the channel is not its own), so this saves a
 * `JSON.parse` and an object of a hundred strings per event on the hot path.
 */
export class EslEvent {
  /** {@link body}, once known. */
  private bodyText: string | undefined;
  private map: Map<string, string> | undefined;
  private fields: Readonly<Record<string, unknown>> | undefined;
  /** The `text/event-json` body, until something needs it parsed whole. */
  private json: string | undefined;
  /** Headers already found in {@link json}, and names found absent (`null`). */
  private found: Map<string, string | null> | undefined;
  /** {@link json} in lower case, made at the first case-insensitive miss. */
  private lowered: string | undefined;

  constructor(headers: Iterable<readonly [string, string]>, body = "") {
    this.map = new Map(headers);
    this.fields = undefined;
    this.bodyText = body;
  }

  /**
   * The event body (e.g. a BACKGROUND_JOB's API output); empty when none.
   * In event-json it is the `_body` member, found when first asked for
   * (most events have none, and a search for an absent member reads the
   * whole text).
   */
  get body(): string {
    if (this.bodyText !== undefined) return this.bodyText;
    let body: unknown;
    if (this.json !== undefined) {
      body = findMember(this.json, JSON_BODY_KEY);
      if (body === NOT_A_STRING) {
        this.parseWhole();
        body = this.fields?.[JSON_BODY_KEY];
      }
    } else {
      body = this.fields?.[JSON_BODY_KEY];
    }
    this.bodyText = typeof body === "string" ? body : "";
    return this.bodyText;
  }

  /**
   * The event of a `text/event-json` body, read lazily: headers are looked
   * up in the text itself, and it is parsed whole only when every header is
   * needed ({@link headers}, {@link variables}, a case-insensitive miss) or a
   * header is not a plain string (a multi-value array).
   *
   * Only the outline is checked here (an object: `{` … `}`). A body that is
   * broken inside it throws its `SyntaxError` at the first whole parse, and
   * until then lookups that the text answers unambiguously still answer.
   *
   * @throws SyntaxError the body is not a JSON object.
   */
  static fromJsonText(text: string): EslEvent {
    const start = firstNonSpace(text);
    const end = lastNonSpace(text);
    if (start < 0 || text[start] !== "{" || text[end] !== "}" || end === start) {
      throw new SyntaxError("a text/event-json body that is not a JSON object");
    }
    const event = new EslEvent([]);
    event.map = undefined;
    event.bodyText = undefined;
    event.json = text;
    return event;
  }

  /** Decoded header values by exact name, in the order received. */
  get headers(): ReadonlyMap<string, string> {
    if (!this.map) {
      this.parseWhole();
      this.map = new Map();
      const fields = this.fields ?? {};
      for (const name of Object.keys(fields)) {
        const value = fields[name];
        if (name === "" || name === JSON_BODY_KEY || value === undefined || value === null)
          continue;
        this.map.set(name, headerText(value));
      }
    }
    return this.map;
  }

  /**
   * A header's decoded value. FreeSWITCH treats header names
   * case-insensitively, so an exact miss falls back to a case-insensitive match.
   */
  header(name: string): string | undefined {
    const exact = this.exactHeader(name);
    if (exact !== undefined) return exact;
    // Misses are common (callers ask for headers an event may lack): the
    // scan lowers the case only of names as long as the one asked for.
    const lower = name.toLowerCase();
    if (this.json !== undefined) {
      // Most misses are absent in any case: the text, lowered once, says so
      // without parsing it. (A name only inside a value parses for nothing.)
      this.lowered ??= this.json.toLowerCase();
      if (!this.lowered.includes(`"${lower}"`)) return undefined;
      this.parseWhole();
    }
    const names = this.map ? this.map.keys() : Object.keys(this.fields ?? {});
    let key: string | undefined;
    for (const candidate of names) {
      if (candidate.length === lower.length && candidate.toLowerCase() === lower) {
        key = candidate;
        break;
      }
    }
    return key === undefined ? undefined : this.exactHeader(key);
  }

  private exactHeader(name: string): string | undefined {
    if (this.map) return this.map.get(name);
    if (this.json !== undefined) {
      if (name === JSON_BODY_KEY) return undefined;
      const known = this.found?.get(name);
      if (known !== undefined) return known ?? undefined;
      const value = findMember(this.json, name);
      if (typeof value === "string" || value === undefined) {
        this.found ??= new Map();
        this.found.set(name, value ?? null);
        return value;
      }
      // A multi-value array (or a number from some other sender): parse it all.
      this.parseWhole();
    }
    const fields = this.fields;
    if (!fields || name === JSON_BODY_KEY || !Object.hasOwn(fields, name)) return undefined;
    const value = fields[name];
    return value === undefined || value === null ? undefined : headerText(value);
  }

  /** Parses the JSON text, once; from then on headers are read from the object. */
  private parseWhole(): void {
    if (this.json === undefined) return;
    this.fields = parseObject(this.json);
    this.json = undefined;
    this.found = undefined;
    this.lowered = undefined;
  }

  /** `Event-Name`, e.g. `CHANNEL_ANSWER`; empty for a message that is not an event. */
  get name(): string {
    return this.header("Event-Name") ?? "";
  }

  /** `Unique-ID`: the channel the event is about. */
  get uniqueId(): string | undefined {
    return this.header("Unique-ID");
  }

  /** `Caller-Destination-Number`: the number the caller dialled. */
  get destinationNumber(): string | undefined {
    return this.header("Caller-Destination-Number");
  }

  /** `Caller-Caller-ID-Number`: the caller's number. */
  get callerIdNumber(): string | undefined {
    return this.header("Caller-Caller-ID-Number");
  }

  get channelState(): ChannelState | undefined {
    return this.header("Channel-State");
  }

  get answerState(): AnswerState | undefined {
    return this.header("Answer-State");
  }

  /** `Hangup-Cause`, present once the channel is hanging up. */
  get hangupCause(): string | undefined {
    return this.header("Hangup-Cause");
  }

  /** `Application` on CHANNEL_EXECUTE / CHANNEL_EXECUTE_COMPLETE. */
  get application(): string | undefined {
    return this.header("Application");
  }

  /** `Application-UUID`: the `Event-UUID` the sendmsg carried. */
  get applicationUuid(): string | undefined {
    return this.header("Application-UUID");
  }

  /** `Application-Response` on CHANNEL_EXECUTE_COMPLETE (`FILE PLAYED`, `_none_`, ...). */
  get applicationResponse(): string | undefined {
    return this.header("Application-Response");
  }

  /** `Job-UUID` on BACKGROUND_JOB. */
  get jobUuid(): string | undefined {
    return this.header("Job-UUID");
  }

  /** The channel variable `name`, from its `variable_<name>` header. */
  variable(name: string): string | undefined {
    return this.header(VARIABLE_PREFIX + name);
  }

  /** Every `variable_*` header, keyed without the prefix. */
  variables(): Record<string, string> {
    const result: Record<string, string> = {};
    for (const [key, value] of this.headers) {
      if (key.startsWith(VARIABLE_PREFIX)) result[key.slice(VARIABLE_PREFIX.length)] = value;
    }
    return result;
  }
}

/** @throws SyntaxError the text is not JSON, or not an object. */
function parseObject(text: string): Record<string, unknown> {
  const fields: unknown = JSON.parse(text);
  if (typeof fields !== "object" || fields === null || Array.isArray(fields)) {
    throw new SyntaxError("a text/event-json body that is not a JSON object");
  }
  return fields as Record<string, unknown>;
}

const NOT_A_STRING: unique symbol = Symbol("not a string");

/**
 * A top-level member of a flat JSON object, found in its text: the string
 * it holds, `NOT_A_STRING` when it holds something else, undefined when
 * absent. JSON.parse keeps the last of duplicate members, so the search
 * runs from the end. Inside a JSON string every `"` is escaped, so `"name"`
 * followed by `:` can only be a member name (FreeSWITCH's events are flat:
 * no nested objects whose members could be mistaken for the event's).
 */
function findMember(text: string, name: string): string | typeof NOT_A_STRING | undefined {
  const quoted = `"${name}"`;
  let from = text.length;
  while (from >= 0) {
    const at = text.lastIndexOf(quoted, from);
    if (at < 0) return undefined;
    from = at - 1;
    let i = skipSpace(text, at + quoted.length);
    if (text[i] !== ":") continue;
    i = skipSpace(text, i + 1);
    if (text[i] !== '"') return NOT_A_STRING;
    return readJsonString(text, i) ?? NOT_A_STRING;
  }
  return undefined;
}

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

function skipSpace(text: string, from: number): number {
  let i = from;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function firstNonSpace(text: string): number {
  const i = skipSpace(text, 0);
  return i < text.length ? i : -1;
}

function lastNonSpace(text: string): number {
  let i = text.length - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  return i;
}

/**
 * The JSON string starting at `text[start]` (a `"`), decoded; undefined if
 * it does not end. Strings without escapes (nearly all of FreeSWITCH's) are
 * sliced, the rest decoded by JSON.parse.
 */
function readJsonString(text: string, start: number): string | undefined {
  let escaped = false;
  for (let i = start + 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 0x5c) {
      escaped = true;
      i++;
    } else if (code === 0x22) {
      return escaped ? (JSON.parse(text.slice(start, i + 1)) as string) : text.slice(start + 1, i);
    }
  }
  return undefined;
}

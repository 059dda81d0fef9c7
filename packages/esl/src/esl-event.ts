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
 * An event decoded from `text/event-json` keeps the parsed object and reads
 * headers from it; the {@link headers} map is only built if asked for. A
 * channel event carries a hundred or more headers and a call's code looks at
 * a handful, so this saves building a map per event on the hot path.
 */
export class EslEvent {
  /** The event body (e.g. a BACKGROUND_JOB's API output); empty when none. */
  readonly body: string;
  private map: Map<string, string> | undefined;
  private fields: Readonly<Record<string, unknown>> | undefined;

  constructor(headers: Iterable<readonly [string, string]>, body = "") {
    this.map = new Map(headers);
    this.fields = undefined;
    this.body = body;
  }

  /**
   * The event a `text/event-json` body decodes to, from the object
   * `JSON.parse` made of it; the event owns `fields` from then on. The body
   * is its `_body` member.
   */
  static fromJson(fields: Record<string, unknown>): EslEvent {
    const body = fields[JSON_BODY_KEY];
    const event = new EslEvent([], typeof body === "string" ? body : "");
    event.map = undefined;
    event.fields = fields;
    return event;
  }

  /** Decoded header values by exact name, in the order received. */
  get headers(): ReadonlyMap<string, string> {
    if (!this.map) {
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
    const fields = this.fields;
    if (!fields || name === JSON_BODY_KEY || !Object.hasOwn(fields, name)) return undefined;
    const value = fields[name];
    return value === undefined || value === null ? undefined : headerText(value);
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

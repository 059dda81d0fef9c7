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

/**
 * One FreeSWITCH event (or the outbound `connect` reply, which is the
 * CHANNEL_DATA event): decoded headers in the order the switch sent them,
 * and the body.
 */
export class EslEvent {
  /** Decoded header values by exact name, in the order received. */
  readonly headers: ReadonlyMap<string, string>;
  /** The event body (e.g. a BACKGROUND_JOB's API output); empty when none. */
  readonly body: string;
  private lowerCase: Map<string, string> | undefined;

  constructor(headers: Iterable<readonly [string, string]>, body = "") {
    this.headers = new Map(headers);
    this.body = body;
  }

  /**
   * A header's decoded value. FreeSWITCH treats header names
   * case-insensitively, so an exact miss falls back to a case-insensitive match.
   */
  header(name: string): string | undefined {
    const exact = this.headers.get(name);
    if (exact !== undefined) return exact;
    if (!this.lowerCase) {
      this.lowerCase = new Map();
      for (const [key, value] of this.headers) {
        const lower = key.toLowerCase();
        if (!this.lowerCase.has(lower)) this.lowerCase.set(lower, value);
      }
    }
    return this.lowerCase.get(name.toLowerCase());
  }

  /** `Event-Name`, e.g. `CHANNEL_ANSWER`; empty for a message that is not an event. */
  get name(): string {
    return this.header("Event-Name") ?? "";
  }

  /** `Unique-ID`: the channel the event is about. */
  get uniqueId(): string | undefined {
    return this.header("Unique-ID");
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

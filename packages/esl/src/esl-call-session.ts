import {
  type BridgeDialOptions,
  type BridgeResult,
  CallControlError,
  CallerHungUpError,
  type CallInfo,
  type CallOperationOptions,
  type CallSession,
  type CollectDigitsOptions,
  type CollectDigitsResult,
  type HangupCause,
  HangupCauses,
  type PlaybackStatus,
  type VoicemailOptions,
} from "@ringflow/core";
import { escapeForExpansion, formatChannelVariables } from "./dial-string.js";
import { EslInvalidArgumentError } from "./errors.js";
import type { EslEvent } from "./esl-event.js";
import type { EslOutboundSession } from "./esl-outbound-session.js";
import { assertSingleLine } from "./format-command.js";
import { OperationLane } from "./operation-lane.js";

const WORD = /^\S+$/;
// FreeSWITCH's own ${...} syntax: the switch expands these in app data.
// biome-ignore lint/suspicious/noTemplateCurlyInString: a FreeSWITCH variable, not a JS template
const TTS_VOICE = "${tts_voice}";
// biome-ignore lint/suspicious/noTemplateCurlyInString: a FreeSWITCH variable, not a JS template
const DEFAULT_DOMAIN = "${domain}";
// Values FreeSWITCH leaves in a variable header that mean "nothing".
const EMPTY = new Set(["", "_undef_"]);

function assertWord(value: string, what: string): void {
  if (!WORD.test(value))
    throw new EslInvalidArgumentError(`${what} must be one word: ${JSON.stringify(value)}`);
}

function assertData(value: string, what: string): void {
  assertSingleLine(value, what);
  if (value.trim() === "") throw new EslInvalidArgumentError(`${what} must not be empty`);
}

function present(value: string | undefined): string | undefined {
  return value === undefined || EMPTY.has(value) ? undefined : value;
}

function playbackStatus(response: string | undefined): PlaybackStatus {
  switch (response) {
    case "FILE NOT FOUND":
      return "notFound";
    case "PLAYBACK ERROR":
      return "error";
    default:
      return "played";
  }
}

/**
 * Core's `CallSession` over an outbound-socket session (`socket ... async
 * full`, with `myevents` and `linger`, as set up by `listen`).
 *
 * Apps run one at a time, each a sendmsg `execute` resolved by its own
 * CHANNEL_EXECUTE_COMPLETE: an operation that is cut short keeps the next
 * one waiting until the switch reports its app finished, so apps never nest.
 * Once the caller hangs up, {@link signal} aborts and every pending or later
 * operation rejects with `CallerHungUpError`.
 */
export class EslCallSession implements CallSession {
  readonly info: CallInfo;
  readonly signal: AbortSignal;
  readonly ended: Promise<HangupCause>;
  private readonly lane: OperationLane;
  private digitsCount = 0;
  private continueOnFailSet = false;
  private parkAfterBridgeSet = false;

  constructor(private readonly session: EslOutboundSession) {
    const data = session.info;
    let variables: Readonly<Record<string, string>> | undefined;
    this.info = {
      uuid: session.uuid,
      destinationNumber: data.destinationNumber ?? "",
      callerIdNumber: data.callerIdNumber ?? "",
      callerIdName: data.header("Caller-Caller-ID-Name") ?? "",
      // Read from the CHANNEL_DATA when first asked: most flows never do,
      // and a copy per call of a hundred variables adds up over thousands of calls.
      get variables() {
        variables ??= data.variables();
        return variables;
      },
    };
    const controller = new AbortController();
    this.signal = controller.signal;
    this.lane = new OperationLane(session, this.signal);
    this.ended = session.ended;
    void session.ended.then((cause) => controller.abort(new CallerHungUpError(cause)));
  }

  async answer(options: CallOperationOptions = {}): Promise<void> {
    await this.lane.perform(options.signal, {
      start: () => this.session.execute("answer"),
      abortRejects: true,
    });
  }

  async play(file: string, options: CallOperationOptions = {}): Promise<PlaybackStatus> {
    assertData(file, "file");
    return this.playback("playback", file, options.signal);
  }

  async speak(
    text: string,
    options: CallOperationOptions & { readonly engine?: string; readonly voice?: string } = {},
  ): Promise<PlaybackStatus> {
    assertData(text, "text");
    const { engine, voice } = options;
    if (engine !== undefined) assertWord(engine, "engine");
    if (voice !== undefined) assertWord(voice, "voice");
    // speak splits its data on `|` into engine|voice|text (the text is taken
    // verbatim); with no engine/voice it uses tts_engine / tts_voice.
    let data: string;
    if (engine !== undefined) data = `${engine}|${voice ?? TTS_VOICE}|${text}`;
    else if (voice !== undefined) data = `${voice}|${text}`;
    else if (text.includes("|")) {
      throw new EslInvalidArgumentError("text containing | needs an explicit engine and voice");
    } else data = text;
    return this.playback("speak", data, options.signal);
  }

  async collectDigits(options: CollectDigitsOptions): Promise<CollectDigitsResult> {
    const { minDigits, maxDigits, tries, timeoutMs } = options;
    for (const [name, value] of Object.entries({ minDigits, maxDigits, tries, timeoutMs })) {
      if (!Number.isInteger(value) || value < 0) {
        throw new EslInvalidArgumentError(`${name} must be a non-negative integer, got ${value}`);
      }
    }
    const terminators = options.terminators ?? "#";
    const invalidPrompt = options.invalidPrompt ?? "silence_stream://250";
    const regex = options.regex ?? "\\d+";
    // play_and_get_digits splits its data on spaces after variable expansion:
    // each argument must be one word, free of quotes and of the backslash
    // escapes those passes would rewrite.
    for (const [name, value] of Object.entries({
      prompt: options.prompt,
      invalidPrompt,
      terminators,
      regex,
    })) {
      assertWord(value, name);
      if (/['"]|\\[\\'$nst]/.test(value)) {
        throw new EslInvalidArgumentError(
          `${name} must not contain quotes or backslash escapes: ${value}`,
        );
      }
    }
    this.digitsCount += 1;
    const variable = `ringflow_digits_${this.digitsCount}`;
    const data = [
      minDigits,
      maxDigits,
      tries,
      timeoutMs,
      terminators,
      options.prompt,
      invalidPrompt,
      variable,
      regex,
      options.digitTimeoutMs ?? timeoutMs,
    ].join(" ");
    const done = await this.lane.perform(options.signal, {
      start: () => this.session.execute("play_and_get_digits", data),
      onAbort: () => this.breakMedia(),
      abortRejects: true,
    });
    const complete = done.value;
    if (!complete) throw options.signal?.reason;
    const digits = present(complete.variable(variable));
    if (digits !== undefined) return { status: "collected", digits };
    const invalid = present(complete.variable(`${variable}_invalid`));
    if (invalid !== undefined) return { status: "invalid", digits: invalid };
    return { status: "timeout" };
  }

  async bridge(legUuid: string, options: CallOperationOptions = {}): Promise<BridgeResult> {
    assertWord(legUuid, "leg uuid");
    if (!this.parkAfterBridgeSet) {
      // uuid_bridge takes the caller out of the socket app's park; without
      // this the caller would carry on with the dialplan (and usually hang
      // up) when the bridge ends, instead of coming back to us.
      await this.setVariable("park_after_bridge", "true", options);
      this.parkAfterBridgeSet = true;
    }
    const done = await this.lane.perform(options.signal, {
      start: () => this.uuidBridge(legUuid),
      onAbort: () => this.session.api(`uuid_kill ${legUuid}`),
      abortRejects: true,
    });
    if (!done.value) throw options.signal?.reason;
    return done.value;
  }

  async bridgeDial(dialString: string, options: BridgeDialOptions = {}): Promise<BridgeResult> {
    assertData(dialString, "dial string");
    const variables: Record<string, string> = { ...options.variables };
    if (options.timeoutMs !== undefined)
      variables.originate_timeout = String(Math.ceil(options.timeoutMs / 1000));
    const data =
      Object.keys(variables).length > 0
        ? `${escapeForExpansion(formatChannelVariables(variables))}${dialString}`
        : dialString;
    if (!this.continueOnFailSet) {
      // Without it a failed bridge (a busy agent: USER_BUSY) hangs up the
      // caller before the bridge app even completes.
      await this.setVariable("continue_on_fail", "true", options);
      this.continueOnFailSet = true;
    }
    let bridged = false;
    let otherLeg: string | undefined;
    const stop = this.session.onEvent((event) => {
      if (event.name === "CHANNEL_BRIDGE" && event.uniqueId === this.session.uuid && !bridged) {
        bridged = true;
        otherLeg = event.header("Other-Leg-Unique-ID") ?? event.header("Bridge-B-Unique-ID");
        options.onConnected?.();
      }
    });
    try {
      const done = await this.lane.perform(options.signal, {
        start: () => this.session.execute("bridge", data),
        // Ends the bridge once connected; a far end still ringing is left to the bridge app.
        onAbort: async () => {
          if (otherLeg !== undefined) await this.session.api(`uuid_kill ${otherLeg}`);
        },
        abortRejects: true,
      });
      const complete = done.value;
      if (!complete) throw options.signal?.reason;
      return bridged ? completedBridge(complete) : failedBridge(complete);
    } finally {
      stop();
    }
  }

  async voicemail(options: VoicemailOptions): Promise<void> {
    const profile = options.profile ?? "default";
    const domain = options.domain ?? DEFAULT_DOMAIN;
    assertWord(options.mailbox, "mailbox");
    assertWord(profile, "profile");
    assertWord(domain, "domain");
    await this.lane.perform(options.signal, {
      start: () => this.session.execute("voicemail", `${profile} ${domain} ${options.mailbox}`),
      abortRejects: true,
    });
  }

  async setVariable(
    name: string,
    value: string,
    options: CallOperationOptions = {},
  ): Promise<void> {
    if (!/^[A-Za-z0-9_][A-Za-z0-9_.:-]*$/.test(name)) {
      throw new EslInvalidArgumentError(`invalid variable name ${JSON.stringify(name)}`);
    }
    assertSingleLine(value, "variable value");
    await this.lane.perform(options.signal, {
      start: () => this.session.execute("set", `${name}=${escapeForExpansion(value)}`),
      abortRejects: true,
    });
  }

  async hangup(cause: HangupCause = HangupCauses.NormalClearing): Promise<void> {
    if (this.session.isEnded) return;
    try {
      // Not queued behind the running app: a sendmsg hangup is handled even
      // while an app (endless hold music) runs.
      await this.session.hangup(cause);
    } catch (error) {
      if (this.session.isEnded) return;
      throw new CallControlError(`hangup of ${this.session.uuid} failed`, { cause: error });
    }
  }

  private async playback(
    app: string,
    data: string,
    signal: AbortSignal | undefined,
  ): Promise<PlaybackStatus> {
    // uuid_break only ends media that is playing: an app still queued on the
    // channel when the caller's signal aborts (hold music stopped a moment
    // after it was sent) would start after the break and play on for ever.
    // Such an app is broken again the moment it starts.
    let started = false;
    let breakOnStart = false;
    const done = await this.lane.perform(signal, {
      start: () =>
        this.session.execute(app, data, {
          onStart: () => {
            started = true;
            if (breakOnStart) this.breakMedia().catch(() => undefined);
          },
        }),
      onAbort: () => {
        if (!started) breakOnStart = true;
        return this.breakMedia();
      },
      abortRejects: false,
    });
    if (done.aborted || !done.value) return "interrupted";
    return playbackStatus(done.value.applicationResponse);
  }

  /** `uuid_break`: ends the media the caller hears now (the app completes with FILE PLAYED). */
  private breakMedia(): Promise<string> {
    return this.session.api(`uuid_break ${this.session.uuid}`);
  }

  /** uuid_bridge, then waits for the bridge to end (CHANNEL_UNBRIDGE) or to fail. */
  private uuidBridge(legUuid: string): Promise<BridgeResult> {
    return new Promise<BridgeResult>((resolve, reject) => {
      let bridged = false;
      const stop = this.session.onEvent((event) => {
        if (event.uniqueId !== this.session.uuid) return;
        if (event.name === "CHANNEL_BRIDGE") bridged = true;
        else if (event.name === "CHANNEL_UNBRIDGE") finish(completedBridge(event));
        // Parked again without ever bridging: the leg went away first.
        else if (event.name === "CHANNEL_PARK" && !bridged) {
          finish({ status: "failed", cause: HangupCauses.NormalTemporaryFailure });
        }
      });
      const finish = (result: BridgeResult) => {
        stop();
        resolve(result);
      };
      // The caller hung up: nobody waits for the result any more, but the lane must move on.
      void this.session.ended.then((cause) => finish({ status: "failed", cause }));
      this.session.api(`uuid_bridge ${this.session.uuid} ${legUuid}`).then(
        (body) => {
          if (!body.startsWith("+OK"))
            finish({ status: "failed", cause: HangupCauses.NormalTemporaryFailure });
        },
        (error: unknown) => {
          stop();
          reject(error);
        },
      );
    });
  }
}

function completedBridge(event: EslEvent): BridgeResult {
  const cause =
    present(event.variable("last_bridge_hangup_cause")) ??
    present(event.variable("bridge_hangup_cause")) ??
    HangupCauses.NormalClearing;
  return { status: "completed", cause };
}

function failedBridge(event: EslEvent): BridgeResult {
  const disposition = present(event.variable("originate_disposition"));
  const cause =
    present(event.variable("originate_failed_cause")) ??
    (disposition !== "SUCCESS" ? disposition : undefined) ??
    present(event.variable("last_bridge_hangup_cause")) ??
    HangupCauses.NormalTemporaryFailure;
  return { status: "failed", cause };
}

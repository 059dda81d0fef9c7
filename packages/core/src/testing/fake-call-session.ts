import type {
  BridgeDialOptions,
  BridgeResult,
  CallInfo,
  CallOperationOptions,
  CallSession,
  CollectDigitsOptions,
  CollectDigitsResult,
  PlaybackStatus,
  VoicemailOptions,
} from "../call-control/call-session.js";
import { CallControlError, CallerHungUpError } from "../call-control/errors.js";
import { type HangupCause, HangupCauses } from "../call-control/hangup-cause.js";
import type { Clock } from "../clock.js";
import type { FakeCallControl } from "./fake-call-control.js";
import type {
  FakeCallOperation,
  FakeCallOperationName,
  FakeKeyPress,
  FakeMediaSource,
  FakePlayback,
} from "./fake-call-session-types.js";
import { RunningOperation } from "./running-operation.js";

/** Options of {@link FakeCallSession}. */
export interface FakeCallSessionOptions {
  readonly clock: Clock;
  /** The fake switch: the caller's channel is added to it, and agent legs are bridged on it. */
  readonly callControl: FakeCallControl;
  /** Default: a random UUID. */
  readonly uuid?: string;
  /** Default `7000`. */
  readonly destinationNumber?: string;
  /** Default `+15550100`. */
  readonly callerIdNumber?: string;
  /** Default `Test Caller`. */
  readonly callerIdName?: string;
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * How each playback goes, by what is played: a number of ms until it has
   * played, `endless`, `notFound` or `error`. Default: `silence_stream://N`
   * plays N ms, `local_stream://` and `tone_stream://` are endless, any other
   * file and any speech plays 1000 ms.
   */
  readonly media?: (source: FakeMediaSource) => FakePlayback;
  /** How long the caller spends leaving a voicemail before the app ends (default 20 s). */
  readonly voicemailMs?: number;
}

function defaultMedia(source: FakeMediaSource): FakePlayback {
  if (source.kind === "speech") return 1000;
  const silence = /^silence_stream:\/\/(\d+)/.exec(source.file);
  if (silence) return Number(silence[1]);
  if (/^(local|tone)_stream:\/\//.test(source.file)) return "endless";
  return 1000;
}

/**
 * An in-memory caller for tests of code that drives a `CallSession` (the
 * flow interpreter, the worker), on a `ManualClock` and a `FakeCallControl`.
 *
 * The caller is scripted: {@link hangUp} / {@link hangUpAfter}, keys for
 * menus ({@link pressKeys}), how long each playback lasts (`media`). Agent
 * legs rung on the same `FakeCallControl` can be bridged to it; the bridge
 * ends when either side hangs up (the caller, like a FreeSWITCH caller with
 * `park_after_bridge`, stays up when the agent leaves). Every operation is
 * recorded with the clock's time when it started and ended.
 *
 * Like the ESL session it stands in for: once the caller is gone `signal`
 * aborts, `ended` resolves and every pending or later operation rejects
 * with `CallerHungUpError`; an operation's own `signal` interrupts a
 * playback (`interrupted`) and rejects anything else with the signal's
 * reason. One difference on purpose: starting an operation while another
 * is still running (other than `hangup`) rejects with an `Error` — the
 * switch would queue it behind the first, which for endless hold music
 * means forever.
 */
export class FakeCallSession implements CallSession {
  readonly info: CallInfo;
  readonly signal: AbortSignal;
  readonly ended: Promise<HangupCause>;
  private readonly clock: Clock;
  private readonly fake: FakeCallControl;
  private readonly media: (source: FakeMediaSource) => FakePlayback;
  private readonly voicemailMs: number;
  private readonly controller = new AbortController();
  private readonly log: FakeCallOperation[] = [];
  private readonly keys: FakeKeyPress[] = [];
  private readonly failures = new Map<FakeCallOperationName, Error>();
  private current: RunningOperation<unknown> | null = null;
  private resolveEnded!: (cause: HangupCause) => void;
  private answerTime: number | null = null;
  private endedAt: number | null = null;
  private cause: HangupCause | null = null;
  private readonly channelVariables: Record<string, string>;

  constructor(options: FakeCallSessionOptions) {
    this.clock = options.clock;
    this.fake = options.callControl;
    this.media = options.media ?? defaultMedia;
    this.voicemailMs = options.voicemailMs ?? 20_000;
    const uuid = options.uuid ?? crypto.randomUUID();
    this.channelVariables = { ...options.variables };
    this.info = {
      uuid,
      destinationNumber: options.destinationNumber ?? "7000",
      callerIdNumber: options.callerIdNumber ?? "+15550100",
      callerIdName: options.callerIdName ?? "Test Caller",
      variables: { ...options.variables },
    };
    this.signal = this.controller.signal;
    this.ended = new Promise<HangupCause>((resolve) => {
      this.resolveEnded = resolve;
    });
    this.fake.addCaller({ uuid, variables: { ...options.variables }, parkAfterBridge: true });
    this.fake.onHangup(uuid, (cause) => this.channelEnded(cause));
  }

  /** Every operation so far, in the order they started. */
  get operations(): readonly FakeCallOperation[] {
    return this.log;
  }

  /** The operations of one kind, in order. */
  operationsOf(name: FakeCallOperationName): FakeCallOperation[] {
    return this.log.filter((op) => op.op === name);
  }

  /** When `answer` was first called; `null` if it was not. */
  get answeredAt(): number | null {
    return this.answerTime;
  }

  /** When and how the call ended; `null` while it is up. */
  get endedWith(): { readonly at: number; readonly cause: HangupCause } | null {
    return this.endedAt === null || this.cause === null
      ? null
      : { at: this.endedAt, cause: this.cause };
  }

  /** Channel variables as set so far (the initial ones and `setVariable`'s). */
  get variables(): Readonly<Record<string, string>> {
    return this.channelVariables;
  }

  /**
   * Queues the caller's answers to menu tries, one per try of
   * `collectDigits`: keys pressed some ms after the prompt ended, or
   * `silence`. Tries with nothing queued are silent.
   */
  pressKeys(...presses: FakeKeyPress[]): this {
    this.keys.push(...presses);
    return this;
  }

  /** The next call of `op` rejects with `error` (default: a `CallControlError`), as a failing switch would. */
  failNext(op: FakeCallOperationName, error?: Error): this {
    this.failures.set(op, error ?? new CallControlError(`-ERR ${op} failed (scripted)`));
    return this;
  }

  /** The caller hangs up now (a no-op once the call has ended). */
  hangUp(cause: HangupCause = HangupCauses.NormalClearing): void {
    if (this.endedAt !== null) return;
    this.fake.hangUpFarEnd(this.info.uuid, cause);
  }

  /** The caller hangs up `ms` from now. */
  hangUpAfter(ms: number, cause: HangupCause = HangupCauses.NormalClearing): this {
    this.clock.setTimeout(() => this.hangUp(cause), ms);
    return this;
  }

  answer(options: CallOperationOptions = {}): Promise<void> {
    return this.perform("answer", {}, options.signal, "reject", (run) => {
      this.answerTime ??= this.clock.now();
      run.resolve(undefined);
    });
  }

  play(file: string, options: CallOperationOptions = {}): Promise<PlaybackStatus> {
    return this.perform("play", { file }, options.signal, "interrupt", (run) =>
      this.playback(run, { kind: "file", file }),
    );
  }

  speak(
    text: string,
    options: CallOperationOptions & { readonly engine?: string; readonly voice?: string } = {},
  ): Promise<PlaybackStatus> {
    const source: FakeMediaSource = {
      kind: "speech",
      text,
      ...(options.voice !== undefined ? { voice: options.voice } : {}),
    };
    return this.perform("speak", { ...source }, options.signal, "interrupt", (run) =>
      this.playback(run, source),
    );
  }

  collectDigits(options: CollectDigitsOptions): Promise<CollectDigitsResult> {
    const { signal, ...args } = options;
    return this.perform("collectDigits", { ...args }, signal, "reject", (run) =>
      this.collectTry(run, options, 1),
    );
  }

  bridge(legUuid: string, options: CallOperationOptions = {}): Promise<BridgeResult> {
    return this.perform("bridge", { legUuid }, options.signal, "reject", (run) => {
      run.onSettle(() => {
        // Cut short by its signal: the bridge ends by killing the other leg.
        if (options.signal?.aborted) void this.fake.hangup(legUuid);
      });
      this.connect(run, legUuid);
    });
  }

  bridgeDial(dialString: string, options: BridgeDialOptions = {}): Promise<BridgeResult> {
    const { signal, onConnected, ...args } = options;
    return this.perform("bridgeDial", { dialString, ...args }, signal, "reject", (run) => {
      const uuid = crypto.randomUUID();
      run.onSettle(() => {
        if (this.fake.channel(uuid)?.state !== "ended") {
          const cause = this.endedAt === null ? undefined : HangupCauses.OriginatorCancel;
          void this.fake.hangup(uuid, cause);
        }
      });
      this.fake
        .originate({
          uuid,
          destination: dialString,
          timeoutMs: options.timeoutMs ?? 60_000,
          ...(options.variables ? { variables: options.variables } : {}),
        })
        .then(async (leg) => {
          const outcome = await leg.outcome;
          if (run.done) return;
          if (!outcome.answered) run.resolve({ status: "failed", cause: outcome.cause });
          else {
            onConnected?.();
            this.connect(run, uuid);
          }
        })
        .catch(() => run.resolve({ status: "failed", cause: HangupCauses.NormalTemporaryFailure }));
    });
  }

  voicemail(options: VoicemailOptions): Promise<void> {
    const { signal, ...args } = options;
    return this.perform("voicemail", { ...args }, signal, "reject", (run) =>
      run.after(this.voicemailMs, () => run.resolve(undefined)),
    );
  }

  setVariable(name: string, value: string, options: CallOperationOptions = {}): Promise<void> {
    return this.perform("setVariable", { name, value }, options.signal, "reject", (run) => {
      this.channelVariables[name] = value;
      run.resolve(undefined);
    });
  }

  async hangup(cause: HangupCause = HangupCauses.NormalClearing): Promise<void> {
    const record: FakeCallOperation = {
      op: "hangup",
      at: this.clock.now(),
      args: { cause },
      endedAt: this.clock.now(),
      result: undefined,
    };
    this.log.push(record);
    const failure = this.failures.get("hangup");
    if (failure) {
      this.failures.delete("hangup");
      record.result = { error: failure.message };
      throw failure;
    }
    if (this.endedAt === null) await this.fake.hangup(this.info.uuid, cause);
  }

  /**
   * Records and runs one operation: rejects at once if the caller is gone or
   * a failure was scripted, and settles early when the caller hangs up or
   * the operation's signal aborts.
   */
  private perform<T>(
    op: FakeCallOperationName,
    args: Record<string, unknown>,
    signal: AbortSignal | undefined,
    onAbort: "interrupt" | "reject",
    start: (run: RunningOperation<T>) => void,
  ): Promise<T> {
    const record: FakeCallOperation = {
      op,
      at: this.clock.now(),
      args,
      endedAt: null,
      result: undefined,
    };
    this.log.push(record);
    return new Promise<T>((resolve, reject) => {
      const run = new RunningOperation<T>(record, this.clock, { resolve, reject }, () => {
        if (this.current === run) this.current = null;
      });
      if (this.cause !== null) return run.reject(new CallerHungUpError(this.cause));
      const failure = this.failures.get(op);
      if (failure) {
        this.failures.delete(op);
        return run.reject(failure);
      }
      if (this.current) {
        return run.reject(
          new Error(`${op} started while ${this.current.record.op} is still running`),
        );
      }
      const abort = () =>
        onAbort === "interrupt" ? run.resolve("interrupted" as T) : run.reject(signal?.reason);
      if (signal?.aborted) return abort();
      this.current = run as RunningOperation<unknown>;
      if (signal) {
        signal.addEventListener("abort", abort, { once: true });
        run.onSettle(() => signal.removeEventListener("abort", abort));
      }
      start(run);
    });
  }

  private playback(run: RunningOperation<PlaybackStatus>, source: FakeMediaSource): void {
    const behaviour = this.media(source);
    if (behaviour === "endless") return;
    if (behaviour === "notFound" || behaviour === "error") {
      run.resolve(behaviour);
      return;
    }
    run.after(behaviour, () => run.resolve("played"));
  }

  /** Plays `prompt` for its length, then waits for the next scripted key press. */
  private collectTry(
    run: RunningOperation<CollectDigitsResult>,
    options: CollectDigitsOptions,
    attempt: number,
  ): void {
    const promptMs = this.lengthOf(options.prompt);
    run.after(promptMs, () => {
      const press = this.keys.shift() ?? "silence";
      const next = (invalid: string | null) => {
        if (attempt < options.tries) this.collectTry(run, options, attempt + 1);
        else
          run.resolve(
            invalid === null ? { status: "timeout" } : { status: "invalid", digits: invalid },
          );
      };
      if (press === "silence" || (press.afterMs ?? 0) >= options.timeoutMs) {
        run.after(options.timeoutMs, () => next(null));
        return;
      }
      run.after(press.afterMs ?? 0, () => {
        const { digits } = press;
        const valid =
          digits.length >= options.minDigits &&
          digits.length <= options.maxDigits &&
          new RegExp(`^(?:${options.regex ?? "\\d+"})$`).test(digits);
        if (valid) {
          run.resolve({ status: "collected", digits });
          return;
        }
        const invalidMs = options.invalidPrompt ? this.lengthOf(options.invalidPrompt) : 0;
        run.after(invalidMs, () => next(digits));
      });
    });
  }

  private lengthOf(file: string): number {
    const behaviour = this.media({ kind: "file", file });
    return typeof behaviour === "number" ? behaviour : 0;
  }

  /** Bridges the caller to `legUuid` and settles when either side hangs up. */
  private connect(run: RunningOperation<BridgeResult>, legUuid: string): void {
    const leg = this.fake.channel(legUuid);
    if (!leg || leg.state === "ended") {
      run.resolve({ status: "failed", cause: HangupCauses.NormalTemporaryFailure });
      return;
    }
    // Listening before bridging: the agent may hang up at any moment after.
    const stop = this.fake.onHangup(legUuid, (cause) => {
      // The caller leaving ends the bridge too, but that is the caller's hang-up.
      if (this.fake.channel(this.info.uuid)?.state === "ended") return;
      run.resolve({ status: "completed", cause });
    });
    run.onSettle(stop);
    this.fake.bridge(this.info.uuid, legUuid).catch(() => {
      run.resolve({ status: "failed", cause: HangupCauses.NormalTemporaryFailure });
    });
  }

  private channelEnded(cause: HangupCause): void {
    this.endedAt = this.clock.now();
    this.cause = cause;
    this.controller.abort(new CallerHungUpError(cause));
    this.resolveEnded(cause);
    this.current?.reject(new CallerHungUpError(cause));
  }
}

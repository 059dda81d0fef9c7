import type { Socket } from "node:net";
import type { Clock } from "@ringflow/core";
import {
  EslCallEndedBeforeSetupError,
  EslCommandError,
  EslDisconnectedError,
  EslHandlerError,
  EslInvalidArgumentError,
  EslMalformedMessageError,
  EslProtocolError,
  EslSocketModeError,
} from "./errors.js";
import { EslEvent } from "./esl-event.js";
import {
  type BackgroundJob,
  type BgapiOptions,
  type CommandOptions,
  EslSocket,
  type ExecuteOptions,
  type SendCommandOptions,
} from "./esl-socket.js";
import { HandlerSet, reportError, type Unsubscribe } from "./handler-set.js";
import type { EslReply } from "./message-reader.js";

/** Options of {@link EslOutboundSession.execute}: the channel defaults to the session's own. */
export type SessionExecuteOptions = Omit<ExecuteOptions, "uuid"> & { readonly uuid?: string };

/** How a session is set up (see `listen`). */
export interface OutboundSessionOptions {
  /**
   * `linger <n>`: after the hangup FreeSWITCH keeps the socket open up to
   * this long so the last events (CHANNEL_HANGUP_COMPLETE) still arrive; the
   * session says `exit` itself as soon as it has them.
   */
  readonly lingerSeconds: number;
  readonly commandTimeoutMs: number;
  readonly clock: Clock;
  /**
   * How the switch sends this channel's events: `myevents` (plain, the
   * default) or `myevents json`. Both decode to the same `EslEvent`s; JSON
   * is decoded natively, plain header by header.
   */
  readonly eventFormat?: "plain" | "json";
  /**
   * The only events (by `Event-Name`) the switch sends this session, as
   * one `filter Event-Name /^(?:…)$/` after `myevents`; default: every
   * event of the channel. A channel event carries the whole channel (a
   * few KB of variables), and a call is sent kinds it never reads
   * (CHANNEL_STATE at every state change, CHANNEL_UNPARK, …):
   * {@link CALL_SESSION_EVENTS} lists what `EslCallSession` reads.
   */
  readonly events?: readonly string[];
}

/**
 * The events an {@link EslOutboundSession} driven by `EslCallSession`
 * reads: application start and completion (`execute`), bridges, parking
 * and the hangup, and BACKGROUND_JOB for `bgapi`. Pass it as
 * `listen({ events })` to be sent nothing else.
 */
export const CALL_SESSION_EVENTS: readonly string[] = Object.freeze([
  "CHANNEL_EXECUTE",
  "CHANNEL_EXECUTE_COMPLETE",
  "CHANNEL_BRIDGE",
  "CHANNEL_UNBRIDGE",
  "CHANNEL_PARK",
  "CHANNEL_HANGUP",
  "CHANNEL_HANGUP_COMPLETE",
  "BACKGROUND_JOB",
]);

/**
 * The `filter` value that lets through exactly `names` (a regex: FreeSWITCH
 * matches a filter value starting with `/` as one).
 * @throws RangeError a name that is not an event name (capitals, digits, `_`), or none.
 */
export function eventNameFilter(names: readonly string[]): string {
  if (names.length === 0) throw new RangeError("events: at least one event name");
  for (const name of names) {
    if (!/^[A-Z][A-Z0-9_]*$/.test(name)) {
      throw new RangeError(`events: ${JSON.stringify(name)} is not an event name`);
    }
  }
  return `/^(?:${names.join("|")})$/`;
}

/** Commands written to a session's socket before earlier ones are answered (the switch answers in order). */
const SESSION_COMMANDS_IN_FLIGHT = 4;

// The cause a session ends with when the socket went away without any
// hangup event telling why.
const UNKNOWN_END = "NORMAL_TEMPORARY_FAILURE";

/**
 * One call FreeSWITCH handed over through the `socket` dialplan app
 * (outbound mode), after `connect`, `myevents` and `linger`.
 *
 * The session receives its own channel's events only (`myevents`); it
 * notices the hangup from CHANNEL_HANGUP, the disconnect notice or the
 * socket closing, whichever comes first.
 */
export class EslOutboundSession {
  /** The channel's `Unique-ID`. */
  readonly uuid: string;
  /** The CHANNEL_DATA the switch sent in reply to `connect`: the channel as it arrived. */
  readonly info: EslEvent;
  /** Resolves with the channel's `Hangup-Cause` once it hangs up (or the socket is gone). Never rejects. */
  readonly ended: Promise<string>;
  /** Resolves once the socket has closed. Never rejects. */
  readonly closed: Promise<void>;
  private cause: string | undefined;
  private resolveEnded!: (cause: string) => void;
  private resolveClosed!: () => void;
  private finishing = false;
  private readonly events = new HandlerSet<[EslEvent]>();
  private readonly errors = new HandlerSet<[unknown]>();

  private constructor(
    private readonly socket: EslSocket,
    info: EslEvent,
    uuid: string,
  ) {
    this.info = info;
    this.uuid = uuid;
    this.ended = new Promise((resolve) => {
      this.resolveEnded = resolve;
    });
    this.closed = new Promise((resolve) => {
      this.resolveClosed = resolve;
    });
  }

  /**
   * Takes over a socket FreeSWITCH opened: `connect`, then checks the
   * socket is `async full`, then `myevents` (and the `events` filter) and `linger`. Rejects with
   * `EslSocketModeError` for any other socket mode (after telling the switch
   * to `resume` its dialplan and closing).
   */
  static async accept(tcp: Socket, options: OutboundSessionOptions): Promise<EslOutboundSession> {
    let session: EslOutboundSession | undefined;
    let setupError: unknown;
    /** The channel a disconnect notice named before the session was set up. */
    let endedBeforeSetup: string | undefined;
    const socket = new EslSocket(
      tcp,
      {
        onEvent: (event) => session?.handleEvent(event),
        onDisconnectNotice: (disposition, sessionUuid) => {
          if (session) session.handleNotice(disposition);
          else endedBeforeSetup ??= sessionUuid;
        },
        onClose: (error) => session?.handleClose(error),
        onError: (error) => {
          if (session) session.report(error);
          else setupError = error;
        },
      },
      options.clock,
      options.commandTimeoutMs,
      SESSION_COMMANDS_IN_FLIGHT,
    );
    // Before anything is said, so a bad name never reaches the switch.
    const filter = options.events && `filter Event-Name ${eventNameFilter(options.events)}`;
    try {
      const reply = await socket.sendCommand("connect");
      const info = new EslEvent(reply.headers);
      const uuid = info.uniqueId;
      if (reply.contentType !== "command/reply" || info.name !== "CHANNEL_DATA" || !uuid) {
        throw new EslProtocolError(`unexpected reply to connect: ${reply.text}`, {
          cause: setupError,
        });
      }
      const socketMode = info.header("Socket-Mode") ?? "static";
      const control = info.header("Control") ?? "single-channel";
      if (socketMode !== "async" || control !== "full") {
        // Hand the call back to the dialplan rather than leaving it parked.
        await socket.sendCommand("resume").catch(() => undefined);
        throw new EslSocketModeError(socketMode, control);
      }
      session = new EslOutboundSession(socket, info, uuid);
      // Written together: the switch answers them in order.
      await Promise.all([
        socket.command(options.eventFormat === "json" ? "myevents json" : "myevents"),
        ...(filter ? [socket.command(filter)] : []),
        socket.command(`linger ${options.lingerSeconds}`),
      ]);
      return session;
    } catch (error) {
      await socket.close();
      // Bytes that cannot be ESL closed the socket: that, not the closing, is why.
      if (setupError instanceof EslMalformedMessageError) throw setupError;
      // The caller hung up while the call waited to be taken: say which call.
      // (Before connect was answered only the notice names the channel; after
      // it, the CHANNEL_DATA does, and says who called whom.)
      const gone =
        session ?? (endedBeforeSetup === undefined ? undefined : { uuid: endedBeforeSetup });
      if (gone && (endedBeforeSetup !== undefined || error instanceof EslDisconnectedError)) {
        throw new EslCallEndedBeforeSetupError(gone.uuid, {
          cause: error,
          ...(session ? { channelData: session.info } : {}),
        });
      }
      throw error;
    }
  }

  /** The channel's Hangup-Cause once it hung up. */
  get hangupCause(): string | undefined {
    return this.cause;
  }

  /** True once the channel hung up or the socket is gone. */
  get isEnded(): boolean {
    return this.cause !== undefined;
  }

  /** This channel's events (from `myevents`). */
  onEvent(handler: (event: EslEvent) => void): Unsubscribe {
    return this.events.add(handler);
  }

  /** Background failures no request owns; without a handler they become process warnings. */
  onError(handler: (error: unknown) => void): Unsubscribe {
    return this.errors.add(handler);
  }

  /** Raw command; resolves with whatever FreeSWITCH replied. */
  async sendCommand(command: string, options?: SendCommandOptions): Promise<EslReply> {
    return this.socket.sendCommand(command, options);
  }

  /** `api <command>` (allowed because the socket is `full`): resolves with the body. */
  async api(command: string, options?: CommandOptions): Promise<string> {
    return this.socket.api(command, options);
  }

  /** `bgapi <command>`: resolves with the BACKGROUND_JOB body. */
  async bgapi(command: string, options?: BgapiOptions): Promise<string> {
    const job = await this.socket.startBgapi(command, options);
    return job.result;
  }

  /** `bgapi <command>`: resolves once the switch accepted the job. */
  async startBgapi(command: string, options?: BgapiOptions): Promise<BackgroundJob> {
    return this.socket.startBgapi(command, options);
  }

  /** Runs `app` on this channel and resolves with its CHANNEL_EXECUTE_COMPLETE. */
  async execute(app: string, arg?: string, options: SessionExecuteOptions = {}): Promise<EslEvent> {
    return this.socket.execute(app, arg, { ...options, uuid: options.uuid ?? this.uuid });
  }

  /**
   * `getvar <name>`: the variable's value, or `undefined` when it is unset
   * or empty (FreeSWITCH then replies `-ERR command not found`).
   */
  async getVariable(name: string, options?: CommandOptions): Promise<string | undefined> {
    if (!/^\S+$/.test(name))
      throw new EslInvalidArgumentError(`invalid variable name ${JSON.stringify(name)}`);
    const reply = await this.socket.sendCommand(`getvar ${name}`, options);
    if (reply.contentType !== "command/reply")
      throw new EslCommandError(`getvar ${name}`, reply.text);
    return reply.text === "-ERR command not found" ? undefined : reply.text;
  }

  /** Hangs up the channel (sendmsg `call-command: hangup`). */
  async hangup(cause = "NORMAL_CLEARING", options?: CommandOptions): Promise<void> {
    if (!/^\S+$/.test(cause))
      throw new EslInvalidArgumentError(`invalid hangup cause ${JSON.stringify(cause)}`);
    return this.socket.sendmsg(
      this.uuid,
      { "call-command": "hangup", "hangup-cause": cause },
      options,
    );
  }

  /** Says `exit` and closes the socket (FreeSWITCH ends the `socket` app). */
  async close(): Promise<void> {
    await this.socket.close();
  }

  /** Drops the socket at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private handleEvent(event: EslEvent): void {
    if (event.uniqueId === this.uuid) {
      if (event.name === "CHANNEL_HANGUP") {
        this.end(event.hangupCause ?? UNKNOWN_END);
      } else if (event.name === "CHANNEL_HANGUP_COMPLETE") {
        this.end(event.hangupCause ?? UNKNOWN_END);
        this.finish();
      }
    }
    this.events.emit(
      (error) =>
        this.report(
          new EslHandlerError(`an event handler threw on ${event.name}`, { cause: error }),
        ),
      event,
    );
  }

  private handleNotice(disposition: string | undefined): void {
    this.end(UNKNOWN_END);
    // The linger notice follows CHANNEL_HANGUP_COMPLETE: nothing left to wait for.
    if (disposition === "linger") this.finish();
  }

  private handleClose(_error: EslDisconnectedError): void {
    this.end(UNKNOWN_END);
    this.resolveClosed();
  }

  private end(cause: string): void {
    if (this.cause !== undefined) return;
    this.cause = cause;
    this.resolveEnded(cause);
  }

  private finish(): void {
    if (this.finishing) return;
    this.finishing = true;
    this.socket.close().catch((error: unknown) => this.report(error));
  }

  private report(error: unknown): void {
    reportError(this.errors, error);
  }
}

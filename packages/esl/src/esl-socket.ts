import { randomUUID } from "node:crypto";
import type { Socket } from "node:net";
import type { Clock } from "@ringflow/core";
import { CommandQueue } from "./command-queue.js";
import {
  EslChannelGoneError,
  EslCommandError,
  EslDisconnectedError,
  EslInvalidArgumentError,
  EslProtocolError,
} from "./errors.js";
import type { EslEvent } from "./esl-event.js";
import { formatCommand } from "./format-command.js";
import { type EslMessage, type EslReply, readMessages } from "./message-reader.js";

/** Per-call options of a command. */
export interface CommandOptions {
  /** How long to wait for the switch's reply (default: the connection's `commandTimeoutMs`). */
  readonly timeoutMs?: number;
}

/** Options of a raw command. */
export interface SendCommandOptions extends CommandOptions {
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** Options of `bgapi`. */
export interface BgapiOptions extends CommandOptions {
  /** The `Job-UUID` to use (FreeSWITCH honours a client-chosen one); random by default. */
  readonly jobUuid?: string;
}

/** A background API job the switch accepted. */
export interface BackgroundJob {
  readonly jobUuid: string;
  /**
   * The BACKGROUND_JOB body (the API's output, e.g. `+OK <uuid>\n`). Rejects
   * with `EslDisconnectedError` if the connection is lost first.
   */
  readonly result: Promise<string>;
}

/** Options of `execute` (a sendmsg `call-command: execute`). */
export interface ExecuteOptions extends CommandOptions {
  /**
   * Channel to run the app on. On an outbound session, its own uuid (FreeSWITCH
   * treats `sendmsg <own uuid>` exactly like a bare `sendmsg`).
   */
  readonly uuid: string;
  /** `event-lock: true`: later messages queued to the channel wait until this app ends. */
  readonly eventLock?: boolean;
  /** `async: true`: queue the message even on a static outbound socket. */
  readonly async?: boolean;
  /** `loops`: run the app this many times. */
  readonly loops?: number;
  /**
   * Stops *waiting* for the app's completion (the promise rejects with the
   * signal's reason). It does not stop the app: send `uuid_break` for that.
   */
  readonly signal?: AbortSignal;
  /**
   * Called when the app starts on the channel (its CHANNEL_EXECUTE): a
   * queued app may start well after `sendmsg` was answered, behind others.
   */
  readonly onStart?: () => void;
}

/** What an {@link EslSocket} reports to its owner. */
export interface EslSocketHandlers {
  onAuthRequest?(): void;
  onRudeRejection?(body: string): void;
  onEvent(event: EslEvent): void;
  onDisconnectNotice?(disposition: string | undefined, sessionUuid: string | undefined): void;
  /** The socket closed; every pending request has been rejected with `error`. */
  onClose(error: EslDisconnectedError): void;
  /** Something went wrong that no pending request owns. */
  onError(error: unknown): void;
}

interface ExecuteWaiter {
  readonly channelUuid: string | undefined;
  readonly onStart: (() => void) | undefined;
  readonly resolve: (event: EslEvent) => void;
  readonly reject: (error: unknown) => void;
}

interface JobWaiter {
  readonly resolve: (body: string) => void;
  readonly reject: (error: unknown) => void;
}

function ignore(): void {}

/**
 * One Event Socket TCP connection, inbound or outbound: frames what the
 * switch sends, matches replies to commands (in order, one or more in
 * flight), routes
 * BACKGROUND_JOB and CHANNEL_EXECUTE_COMPLETE to whoever waits for them and
 * everything else to its owner. Never throws from socket callbacks.
 */
export class EslSocket {
  private readonly queue: CommandQueue;
  private readonly executions = new Map<string, ExecuteWaiter>();
  private readonly jobs = new Map<string, JobWaiter>();
  private lastError: unknown;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    private readonly handlers: EslSocketHandlers,
    private readonly clock: Clock,
    private readonly commandTimeoutMs: number,
    maxCommandsInFlight = 1,
    maxQueuedCommands = Number.POSITIVE_INFINITY,
  ) {
    this.queue = new CommandQueue(
      (wire) => this.socket.write(wire),
      clock,
      maxCommandsInFlight,
      maxQueuedCommands,
    );
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    // Always listening for `error` (without it, an ECONNRESET would crash
    // the process); `close` follows every error and every FIN, so it is the
    // one place that cleans up (`end` never fires after an RST).
    socket.on("error", (error) => {
      this.lastError = error;
    });
    socket.on("close", () => this.finish());
    readMessages(
      socket,
      (message) => this.dispatch(message),
      (error) => this.report(error),
    );
  }

  /** False once the socket has closed. */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Sends a command and resolves with FreeSWITCH's reply, whatever it says. */
  async sendCommand(command: string, options: SendCommandOptions = {}): Promise<EslReply> {
    const wire = formatCommand(command, options.headers, options.body);
    return this.queue.send(wire, command, options.timeoutMs ?? this.commandTimeoutMs);
  }

  /** `auth <password>`, keeping the password out of error messages. */
  async authenticate(password: string): Promise<boolean> {
    const wire = formatCommand(`auth ${password}`);
    const reply = await this.queue.send(wire, "auth <password>", this.commandTimeoutMs);
    return reply.contentType === "command/reply" && reply.text.startsWith("+OK");
  }

  /** Sends a command and resolves with its Reply-Text; rejects unless it starts with `+OK`. */
  async command(command: string, options: SendCommandOptions = {}): Promise<string> {
    const reply = await this.sendCommand(command, options);
    if (reply.contentType !== "command/reply" || !reply.text.startsWith("+OK")) {
      throw new EslCommandError(command, reply.text);
    }
    return reply.text;
  }

  /**
   * `api <command>`: resolves with the api/response body (which may itself
   * say `-ERR ...`). Rejects with `EslCommandError` when the switch refused
   * the command at the ESL level (a command/reply instead of an api/response).
   */
  async api(command: string, options: CommandOptions = {}): Promise<string> {
    const reply = await this.sendCommand(`api ${command}`, options);
    if (reply.contentType !== "api/response")
      throw new EslCommandError(`api ${command}`, reply.text);
    return reply.body;
  }

  /** `bgapi <command>`: resolves once the switch accepted the job. */
  async startBgapi(command: string, options: BgapiOptions = {}): Promise<BackgroundJob> {
    const jobUuid = options.jobUuid ?? randomUUID();
    const line = `bgapi ${command}`;
    const wire = formatCommand(line, { "Job-UUID": jobUuid });
    // Registered before sending: the BACKGROUND_JOB can arrive in the same
    // TCP read as the reply, before the reply's promise callbacks run.
    const result = new Promise<string>((resolve, reject) => {
      this.jobs.set(jobUuid, { resolve, reject });
    });
    result.catch(ignore);
    try {
      const reply = await this.queue.send(wire, line, options.timeoutMs ?? this.commandTimeoutMs);
      if (reply.contentType !== "command/reply" || !reply.text.startsWith("+OK")) {
        throw new EslCommandError(line, reply.text);
      }
    } catch (error) {
      this.jobs.delete(jobUuid);
      throw error;
    }
    return { jobUuid, result };
  }

  /**
   * Runs a dialplan application through `sendmsg` and resolves with its
   * CHANNEL_EXECUTE_COMPLETE, matched by the `Event-UUID` sent with it (the
   * switch echoes it as `Application-UUID`). The connection must receive
   * CHANNEL_EXECUTE_COMPLETE and CHANNEL_HANGUP_COMPLETE for the channel.
   */
  async execute(app: string, arg: string | undefined, options: ExecuteOptions): Promise<EslEvent> {
    options.signal?.throwIfAborted();
    const eventUuid = randomUUID();
    const headers: Record<string, string> = {
      "call-command": "execute",
      "execute-app-name": app,
    };
    if (arg !== undefined && arg !== "") headers["execute-app-arg"] = arg;
    if (options.loops !== undefined) headers.loops = String(options.loops);
    if (options.eventLock) headers["event-lock"] = "true";
    if (options.async) headers.async = "true";
    headers["Event-UUID"] = eventUuid;
    const channelUuid = options.uuid;
    const completion = new Promise<EslEvent>((resolve, reject) => {
      this.executions.set(eventUuid, { channelUuid, onStart: options.onStart, resolve, reject });
    });
    completion.catch(ignore);
    try {
      await this.command(this.sendmsgLine(options.uuid), { headers, timeoutMs: options.timeoutMs });
    } catch (error) {
      this.executions.delete(eventUuid);
      throw error;
    }
    const signal = options.signal;
    if (!signal) return completion;
    return new Promise<EslEvent>((resolve, reject) => {
      const onAbort = () => {
        this.executions.delete(eventUuid);
        reject(signal.reason);
      };
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener("abort", onAbort, { once: true });
      completion.then(
        (event) => {
          signal.removeEventListener("abort", onAbort);
          resolve(event);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", onAbort);
          reject(error);
        },
      );
    });
  }

  /** A sendmsg with the given headers (e.g. `call-command: hangup`); resolves on `+OK`. */
  async sendmsg(
    uuid: string,
    headers: Readonly<Record<string, string>>,
    options: CommandOptions = {},
  ): Promise<void> {
    await this.command(this.sendmsgLine(uuid), { headers, timeoutMs: options.timeoutMs });
  }

  /** Says `exit` (briefly waiting for `+OK bye`), then closes the socket. */
  async close(timeoutMs = 2_000): Promise<void> {
    if (this.closed) return;
    const closed = new Promise<void>((resolve) => this.socket.once("close", () => resolve()));
    const fallback = this.clock.setTimeout(() => this.socket.destroy(), timeoutMs);
    try {
      await this.sendCommand("exit", { timeoutMs });
    } catch {
      // Closing anyway.
    }
    this.socket.end();
    await closed;
    fallback.cancel();
  }

  /** Drops the connection at once. */
  destroy(): void {
    this.socket.destroy();
  }

  private sendmsgLine(uuid: string): string {
    if (!/^\S+$/.test(uuid))
      throw new EslInvalidArgumentError(`invalid channel uuid ${JSON.stringify(uuid)}`);
    return `sendmsg ${uuid}`;
  }

  private dispatch(message: EslMessage): void {
    switch (message.kind) {
      case "reply":
        if (!this.queue.deliver(message.reply)) {
          this.report(new EslProtocolError(`unexpected reply: ${message.reply.text}`));
        }
        return;
      case "event":
        this.routeEvent(message.event);
        return;
      case "auth-request":
        this.handlers.onAuthRequest?.();
        return;
      case "rude-rejection":
        this.handlers.onRudeRejection?.(message.body);
        return;
      case "disconnect-notice":
        this.handlers.onDisconnectNotice?.(message.disposition, message.sessionUuid);
        return;
      case "other":
        return;
    }
  }

  private routeEvent(event: EslEvent): void {
    if (event.name === "BACKGROUND_JOB") {
      const jobUuid = event.jobUuid;
      const job = jobUuid === undefined ? undefined : this.jobs.get(jobUuid);
      if (jobUuid !== undefined && job) {
        this.jobs.delete(jobUuid);
        job.resolve(event.body);
      }
    } else if (event.name === "CHANNEL_EXECUTE") {
      const applicationUuid = event.applicationUuid;
      const waiter =
        applicationUuid === undefined ? undefined : this.executions.get(applicationUuid);
      try {
        waiter?.onStart?.();
      } catch (error) {
        this.report(error);
      }
    } else if (event.name === "CHANNEL_EXECUTE_COMPLETE") {
      const applicationUuid = event.applicationUuid;
      const waiter =
        applicationUuid === undefined ? undefined : this.executions.get(applicationUuid);
      if (applicationUuid !== undefined && waiter) {
        this.executions.delete(applicationUuid);
        waiter.resolve(event);
      }
    } else if (event.name === "CHANNEL_HANGUP_COMPLETE") {
      // Apps still queued when the channel died never report completion.
      const gone = event.uniqueId;
      for (const [applicationUuid, waiter] of this.executions) {
        if (waiter.channelUuid === gone) {
          this.executions.delete(applicationUuid);
          waiter.reject(
            new EslChannelGoneError(`channel ${gone} hung up before the app completed`),
          );
        }
      }
    }
    this.handlers.onEvent(event);
  }

  private report(error: unknown): void {
    try {
      this.handlers.onError(error);
    } catch {
      // An error handler that throws must not take the connection down.
    }
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    const cause = this.lastError;
    const error = new EslDisconnectedError(
      cause instanceof Error ? `connection lost: ${cause.message}` : "connection closed",
      { cause },
    );
    this.queue.close(error);
    for (const waiter of this.executions.values()) waiter.reject(error);
    this.executions.clear();
    for (const job of this.jobs.values()) job.reject(error);
    this.jobs.clear();
    try {
      this.handlers.onClose(error);
    } catch (handlerError) {
      this.report(handlerError);
    }
  }
}

import { connect as connectTcp } from "node:net";
import { type Clock, systemClock, type TimerHandle } from "@ringflow/core";
import { type BackoffOptions, backoffDelay } from "./backoff.js";
import {
  EslAccessDeniedError,
  EslAuthError,
  EslCommandError,
  EslConnectionError,
  EslDisconnectedError,
  EslHandlerError,
  EslInvalidArgumentError,
} from "./errors.js";
import type { EslEvent } from "./esl-event.js";
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
import { type EventFormat, type PlannedCommand, Subscriptions } from "./subscriptions.js";

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** Default `8021`. */
  readonly port?: number;
  /** event_socket.conf.xml's `password` (FreeSWITCH's default is `ClueCon`). */
  readonly password: string;
  /** Default per-command reply timeout (10 s). */
  readonly commandTimeoutMs?: number;
  /**
   * How many commands may await their replies at once (default 1). Above
   * one, commands are pipelined: FreeSWITCH answers in order, so a busy
   * connection (one that originates and kills many legs) is not held to one
   * round trip per command. A command waits at most its timeout for a
   * slot (then it is dropped unsent), and once written gets its whole
   * timeout again for the reply, counted from the write.
   */
  readonly maxCommandsInFlight?: number;
  /**
   * How many commands may wait for a slot (no limit by default). A command
   * that finds this many waiting is refused at once, unsent, with
   * `EslOverloadedError`: when the switch's replies lag (a backlog of
   * unread events in front of them), new work fails fast instead of
   * queueing behind work that will time out.
   */
  readonly maxQueuedCommands?: number;
  /** Limit on TCP connect plus authentication (5 s). */
  readonly connectTimeoutMs?: number;
  /** Reconnection after the connection is lost (on by default); `false` to stay closed. */
  readonly reconnect?: false | BackoffOptions;
  /** Default `plain`. */
  readonly eventFormat?: EventFormat;
  /**
   * `false`: a connection for `api` and other plain commands only. It
   * subscribes to nothing, not even BACKGROUND_JOB (which FreeSWITCH sends
   * to every connection subscribed to it, whoever started the job), so its
   * replies never wait behind events; `bgapi`, `execute`, `subscribe` and
   * `filter` are refused on it. Default `true`.
   */
  readonly events?: boolean;
  readonly clock?: Clock;
  /** Source of reconnection jitter in [0, 1). */
  readonly random?: () => number;
}

/**
 * `connected`: commands flow. `reconnecting`: the link was lost and is being
 * re-established; commands fail fast with `EslDisconnectedError`. `closed`:
 * {@link EslConnection.disconnect} was called, or the link was lost with
 * reconnection off.
 */
export type ConnectionState = "connected" | "reconnecting" | "closed";

/** Receives events. */
export type EslEventHandler = (event: EslEvent) => void;

// What `execute` needs to see on an inbound connection.
const EXECUTE_EVENTS = ["CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HANGUP_COMPLETE"];
const WORD = /^\S+$/;

/**
 * Connects to FreeSWITCH's Event Socket (inbound mode) and authenticates.
 * Rejects with `EslConnectionError`, `EslAuthError` or `EslAccessDeniedError`
 * when this first attempt fails; once connected, a lost connection is
 * re-established in the background (see {@link ConnectOptions.reconnect}).
 */
export function connect(options: ConnectOptions): Promise<EslConnection> {
  return EslConnection.open(options);
}

/**
 * An authenticated inbound Event Socket connection: promise-based commands
 * (one in flight at a time, each with a timeout), event subscriptions and
 * filters that survive reconnection, and events routed per channel.
 */
export class EslConnection {
  private current: EslSocket | undefined;
  private connectionState: ConnectionState = "connected";
  private readonly subscriptions: Subscriptions;
  private reconnectTimer: TimerHandle | undefined;
  private readonly clock: Clock;
  private readonly events = new HandlerSet<[EslEvent]>();
  private readonly channelEvents = new Map<string, HandlerSet<[EslEvent]>>();
  private readonly stateChanges = new HandlerSet<[ConnectionState, unknown]>();
  private readonly errors = new HandlerSet<[unknown]>();

  private constructor(private readonly options: ConnectOptions) {
    this.clock = options.clock ?? systemClock;
    this.subscriptions = new Subscriptions(options.eventFormat ?? "plain");
  }

  /** Use {@link connect}. */
  static async open(options: ConnectOptions): Promise<EslConnection> {
    const inFlight = options.maxCommandsInFlight;
    if (inFlight !== undefined && (!Number.isInteger(inFlight) || inFlight < 1)) {
      throw new EslInvalidArgumentError(
        `maxCommandsInFlight must be a whole number of at least 1, not ${inFlight}`,
      );
    }
    const queued = options.maxQueuedCommands;
    if (queued !== undefined && !(queued >= 0)) {
      throw new EslInvalidArgumentError(`maxQueuedCommands must be 0 or more, not ${queued}`);
    }
    const connection = new EslConnection(options);
    await connection.establish();
    return connection;
  }

  get state(): ConnectionState {
    return this.connectionState;
  }

  /** Calls `handler` on every state change (with the error that caused it, if any). */
  onStateChange(handler: (state: ConnectionState, error: unknown) => void): Unsubscribe {
    return this.stateChanges.add(handler);
  }

  /**
   * Background failures no request owns: a handler that threw, a failed
   * reconnection attempt, an unexpected message. Without a handler they
   * become process warnings.
   */
  onError(handler: (error: unknown) => void): Unsubscribe {
    return this.errors.add(handler);
  }

  /** Every event this connection receives (subscribe to choose which). */
  onEvent(handler: EslEventHandler): Unsubscribe {
    return this.events.add(handler);
  }

  /** The events whose `Unique-ID` is `uuid`. */
  onChannelEvent(uuid: string, handler: EslEventHandler): Unsubscribe {
    let handlers = this.channelEvents.get(uuid);
    if (!handlers) {
      handlers = new HandlerSet();
      this.channelEvents.set(uuid, handlers);
    }
    const owned = handlers;
    const remove = owned.add(handler);
    return () => {
      remove();
      if (owned.size === 0 && this.channelEvents.get(uuid) === owned)
        this.channelEvents.delete(uuid);
    };
  }

  /** Raw command; resolves with whatever FreeSWITCH replied (even `-ERR`). */
  async sendCommand(command: string, options?: SendCommandOptions): Promise<EslReply> {
    return this.live().sendCommand(command, options);
  }

  /** `api <command>`: resolves with the api/response body (which may say `-ERR ...`). */
  async api(command: string, options?: CommandOptions): Promise<string> {
    return this.live().api(command, options);
  }

  /** `bgapi <command>`: resolves with the BACKGROUND_JOB body. */
  async bgapi(command: string, options?: BgapiOptions): Promise<string> {
    const job = await this.startBgapi(command, options);
    return job.result;
  }

  /** `bgapi <command>`: resolves as soon as the switch accepted the job. */
  async startBgapi(command: string, options?: BgapiOptions): Promise<BackgroundJob> {
    this.assertEvents("startBgapi");
    return this.live().startBgapi(command, options);
  }

  /**
   * Runs `app` on the channel `options.uuid` (sendmsg) and resolves with its
   * CHANNEL_EXECUTE_COMPLETE. Subscribes this connection to
   * CHANNEL_EXECUTE_COMPLETE and CHANNEL_HANGUP_COMPLETE on first use.
   */
  async execute(app: string, arg: string | undefined, options: ExecuteOptions): Promise<EslEvent> {
    this.assertEvents("execute");
    if (!options.uuid) throw new EslInvalidArgumentError("execute needs the channel uuid inbound");
    if (!this.subscriptions.covers(EXECUTE_EVENTS)) await this.subscribe(EXECUTE_EVENTS);
    return this.live().execute(app, arg, options);
  }

  /**
   * Hangs up a channel (`uuid_kill`). Resolves `false` when the channel does
   * not exist (any more).
   */
  async hangup(
    uuid: string,
    cause = "NORMAL_CLEARING",
    options?: CommandOptions,
  ): Promise<boolean> {
    assertWord(uuid, "uuid");
    assertWord(cause, "hangup cause");
    const body = await this.api(`uuid_kill ${uuid} ${cause}`, options);
    if (body.startsWith("+OK")) return true;
    if (body.startsWith("-ERR No such channel")) return false;
    throw new EslCommandError(`uuid_kill ${uuid} ${cause}`, body);
  }

  /**
   * Adds event names (`event <format> <names>`); `CUSTOM` is followed by
   * subclasses. Subscriptions add up, are kept across reconnections, and
   * BACKGROUND_JOB is always included. FreeSWITCH applies the latest format
   * to every event on the connection.
   */
  async subscribe(events: readonly string[], format?: EventFormat): Promise<void> {
    this.assertEvents("subscribe");
    await this.run([this.subscriptions.subscribe(events, format)]);
  }

  /** Removes event names (`nixevent`); BACKGROUND_JOB stays. */
  async unsubscribe(events: readonly string[]): Promise<void> {
    const planned = this.subscriptions.unsubscribe(events);
    if (planned) await this.run([planned]);
  }

  /**
   * Adds an event filter (`filter <header> <value>`), kept across
   * reconnections. Once any filter exists FreeSWITCH drops events matching
   * none, and BACKGROUND_JOB carries no Unique-ID: so the first filter also
   * adds `Event-Name BACKGROUND_JOB`, or bgapi results would never arrive.
   */
  async filter(header: string, value: string): Promise<void> {
    this.assertEvents("filter");
    await this.run(this.subscriptions.addFilter(header, value));
  }

  /** Deletes filters on `header` (all of them, or the one with `value`); `filterDelete("all")` clears every filter. */
  async filterDelete(header: string, value?: string): Promise<void> {
    await this.run(this.subscriptions.deleteFilter(header, value));
  }

  /**
   * Says `exit` and closes for good: no reconnection; pending requests
   * reject with `EslDisconnectedError`.
   */
  async disconnect(): Promise<void> {
    if (this.connectionState === "closed") return;
    this.setState("closed", undefined);
    this.reconnectTimer?.cancel();
    this.reconnectTimer = undefined;
    const socket = this.current;
    this.current = undefined;
    await socket?.close();
  }

  private live(): EslSocket {
    const socket = this.current;
    if (!socket?.isOpen) {
      throw new EslDisconnectedError(
        this.connectionState === "closed"
          ? "connection closed"
          : "not connected to FreeSWITCH (reconnecting)",
      );
    }
    return socket;
  }

  /** Sends planned subscription commands in order, recording each once accepted. */
  private async run(planned: readonly PlannedCommand[]): Promise<void> {
    const socket = this.live();
    for (const step of planned) {
      await socket.command(step.command);
      step.commit();
    }
  }

  /** One connection attempt: TCP, auth, then the recorded subscriptions and filters. */
  private establish(): Promise<EslSocket> {
    const host = this.options.host ?? "127.0.0.1";
    const port = this.options.port ?? 8021;
    const where = `${host}:${port}`;
    return new Promise<EslSocket>((resolve, reject) => {
      let settled = false;
      let authenticated = false;
      const tcp = connectTcp({ host, port });
      const fail = (error: Error) => {
        if (settled) return;
        settled = true;
        timer.cancel();
        tcp.destroy();
        reject(error);
      };
      const timer = this.clock.setTimeout(
        () => fail(new EslConnectionError(`timed out connecting to FreeSWITCH at ${where}`)),
        this.options.connectTimeoutMs ?? 5_000,
      );
      const socket: EslSocket = new EslSocket(
        tcp,
        {
          onAuthRequest: () => {
            socket.authenticate(this.options.password).then(
              (accepted) => {
                if (!accepted) {
                  fail(new EslAuthError(`FreeSWITCH at ${where} rejected the password`));
                  return;
                }
                authenticated = true;
                this.restoreSubscriptions(socket).then(() => {
                  if (settled) return;
                  if (this.connectionState === "closed") {
                    fail(new EslDisconnectedError("connection closed"));
                    return;
                  }
                  settled = true;
                  timer.cancel();
                  // Adopted before anyone awaits it, so a close that follows
                  // at once is seen as the loss of the current connection.
                  this.current = socket;
                  resolve(socket);
                }, fail);
              },
              (error: unknown) => fail(asError(error)),
            );
          },
          onRudeRejection: () =>
            fail(
              new EslAccessDeniedError(
                `FreeSWITCH at ${where} refused this client (event_socket.conf.xml apply-inbound-acl)`,
              ),
            ),
          onEvent: (event) => this.deliver(event),
          onClose: (error) => {
            if (!settled) {
              fail(
                new EslConnectionError(
                  authenticated
                    ? `connection to ${where} closed while restoring subscriptions`
                    : `could not connect to FreeSWITCH at ${where}: ${error.message}`,
                  { cause: error.cause ?? error },
                ),
              );
              return;
            }
            this.lost(socket, error);
          },
          onError: (error) => this.report(error),
        },
        this.clock,
        this.options.commandTimeoutMs ?? 10_000,
        this.options.maxCommandsInFlight,
        this.options.maxQueuedCommands,
      );
    });
  }

  private assertEvents(what: string): void {
    if (this.options.events === false) {
      throw new EslInvalidArgumentError(
        `${what} needs events; this connection has none (events: false)`,
      );
    }
  }

  private async restoreSubscriptions(socket: EslSocket): Promise<void> {
    if (this.options.events === false) return;
    for (const command of this.subscriptions.restore()) await socket.command(command);
  }

  private deliver(event: EslEvent): void {
    const onError = (error: unknown) =>
      this.report(new EslHandlerError(`an event handler threw on ${event.name}`, { cause: error }));
    const uuid = event.uniqueId;
    if (uuid !== undefined) this.channelEvents.get(uuid)?.emit(onError, event);
    this.events.emit(onError, event);
  }

  private lost(socket: EslSocket, error: EslDisconnectedError): void {
    if (socket !== this.current) return;
    this.current = undefined;
    if (this.connectionState === "closed") return;
    if (this.options.reconnect === false) {
      this.setState("closed", error);
      return;
    }
    this.setState("reconnecting", error);
    this.scheduleReconnect(0);
  }

  private scheduleReconnect(attempt: number): void {
    const reconnect = this.options.reconnect === false ? {} : (this.options.reconnect ?? {});
    const delay = backoffDelay(attempt, reconnect, this.options.random ?? Math.random);
    this.reconnectTimer = this.clock.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.establish().then(
        () => {
          if (this.current) this.setState("connected", undefined);
        },
        (error: unknown) => {
          if (this.connectionState === "closed") return;
          this.report(error);
          this.scheduleReconnect(attempt + 1);
        },
      );
    }, delay);
  }

  private setState(state: ConnectionState, error: unknown): void {
    this.connectionState = state;
    this.stateChanges.emit((handlerError) => this.report(handlerError), state, error);
  }

  private report(error: unknown): void {
    reportError(this.errors, error);
  }
}

function assertWord(value: string, what: string): void {
  if (!WORD.test(value))
    throw new EslInvalidArgumentError(`${what} must be one word: ${JSON.stringify(value)}`);
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

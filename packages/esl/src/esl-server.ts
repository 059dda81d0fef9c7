import { createServer, type Server, type Socket } from "node:net";
import { type Clock, systemClock } from "@ringflow/core";
import { EslHandlerError } from "./errors.js";
import {
  EslOutboundSession,
  eventNameFilter,
  type OutboundSessionOptions,
} from "./esl-outbound-session.js";
import { HandlerSet, reportError, type Unsubscribe } from "./handler-set.js";

/** Options of {@link listen}. */
export interface ListenOptions {
  /** TCP port FreeSWITCH's `socket` app dials (0 picks a free one; see {@link EslServer.port}). */
  readonly port: number;
  /** Default `127.0.0.1`. */
  readonly host?: string;
  /** `linger <n>` sent to every session (default 30). */
  readonly lingerSeconds?: number;
  /** Default per-command reply timeout (10 s). */
  readonly commandTimeoutMs?: number;
  readonly clock?: Clock;
  /**
   * Format of each session's events: `plain` (default, `myevents`) or
   * `json` (`myevents json`: decoded natively, markedly cheaper per event).
   */
  readonly eventFormat?: "plain" | "json";
  /**
   * The only events each session is sent, by name (default: all of its
   * channel's). `CALL_SESSION_EVENTS` is what `EslCallSession` reads.
   * {@link listen} rejects with RangeError for a name that is not an event name.
   */
  readonly events?: readonly string[];
  /**
   * Asked as each connection arrives, before a word is said on it: `false`
   * closes the socket at once, unanswered, and FreeSWITCH goes on with the
   * call's dialplan after the `socket` app (e.g. a second `socket` to another
   * worker). Default: every call is taken.
   */
  readonly admit?: () => boolean;
}

/** Receives each call once its session is set up. */
export type SessionHandler = (session: EslOutboundSession) => void | Promise<void>;

/**
 * Listens for FreeSWITCH's outbound-socket connections (the `socket`
 * dialplan app). The dialplan must say `socket <host:port> async full`.
 */
export function listen(options: ListenOptions, onSession: SessionHandler): Promise<EslServer> {
  return EslServer.start(options, onSession);
}

/** The outbound-socket server returned by {@link listen}. */
export class EslServer {
  private readonly sockets = new Set<Socket>();
  private readonly active = new Set<EslOutboundSession>();
  private readonly errors = new HandlerSet<[unknown]>();

  private constructor(
    private readonly server: Server,
    /** The address actually bound. */
    readonly host: string,
    readonly port: number,
  ) {}

  /** Use {@link listen}. */
  static start(options: ListenOptions, onSession: SessionHandler): Promise<EslServer> {
    const host = options.host ?? "127.0.0.1";
    const sessionOptions = {
      lingerSeconds: options.lingerSeconds ?? 30,
      commandTimeoutMs: options.commandTimeoutMs ?? 10_000,
      clock: options.clock ?? systemClock,
      eventFormat: options.eventFormat ?? "plain",
      ...(options.events ? { events: options.events } : {}),
    };
    if (options.events) {
      try {
        eventNameFilter(options.events);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    const server = createServer();
    return new Promise<EslServer>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, host, () => {
        server.off("error", reject);
        const address = server.address();
        const port = typeof address === "object" && address ? address.port : options.port;
        const eslServer = new EslServer(server, host, port);
        server.on("error", (error) => eslServer.report(error));
        const { admit } = options;
        server.on("connection", (socket) => {
          if (admit && !admit()) {
            socket.destroy();
            return;
          }
          eslServer.accept(socket, sessionOptions, onSession);
        });
        resolve(eslServer);
      });
    });
  }

  /** Sessions set up and not yet closed. */
  get sessionCount(): number {
    return this.active.size;
  }

  /**
   * Sockets that failed set-up (e.g. `EslSocketModeError` for a dialplan
   * without `async full`), session handlers that threw, server errors.
   * Without a handler they become process warnings.
   */
  onError(handler: (error: unknown) => void): Unsubscribe {
    return this.errors.add(handler);
  }

  /**
   * Stops accepting calls. By default resolves once every session has
   * ended on its own; with `force`, drops every socket at once (FreeSWITCH
   * then carries on with each call's dialplan after the `socket` app).
   */
  close(options: { readonly force?: boolean } = {}): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    if (options.force) for (const socket of this.sockets) socket.destroy();
    return closed;
  }

  private accept(socket: Socket, options: OutboundSessionOptions, onSession: SessionHandler): void {
    this.sockets.add(socket);
    socket.once("close", () => this.sockets.delete(socket));
    EslOutboundSession.accept(socket, options).then(
      (session) => {
        this.active.add(session);
        void session.closed.then(() => this.active.delete(session));
        const fail = (error: unknown) =>
          this.report(
            new EslHandlerError(`session handler failed for ${session.uuid}`, { cause: error }),
          );
        try {
          Promise.resolve(onSession(session)).catch(fail);
        } catch (error) {
          fail(error);
        }
      },
      (error: unknown) => this.report(error),
    );
  }

  private report(error: unknown): void {
    reportError(this.errors, error);
  }
}

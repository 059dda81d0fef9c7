import { setTimeout as delay } from "node:timers/promises";
import { connect, EslAccessDeniedError, EslAuthError, type EslConnection } from "@ringflow/esl";
import type { Logger } from "../logger.js";

/** Commands the control connection writes ahead of their replies (see `connect`). */
const CONTROL_COMMANDS_IN_FLIGHT = 32;
/**
 * Commands that may wait for one of those slots; past it a command fails at
 * once, unsent, instead of queueing behind replies that lag (see `connect`'s
 * `maxQueuedCommands` and the 200 calls/s stall in docs/benchmarks.md).
 */
const CONTROL_COMMANDS_QUEUED = 256;

/** Where {@link EslLink} stands. */
export type EslLinkState = "connecting" | "connected" | "reconnecting" | "closed";

/** Options of {@link EslLink.open}. */
export interface EslLinkOptions {
  readonly host: string;
  readonly port: number;
  readonly password: string;
  readonly log: Logger;
  /** Stops the first connection attempts (shutdown during start-up). */
  readonly signal?: AbortSignal;
  /** Delay between first attempts: starts here, doubles up to `maxRetryMs`. */
  readonly initialRetryMs?: number;
  readonly maxRetryMs?: number;
}

/**
 * The worker's control connection to FreeSWITCH (inbound Event Socket).
 *
 * `packages/esl` reconnects a connection that was once up; this also keeps
 * trying when the switch is not up yet at start-up, so a worker started
 * before FreeSWITCH simply waits (and says so on `/readyz`).
 *
 * Beside it, `commands`: a second connection subscribed to nothing, which
 * carries the call control's `api` commands (`uuid_kill`, `uuid_bridge`,
 * `uuid_exists`) so that their replies never wait behind the event stream
 * of the first (see "The 200 calls/s stall" in docs/benchmarks.md). It is
 * opened once the control connection is up; if that fails, the commands go
 * on the control connection.
 */
export class EslLink {
  private constructor(
    readonly connection: EslConnection,
    readonly commands: EslConnection | undefined,
    private readonly log: Logger,
  ) {
    commands?.onStateChange((state, error) => {
      if (state === "reconnecting") {
        log.warn({ err: error }, "lost the FreeSWITCH command connection; reconnecting");
      } else if (state === "connected") log.info("FreeSWITCH command connection restored");
    });
    commands?.onError((error) => log.debug({ err: error }, "FreeSWITCH command connection"));
    connection.onStateChange((state, error) => {
      if (state === "reconnecting") {
        log.warn({ err: error }, "lost the FreeSWITCH control connection; reconnecting");
      } else if (state === "connected") log.info("FreeSWITCH control connection restored");
    });
    connection.onError((error) => log.debug({ err: error }, "FreeSWITCH control connection"));
  }

  /**
   * Connects, retrying until the switch answers. Wrong credentials and ACL
   * refusals are retried too (an operator may be fixing the switch's
   * config) but logged as errors. Rejects only when `signal` aborts.
   */
  static async open(options: EslLinkOptions): Promise<EslLink> {
    const { log, signal } = options;
    const maxRetryMs = options.maxRetryMs ?? 10_000;
    let retryMs = options.initialRetryMs ?? 250;
    for (let attempt = 1; ; attempt++) {
      signal?.throwIfAborted();
      try {
        const connection = await connect({
          host: options.host,
          port: options.port,
          password: options.password,
          connectTimeoutMs: 5_000,
          // JSON events decode natively (JSON.parse); plain ones header by header.
          eventFormat: "json",
          // Every call originates and kills legs over this one connection:
          // pipelined, a busy switch's round trip does not hold up the rest.
          maxCommandsInFlight: CONTROL_COMMANDS_IN_FLIGHT,
          // A command waits at most its timeout for a slot and then gets its
          // whole timeout from the write; a full line refuses at once.
          maxQueuedCommands: CONTROL_COMMANDS_QUEUED,
        });
        if (signal?.aborted) {
          await connection.disconnect();
          signal.throwIfAborted();
        }
        log.info({ host: options.host, port: options.port }, "connected to FreeSWITCH");
        const commands = await connect({
          host: options.host,
          port: options.port,
          password: options.password,
          connectTimeoutMs: 5_000,
          // Not even BACKGROUND_JOB: the control connection's jobs would reach it too.
          events: false,
          maxCommandsInFlight: CONTROL_COMMANDS_IN_FLIGHT,
          maxQueuedCommands: CONTROL_COMMANDS_QUEUED,
        }).catch((error: unknown) => {
          log.warn(
            { err: error, host: options.host, port: options.port },
            "could not open the FreeSWITCH command connection; commands share the control connection",
          );
          return undefined;
        });
        if (signal?.aborted) {
          await Promise.all([connection.disconnect(), commands?.disconnect()]);
          signal.throwIfAborted();
        }
        return new EslLink(connection, commands, log);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        const refused = error instanceof EslAuthError || error instanceof EslAccessDeniedError;
        const fields = { err: error, host: options.host, port: options.port, attempt, retryMs };
        if (refused) log.error(fields, "FreeSWITCH refused the control connection; retrying");
        else if (attempt === 1 || attempt % 10 === 0)
          log.warn(fields, "cannot reach FreeSWITCH; retrying");
        await delay(retryMs, undefined, { signal }).catch(() => undefined);
        retryMs = Math.min(maxRetryMs, retryMs * 2);
      }
    }
  }

  /** Where `api` commands of the worker's own go: the command connection while it is up. */
  get commandConnection(): EslConnection {
    return this.commands?.state === "connected" ? this.commands : this.connection;
  }

  get state(): EslLinkState {
    return this.connection.state;
  }

  async close(): Promise<void> {
    await Promise.all([
      this.connection.disconnect().catch((error: unknown) => {
        this.log.debug({ err: error }, "closing the FreeSWITCH control connection");
      }),
      this.commands?.disconnect().catch((error: unknown) => {
        this.log.debug({ err: error }, "closing the FreeSWITCH command connection");
      }),
    ]);
  }
}

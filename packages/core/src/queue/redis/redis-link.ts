import type { RedisOptions } from "ioredis";
import {
  createRedisClient,
  describeRedisTarget,
  type RedisClient,
  type RedisTarget,
} from "../../redis/redis-connection.js";
import { QueueBackendError } from "../errors.js";

/** What a {@link RedisLink} needs. */
export interface RedisLinkOptions {
  readonly url: RedisTarget;
  /** Names the connections (`ringflow-queue[-sub]:<id>`). */
  readonly instanceId: string;
  /** The channel the subscriber listens on. */
  readonly channel: string;
  readonly connectTimeoutMs: number;
  readonly commandTimeoutMs: number;
  /** A message arrived on `channel`. */
  readonly onMessage: (message: string) => void;
  /** Both connections are usable again (or for the first time), subscription active. */
  readonly onUp: () => void;
  /** The connections were up and one of them dropped; `error` says why. */
  readonly onDown: (error: QueueBackendError) => void;
}

/**
 * The two connections of a Redis queue backend — commands, and a subscriber
 * on its own channel — and whether they can be used.
 *
 * Usable ("up") means the command connection is ready **and** the
 * subscription is confirmed, so no grant can be published unheard while an
 * operation runs. When they go down, operations wait up to
 * `connectTimeoutMs` for them, then fail at once until they are up again.
 * ioredis reconnects by itself; nothing is queued or replayed meanwhile.
 */
export class RedisLink {
  /** The Redis URL without its password. */
  readonly url: string;
  readonly commands: RedisClient;
  private readonly subscriber: RedisClient;
  private up = false;
  private subscribed = false;
  private gaveUp = false;
  private closed = false;
  private everUp = false;
  private outageTimer: ReturnType<typeof setTimeout> | undefined;
  private waiters: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  /** Like `waiters`, but never given up on: only closing the link rejects them. */
  private patient: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  private lastError: Error | undefined;

  constructor(private readonly options: RedisLinkOptions) {
    this.url = describeRedisTarget(options.url);
    // Fail rather than queue or replay: a replayed enqueue could run twice,
    // and a caller must hear of trouble instead of hanging.
    const common: RedisOptions = {
      connectTimeout: options.connectTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      commandTimeout: options.commandTimeoutMs,
    };
    this.commands = createRedisClient(options.url, {
      ...common,
      connectionName: `ringflow-queue:${options.instanceId}`,
    });
    this.subscriber = createRedisClient(options.url, {
      ...common,
      // Subscribed by hand on every "ready", to know when it is active.
      autoResubscribe: false,
      connectionName: `ringflow-queue-sub:${options.instanceId}`,
    });
    for (const client of [this.commands, this.subscriber]) {
      client.on("error", (error: Error) => {
        this.lastError = error;
      });
    }
    this.commands.on("ready", () => this.update());
    this.commands.on("close", () => this.update());
    this.subscriber.on("ready", () => void this.subscribe());
    this.subscriber.on("close", () => {
      this.subscribed = false;
      this.update();
    });
    this.subscriber.on("message", (_channel: string, message: string) =>
      options.onMessage(message),
    );
    this.startOutage();
  }

  /** True while both connections are usable. */
  get isUp(): boolean {
    return this.up;
  }

  /** Resolves once the link is up; rejects if Redis stays away (or already has) or the link is closed. */
  untilUp(): Promise<void> {
    if (this.up) return Promise.resolve();
    if (this.closed) return Promise.reject(this.closedError());
    if (this.gaveUp) return Promise.reject(this.unreachable());
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /**
   * Resolves once the link is up, however long that takes; rejects only when
   * the link is closed or `signal` aborts.
   */
  whenUp(signal?: AbortSignal): Promise<void> {
    if (this.up) return Promise.resolve();
    if (this.closed) return Promise.reject(this.closedError());
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.patient = this.patient.filter((waiter) => waiter !== entry);
        reject(signal?.reason);
      };
      const entry = {
        resolve: () => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        reject: (error: Error) => {
          signal?.removeEventListener("abort", onAbort);
          reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.patient.push(entry);
    });
  }

  /** Wraps a failed command's error, naming the operation and the URL (never the password). */
  failure(error: unknown, operation: string): QueueBackendError {
    if (error instanceof QueueBackendError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return new QueueBackendError(`Redis at ${this.url}: ${operation} failed: ${message}`, {
      cause: error,
    });
  }

  /** The error of a closed link. */
  closedError(): QueueBackendError {
    return new QueueBackendError(`the queue backend for Redis at ${this.url} is closed`);
  }

  /** Fails whoever waits for the link and closes both connections. */
  async close(): Promise<void> {
    this.closed = true;
    this.up = false;
    clearTimeout(this.outageTimer);
    const error = this.closedError();
    for (const waiter of [...this.waiters.splice(0), ...this.patient.splice(0)]) {
      waiter.reject(error);
    }
    await Promise.allSettled([quit(this.commands), quit(this.subscriber)]);
  }

  private async subscribe(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.options.channel);
      this.subscribed = true;
      this.update();
    } catch (error) {
      // The connection dropped mid-way; its next "ready" subscribes again.
      this.lastError = error instanceof Error ? error : new Error(String(error));
    }
  }

  private update(): void {
    if (this.closed) return;
    const up = this.subscribed && this.commands.status === "ready";
    if (up === this.up) return;
    this.up = up;
    if (!up) {
      this.startOutage();
      if (this.everUp) {
        const reason = this.lastError ? `: ${this.lastError.message}` : "";
        this.options.onDown(
          new QueueBackendError(`lost the connection to Redis at ${this.url}${reason}`, {
            cause: this.lastError,
          }),
        );
      }
      return;
    }
    this.everUp = true;
    clearTimeout(this.outageTimer);
    this.outageTimer = undefined;
    this.gaveUp = false;
    for (const waiter of [...this.waiters.splice(0), ...this.patient.splice(0)]) {
      waiter.resolve();
    }
    this.options.onUp();
  }

  /** Gives Redis `connectTimeoutMs` to come back before failing callers. */
  private startOutage(): void {
    if (this.outageTimer || this.gaveUp) return;
    // A real timer, not the backend's clock: it bounds waiting on a socket,
    // which a test's manual clock does not drive.
    this.outageTimer = setTimeout(() => this.giveUp(), this.options.connectTimeoutMs);
    this.outageTimer.unref();
  }

  private giveUp(): void {
    this.outageTimer = undefined;
    this.gaveUp = true;
    const error = this.unreachable();
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  private unreachable(): QueueBackendError {
    const reason = this.lastError ? `: ${this.lastError.message}` : "";
    return new QueueBackendError(
      `Redis at ${this.url} is unreachable (no connection for ${this.options.connectTimeoutMs} ms)${reason}`,
      { cause: this.lastError },
    );
  }
}

async function quit(client: RedisClient): Promise<void> {
  if (client.status === "ready") await client.quit();
  else client.disconnect();
}

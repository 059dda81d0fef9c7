import { QueueBackendError } from "../errors.js";

/** What a Redis queue backend reports when Redis stops answering, and when it answers again. */
export type RedisOutageChange =
  | {
      readonly state: "down";
      /** When the first sign of trouble was seen (ms since the epoch, host time). */
      readonly since: number;
      /** What went wrong first: a lost connection, a command that timed out. */
      readonly error: QueueBackendError;
    }
  | {
      readonly state: "up";
      /** When the outage began. */
      readonly since: number;
      /** How long Redis did not answer. */
      readonly downMs: number;
      /**
       * Redis came back without its data (restarted empty): the backend has
       * put back the entries it holds, waiters at their old places.
       */
      readonly dataLost: boolean;
    };

/** Options of {@link OutageWatch}. */
export interface OutageWatchOptions {
  /** How long waiting entries keep their places before {@link onGraceOver}. */
  readonly graceMs: number;
  readonly onChange: (change: RedisOutageChange) => void;
  /** The outage outlasted the grace: waiting entries must now fail with `error`. */
  readonly onGraceOver: (error: QueueBackendError) => void;
}

/**
 * One backend's view of whether Redis answers: an outage begins with the
 * first sign of trouble (the connection dropped, or a command timed out
 * while connected, as when Redis is stalled) and ends with the first
 * heartbeat that gets every reply. Both are reported once; an outage that
 * outlasts the grace is reported to `onGraceOver` once.
 *
 * Real timers, not the backend's clock: the grace bounds waiting on a
 * socket, which a test's manual clock does not drive.
 */
export class OutageWatch {
  private since: number | undefined;
  private dataLost = false;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly options: OutageWatchOptions) {}

  /** True from the first sign of trouble until Redis answers again. */
  get active(): boolean {
    return this.since !== undefined;
  }

  /** Something failed that only a missing or stalled Redis explains. */
  down(error: QueueBackendError, since = Date.now()): void {
    if (this.since !== undefined) return;
    this.since = since;
    this.options.onChange({ state: "down", since, error });
    const { graceMs } = this.options;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.options.onGraceOver(
          new QueueBackendError(
            `${error.message}; no answer for ${graceMs} ms, so waiting entries gave up their places`,
            { cause: error },
          ),
        );
      },
      Math.max(0, graceMs - (Date.now() - since)),
    );
    this.timer.unref();
  }

  /** Redis came back without its data; reported with the outage's end. */
  noteDataLost(): void {
    this.dataLost = true;
  }

  /** Redis answered every command of a heartbeat. */
  up(): void {
    const since = this.since;
    if (since === undefined) return;
    const dataLost = this.dataLost;
    this.close();
    this.options.onChange({ state: "up", since, downMs: Date.now() - since, dataLost });
  }

  /** Forgets the outage without reporting its end (the backend is closing). */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.since = undefined;
    this.dataLost = false;
  }
}

import { type Clock, sleep, systemClock, type TimerHandle } from "@ringflow/core";
import type { Db } from "@ringflow/db";
import type { Logger } from "../logger.js";

/** Options of {@link HistoryCleanup}. */
export interface HistoryCleanupOptions {
  readonly calls: Pick<Db<unknown>["calls"], "deleteFinishedBefore">;
  /** Finished calls that started longer ago than this are deleted, with their traces. */
  readonly retentionMs: number;
  readonly log: Logger;
  /** Calls deleted per transaction (default 500). */
  readonly batchSize?: number;
  /** Rest between two batches, so call writes are never held up long (default 200 ms). */
  readonly pauseMs?: number;
  /** How often the job runs (default hourly); the first run is `firstRunMs` after start (default 60 s). */
  readonly everyMs?: number;
  readonly firstRunMs?: number;
  /** Times the runs and pauses and tells what "older" is measured from (default `systemClock`). */
  readonly clock?: Clock;
}

/**
 * The history clean-up job: on a timer, deletes finished call records and
 * their traces older than `retentionMs`, in small batches with a pause
 * between them. Several workers may run it at once: a batch deletes only
 * what is still there.
 */
export class HistoryCleanup {
  private timer: TimerHandle | undefined;
  private running: Promise<number> | undefined;
  private stopped = false;
  private readonly clock: Clock;

  constructor(private readonly options: HistoryCleanupOptions) {
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    this.schedule(this.options.firstRunMs ?? 60_000);
  }

  /** Deletes every batch there is now; resolves with how many calls went. */
  runOnce(): Promise<number> {
    this.running ??= this.sweep().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.runOnce().then(
        () => this.schedule(this.options.everyMs ?? 3_600_000),
        (error: unknown) => {
          this.options.log.warn({ err: error }, "history clean-up failed; will try again");
          this.schedule(this.options.everyMs ?? 3_600_000);
        },
      );
    }, ms);
  }

  private async sweep(): Promise<number> {
    const { calls, retentionMs, log } = this.options;
    const batchSize = this.options.batchSize ?? 500;
    const before = new Date(this.clock.now() - retentionMs);
    let total = 0;
    for (;;) {
      if (this.stopped) break;
      const deleted = await calls.deleteFinishedBefore({ before, batchSize });
      total += deleted;
      if (deleted < batchSize) break;
      await sleep(this.clock, this.options.pauseMs ?? 200);
    }
    if (total > 0) log.info({ deleted: total, before }, "deleted old call history");
    return total;
  }
}

import { type Clock, systemClock, type TimerHandle } from "@ringflow/core";
import type { CallRecord, CallsRepository, TraceStep } from "@ringflow/db";

/** Where a batch that could not be written is reported. */
export interface RecordWriteFailure {
  readonly error: unknown;
  /** Calls whose writes the batch carried. */
  readonly calls: number;
  /** True when the log gave up on them (after `maxAttempts`); false when it will try again. */
  readonly dropped: boolean;
}

/** Options of {@link RecordWriter}. */
export interface RecordWriterOptions {
  readonly calls: Pick<CallsRepository, "saveBatch">;
  /** How long a write may wait to be batched with others (default 200 ms). */
  readonly flushIntervalMs?: number;
  /** Calls that trigger a write at once instead of waiting (default 500). */
  readonly maxBatchCalls?: number;
  /** Tries of one batch before its writes are dropped (default 5; waits double from the interval). */
  readonly maxAttempts?: number;
  /**
   * Most calls, and most trace steps, one transaction carries (defaults 20
   * and 160). A larger batch goes as several transactions, one after the
   * other with the event loop let through between them: on SQLite a
   * transaction runs synchronously from its first statement to its commit
   * (about 0.6 ms per call with its steps), so one of 80 calls held every
   * other call's events for 50 ms.
   */
  readonly maxTransactionCalls?: number;
  readonly maxTransactionSteps?: number;
  readonly onFailure: (failure: RecordWriteFailure) => void;
  /** Times the batch interval and the retry waits (default `systemClock`). */
  readonly clock?: Clock;
}

interface PendingCall {
  /** A write that should not wait for the batch interval (a call's first record). */
  urgent: boolean;
  record: CallRecord;
  /** Trace steps not yet written, in the order they were saved. */
  steps: TraceStep[];
  waiters: Array<() => void>;
  attempts: number;
}

/**
 * Writes call records and traces in batches: every write waits up to
 * `flushIntervalMs` and then goes to the database with every other call's,
 * in `saveBatch` transactions of up to `maxTransactionCalls` calls. One
 * transaction for many calls costs a fraction of a write per call (see
 * docs/benchmarks.md, "Call records"); a bounded one keeps the event loop
 * moving while a large batch is written.
 *
 * A call's record is always saved whole (every field, null included), so
 * when it is saved again before the batch goes, only the latest is written;
 * trace steps add up in order. A failed batch is reported and tried again
 * after a wait that doubles, up to `maxAttempts` tries; a record and the
 * trace saved with it travel together, so a trace never lands without its
 * record. Batches, and the transactions of a batch, go one at a time, in
 * order; when one fails, the rest of its batch is not tried and waits with it.
 */
export class RecordWriter {
  private pending = new Map<string, PendingCall>();
  private writing: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private failures = 0;
  /** Pending calls with an urgent write. */
  private urgentCount = 0;
  private readonly flushIntervalMs: number;
  private readonly maxBatchCalls: number;
  private readonly maxAttempts: number;
  private readonly maxTransactionCalls: number;
  private readonly maxTransactionSteps: number;
  private readonly clock: Clock;

  constructor(private readonly options: RecordWriterOptions) {
    this.clock = options.clock ?? systemClock;
    this.flushIntervalMs = options.flushIntervalMs ?? 200;
    this.maxBatchCalls = options.maxBatchCalls ?? 500;
    this.maxAttempts = options.maxAttempts ?? 5;
    this.maxTransactionCalls = options.maxTransactionCalls ?? 20;
    this.maxTransactionSteps = options.maxTransactionSteps ?? 160;
  }

  /** Calls with writes not yet in the database. */
  get backlog(): number {
    return this.pending.size;
  }

  /**
   * Saves `record` (replacing what is stored for the call) and appends
   * `steps` to its trace. Resolves once written, or once the log gave up on
   * it (reported through `onFailure`); never rejects.
   */
  save(
    record: CallRecord,
    steps: readonly TraceStep[] = [],
    options: { readonly urgent?: boolean } = {},
  ): Promise<void> {
    const urgent = options.urgent ?? false;
    return new Promise((resolve) => {
      const entry = this.pending.get(record.callUuid);
      if (entry) {
        entry.record = record;
        entry.steps.push(...steps);
        entry.waiters.push(resolve);
        if (urgent && !entry.urgent) {
          entry.urgent = true;
          this.urgentCount++;
        }
      } else {
        this.pending.set(record.callUuid, {
          urgent,
          record,
          steps: [...steps],
          waiters: [resolve],
          attempts: 0,
        });
        if (urgent) this.urgentCount++;
      }
      this.schedule();
    });
  }

  /** Writes everything saved so far now, then resolves (failures reported, not retried). */
  async flush(): Promise<void> {
    this.timer?.cancel();
    this.timer = undefined;
    while (this.writing || this.pending.size > 0) {
      if (this.writing) await this.writing;
      else await this.write(true);
    }
  }

  private schedule(): void {
    if (this.writing || this.pending.size === 0) return;
    if (this.pending.size >= this.maxBatchCalls && this.failures === 0) {
      this.timer?.cancel();
      this.timer = undefined;
      void this.write(false);
      return;
    }
    // An urgent write goes as soon as no batch is on its way (the writes that
    // pile up meanwhile go with it): batching under load, no wait when idle.
    const urgent = this.urgentCount > 0 && this.failures === 0;
    if (this.timer && !urgent) return;
    this.timer?.cancel();
    const wait = urgent ? 0 : this.flushIntervalMs * 2 ** Math.min(this.failures, 5);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      void this.write(false);
    }, wait);
  }

  private write(final: boolean): Promise<void> {
    if (this.pending.size === 0) return Promise.resolve();
    const batch = this.pending;
    this.pending = new Map();
    this.urgentCount = 0;
    this.writing = this.send(batch, final).finally(() => {
      this.writing = undefined;
      this.schedule();
    });
    return this.writing;
  }

  private async send(batch: Map<string, PendingCall>, final: boolean): Promise<void> {
    const parts = this.split([...batch.values()]);
    for (const [index, entries] of parts.entries()) {
      if (index > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      try {
        await this.options.calls.saveBatch({
          records: entries.map((entry) => entry.record),
          traces: entries
            .filter((entry) => entry.steps.length > 0)
            .map((entry) => ({ callUuid: entry.record.callUuid, steps: entry.steps })),
        });
        this.failures = 0;
        for (const entry of entries) for (const wake of entry.waiters) wake();
      } catch (error) {
        this.failures++;
        const retry: PendingCall[] = [];
        const dropped: PendingCall[] = [];
        for (const entry of entries) {
          entry.attempts++;
          (final || entry.attempts >= this.maxAttempts ? dropped : retry).push(entry);
        }
        if (retry.length > 0)
          this.options.onFailure({ error, calls: retry.length, dropped: false });
        if (dropped.length > 0)
          this.options.onFailure({ error, calls: dropped.length, dropped: true });
        for (const entry of dropped) for (const wake of entry.waiters) wake();
        // The parts not sent yet wait with the failed one; they were not tried.
        this.requeue([...retry, ...parts.slice(index + 1).flat()]);
        return;
      }
    }
  }

  /** A batch in transactions of at most `maxTransactionCalls` calls and `maxTransactionSteps` steps (a call's steps are never split). */
  private split(entries: readonly PendingCall[]): PendingCall[][] {
    const parts: PendingCall[][] = [];
    let part: PendingCall[] = [];
    let steps = 0;
    for (const entry of entries) {
      const full =
        part.length >= this.maxTransactionCalls ||
        (part.length > 0 && steps + entry.steps.length > this.maxTransactionSteps);
      if (full) {
        parts.push(part);
        part = [];
        steps = 0;
      }
      part.push(entry);
      steps += entry.steps.length;
    }
    if (part.length > 0) parts.push(part);
    return parts;
  }

  /** Puts a failed batch's writes back ahead of those saved since. */
  private requeue(entries: readonly PendingCall[]): void {
    if (entries.length === 0) return;
    const newer = this.pending;
    this.pending = new Map(entries.map((entry) => [entry.record.callUuid, entry]));
    for (const entry of entries) entry.urgent = false;
    for (const [callUuid, later] of newer) {
      const earlier = this.pending.get(callUuid);
      if (!earlier) {
        this.pending.set(callUuid, later);
        continue;
      }
      earlier.record = later.record;
      earlier.steps.push(...later.steps);
      earlier.waiters.push(...later.waiters);
      earlier.urgent ||= later.urgent;
    }
    this.urgentCount = [...this.pending.values()].filter((entry) => entry.urgent).length;
  }
}

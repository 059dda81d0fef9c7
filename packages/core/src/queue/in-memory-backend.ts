import { type Clock, systemClock } from "../clock.js";
import type {
  EnqueueRequest,
  QueueBackend,
  QueueConfig,
  QueueSnapshot,
  QueueTicket,
  WaitStats,
} from "./backend.js";
import { QueueBackendError } from "./errors.js";
import { Line } from "./in-memory-line.js";

/** Options of an {@link InMemoryBackend}. */
export interface InMemoryBackendOptions {
  /** Source of timestamps and timeouts. Default: the system clock. */
  readonly clock?: Clock;
}

/**
 * Queue state in this process's memory: the default backend, for a single
 * process. A queue's settings stay for the life of the backend (one small
 * record per queue id); entries leave no trace once they are gone.
 */
export class InMemoryBackend implements QueueBackend {
  readonly clock: Clock;
  private readonly lines = new Map<string, Line>();
  /** Paused queues, also those without a line yet. */
  private readonly pausedIds = new Set<string>();
  private readonly now: () => number;
  private closed = false;

  constructor(options: InMemoryBackendOptions = {}) {
    const clock = options.clock ?? systemClock;
    this.clock = clock;
    this.now = () => clock.now();
  }

  /** Memory is always there: resolves at once (rejects once closed). */
  async ready(): Promise<void> {
    if (this.closed) throw new QueueBackendError("the in-memory queue backend is closed");
  }

  async enqueue(request: EnqueueRequest): Promise<QueueTicket> {
    return this.enqueueNow(request);
  }

  enqueueNow(request: EnqueueRequest): QueueTicket {
    if (this.closed) throw new QueueBackendError("the in-memory queue backend is closed");
    let line = this.lines.get(request.queueId);
    if (!line) {
      line = new Line(request.queueId, request.maxConcurrent, this.now);
      line.paused = this.pausedIds.has(request.queueId);
      this.lines.set(request.queueId, line);
    }
    return line.enqueue(request);
  }

  async position(queueId: string, itemId: string): Promise<number | null> {
    return this.lines.get(queueId)?.position(itemId) ?? null;
  }

  async waitStats(queueId: string, itemId: string): Promise<WaitStats | null> {
    return this.lines.get(queueId)?.waitStats(itemId) ?? null;
  }

  async snapshot(queueId: string): Promise<QueueSnapshot> {
    const line = this.lines.get(queueId);
    return {
      queueId,
      at: this.now(),
      maxConcurrent: line?.maxConcurrent ?? null,
      holders: line?.holderList() ?? [],
      waiters: line?.waiterList() ?? [],
    };
  }

  async setPaused(queueId: string, paused: boolean): Promise<void> {
    if (paused) this.pausedIds.add(queueId);
    else this.pausedIds.delete(queueId);
    const line = this.lines.get(queueId);
    if (!line) return;
    line.paused = paused;
    line.grant();
  }

  async configure(queueId: string, config: QueueConfig): Promise<void> {
    const line = this.lines.get(queueId);
    if (!line) {
      const created = new Line(queueId, config.maxConcurrent, this.now);
      created.paused = this.pausedIds.has(queueId);
      this.lines.set(queueId, created);
      return;
    }
    line.maxConcurrent = config.maxConcurrent;
    line.grant();
  }

  async close(): Promise<void> {
    this.closed = true;
    const error = new QueueBackendError("the in-memory queue backend was closed");
    for (const line of this.lines.values()) line.close(error);
    this.lines.clear();
  }
}

import type { Clock } from "../clock.js";

/** How many of a queue's latest hold times the rolling average behind estimated waits keeps. */
export const HOLD_TIME_SAMPLES = 50;

/** What {@link QueueBackend.enqueue} needs to put an entry in line. */
export interface EnqueueRequest {
  readonly queueId: string;
  readonly itemId: string;
  /**
   * The queue generated `itemId` (the caller gave none): unique in this
   * process by construction, so an in-process backend need not look it up
   * to refuse a duplicate unless a caller chose an id of the same form (see
   * `looksGenerated`). Optional: absent means the caller chose it.
   */
  readonly itemIdGenerated?: boolean;
  /** Lower goes first; FIFO among equals. */
  readonly priority: number;
  /** Slot limit to record if this queue has none yet; ignored otherwise. */
  readonly maxConcurrent: number;
  /** Turn the entry away (`QueueFullError`) if it would wait behind this many; `undefined`: no limit. */
  readonly maxWaiting: number | undefined;
  /**
   * When the caller asked to join (backend clock): the entry's `enqueuedAt`,
   * so its wait includes any wait for the storage to be reachable. Never
   * later than the clock's now (the queue takes the earlier of the two).
   */
  readonly requestedAt: number;
  /**
   * The entry keeps an earlier place (`requestedAt` came from the caller):
   * it stands ahead of the entries of its priority that joined after
   * `requestedAt`, instead of at the end of the line.
   */
  readonly keepsPlace?: boolean;
}

/**
 * A backend's handle on one entry, from joining the line until it leaves
 * it or gives its slot back.
 */
export interface QueueTicket {
  /** When the entry joined the line (backend clock, ms since the epoch). */
  readonly enqueuedAt: number;
  /** 1-based place in line when it joined; `null` if it got a slot at once. */
  readonly position: number | null;
  /** When the slot was granted, if it was granted while joining. */
  readonly grantedAt: number | undefined;
  /**
   * Resolves with the grant time once the entry holds a slot. Rejects with
   * `QueueBackendError` if the backend loses the entry (lease lost, backend
   * closed, storage unreachable for too long).
   */
  granted(): Promise<number>;
  /**
   * The same as {@link granted}, as a call instead of a promise: tells
   * `listener` once, synchronously, when the grant is made or the entry is
   * lost (at once if that already happened). One listener per ticket.
   * Optional: the queue uses it when present, to spare a promise per wait.
   */
  listen?(listener: GrantListener): void;
  /**
   * Takes the entry out of the line; if a slot was granted that the caller
   * has not seen yet, gives it back. Never rejects: what cannot reach the
   * storage now is retried or left to expire.
   */
  cancel(): Promise<void>;
  /** Gives back the held slot, records its hold time and hands it on. */
  release(): Promise<void>;
  /**
   * Aborts if the backend can no longer vouch that the entry holds its slot:
   * its lease may have run out while the storage was unreachable, or the
   * storage lost it and could not take it back. Others may hold the slot by
   * then; the holder should know its slot no longer counts.
   */
  readonly lost: AbortSignal;
}

/** Who {@link QueueTicket.listen} tells about a ticket's grant. */
export interface GrantListener {
  /** The entry holds a slot since `at`. */
  granted(at: number): void;
  /** No grant will come (what `granted()` would reject with). */
  failed(error: Error): void;
}

/** Who holds and who waits in one queue, as the backend sees it across all processes. */
export interface QueueSnapshot {
  readonly queueId: string;
  /** When the snapshot was taken (backend clock). */
  readonly at: number;
  /** The queue's slot limit; `null` if the queue has never been used or configured. */
  readonly maxConcurrent: number | null;
  /** Entries holding a slot, longest-held first. */
  readonly holders: readonly QueueHolder[];
  /** Entries waiting, in the order they will be served. */
  readonly waiters: readonly QueueWaiter[];
}

/** An entry holding a slot. */
export interface QueueHolder {
  readonly itemId: string;
  /** When it was granted its slot. */
  readonly since: number;
}

/** An entry waiting in line. */
export interface QueueWaiter {
  readonly itemId: string;
  readonly priority: number;
  readonly enqueuedAt: number;
  /** 1-based place in line. */
  readonly position: number;
}

/** Settings an administrator may change on a live queue. */
export interface QueueConfig {
  /** Slots that may be held at once (integer ≥ 1). */
  readonly maxConcurrent: number;
}

/** What an estimated wait is computed from. */
export interface WaitStats {
  /** 1-based place in line. */
  readonly position: number;
  readonly maxConcurrent: number;
  /** Mean hold time of the queue's recent slots; `null` before any slot was released. */
  readonly averageHoldMs: number | null;
}

/**
 * Where queue state lives. `InMemoryBackend` serves one process;
 * `RedisBackend` shares one line and one limit per queue across processes.
 * Both pass the same behaviour suite.
 */
export interface QueueBackend {
  /** The clock every timestamp and timeout of this backend is taken from. */
  readonly clock: Clock;
  /**
   * Resolves once the backend can serve (its storage answers), however long
   * that takes; rejects only when the backend is closed or `signal` aborts.
   * A process sharing a backend with others awaits it before taking work, so
   * its first entries do not join behind later ones of processes already up.
   */
  ready(signal?: AbortSignal): Promise<void>;
  /**
   * Puts an entry in line (granting it a slot at once if it is first and
   * one is free). Rejects with `QueueFullError`, `QueueDuplicateItemError`
   * or `QueueBackendError`; nothing is left behind when it rejects.
   */
  enqueue(request: EnqueueRequest): Promise<QueueTicket>;
  /**
   * The same as {@link enqueue}, done at once, for backends whose state is
   * in this process (throws what `enqueue` rejects with). Optional: the
   * queue uses it when present, to spare a promise per entry.
   */
  enqueueNow?(request: EnqueueRequest): QueueTicket;
  /** 1-based place of a waiting entry, or `null` if it is not waiting. */
  position(queueId: string, itemId: string): Promise<number | null>;
  /** Inputs of the estimated wait of a waiting entry, or `null` if it is not waiting. */
  waitStats(queueId: string, itemId: string): Promise<WaitStats | null>;
  /** Holders and waiters of a queue. */
  snapshot(queueId: string): Promise<QueueSnapshot>;
  /**
   * Pauses or resumes a queue, for every process sharing the backend. A
   * paused queue grants no slot (newcomers wait too) and its waiters keep
   * their places; resuming grants free slots in line order at once. Holders
   * keep their slots. A queue not used yet starts paused once it is.
   */
  setPaused(queueId: string, paused: boolean): Promise<void>;
  /** Changes a queue's settings; a raised limit is granted to waiters at once. */
  configure(queueId: string, config: QueueConfig): Promise<void>;
  /** Rejects this backend's waiting entries, gives back its slots and frees its resources. */
  close(): Promise<void>;
}

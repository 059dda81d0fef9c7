import {
  type EnqueueRequest,
  HOLD_TIME_SAMPLES,
  type QueueHolder,
  type QueueTicket,
  type QueueWaiter,
  type WaitStats,
} from "./backend.js";
import { EntryIndex } from "./entry-index.js";
import { QueueDuplicateItemError, QueueFullError } from "./errors.js";
import { looksGenerated } from "./slot-options.js";
import { TicketGrant } from "./ticket-grant.js";

const settled = Promise.resolve();

/** Waiters of one priority, oldest first, as a doubly linked list. */
interface Bucket {
  readonly priority: number;
  head: LineEntry | undefined;
  tail: LineEntry | undefined;
  size: number;
}

/** One entry of an in-memory line; it is also the ticket handed to the queue. */
export class LineEntry extends TicketGrant implements QueueTicket {
  state: "waiting" | "holding" | "gone" = "waiting";
  position: number | null = null;
  /** Neighbours in its bucket while waiting, in the holder list while holding. */
  prev: LineEntry | undefined;
  next: LineEntry | undefined;
  bucket: Bucket | undefined;
  /** Kept in the line's index by item id: its caller chose the id (see {@link Line}). */
  indexed = false;
  /** Its caller chose an id of the generated form. */
  lookalike = false;

  constructor(
    private readonly line: Line,
    readonly itemId: string,
    readonly priority: number,
    readonly enqueuedAt: number,
  ) {
    super();
  }

  cancel(): Promise<void> {
    this.line.remove(this, false);
    return settled;
  }

  release(): Promise<void> {
    this.line.remove(this, true);
    return settled;
  }

  /** Marks the entry as holding since `now` and wakes whoever awaits it. */
  markGranted(now: number): void {
    this.state = "holding";
    this.settleGranted(now);
  }

  /** Drops the entry and fails whoever awaits its grant. */
  fail(error: Error): void {
    this.state = "gone";
    this.settleFailed(error);
  }
}

/**
 * One queue's state in memory: waiters in per-priority FIFO buckets (the
 * buckets sorted by priority), holders in grant order, and a ring of recent
 * hold times. Joining, leaving and hand-off cost O(number of priorities in use).
 *
 * Entries whose caller chose the item id are also kept in an index by id
 * (to refuse duplicates and find them for `position`). Entries with an id
 * the queue generated are not: such an id is unique in this process, and
 * looking one up walks the line, as `position` does anyway. So a caller who
 * gives no id costs no hashing at all. A caller who chooses an id of the
 * generated form (see `looksGenerated`) is looked for by a walk, and while
 * one is in line, generated ids are checked against the index.
 *
 * Holders are a linked list through the entries' own `prev`/`next` (free
 * once an entry stops waiting), not a `Set`: a hand-off then hashes nothing
 * and leaves no table behind to rehash.
 */
export class Line {
  private readonly buckets: Bucket[] = [];
  private readonly items = new EntryIndex<LineEntry>();
  private firstHolder: LineEntry | undefined;
  private lastHolder: LineEntry | undefined;
  private holding = 0;
  private waiting = 0;
  /** Indexed entries whose id has the generated form: while none, a generated id is no duplicate. */
  private lookalikes = 0;
  private readonly holdTimes = new Float64Array(HOLD_TIME_SAMPLES);
  private holdCount = 0;
  private holdNext = 0;
  private holdSum = 0;
  /** A paused line grants nothing; its waiters keep their places. */
  paused = false;

  constructor(
    readonly queueId: string,
    public maxConcurrent: number,
    private readonly now: () => number,
  ) {}

  /** Puts an entry in line and grants what can be granted; throws if it is turned away. */
  enqueue(request: EnqueueRequest): LineEntry {
    const { itemId, maxWaiting } = request;
    const generated = request.itemIdGenerated === true;
    const lookalike = !generated && looksGenerated(itemId);
    const taken = generated
      ? this.lookalikes > 0 && this.items.has(itemId)
      : this.items.has(itemId) || (lookalike && this.find(itemId) !== undefined);
    if (taken) throw new QueueDuplicateItemError(this.queueId, itemId);
    // With waiters present every slot is taken, so `waiting > 0` already means "would wait".
    const wouldWait = this.waiting > 0 || this.holding >= this.maxConcurrent || this.paused;
    if (maxWaiting !== undefined && wouldWait && this.waiting >= maxWaiting) {
      throw new QueueFullError(this.queueId, itemId, maxWaiting);
    }
    // An entry that will wait grants nothing, so it needs no clock reading
    // (its `requestedAt`, read by the caller just before, is no later than now).
    const now = wouldWait ? request.requestedAt : this.now();
    const entry = new LineEntry(this, itemId, request.priority, Math.min(now, request.requestedAt));
    if (!generated) {
      this.items.add(itemId, entry);
      entry.indexed = true;
      if (lookalike) {
        entry.lookalike = true;
        this.lookalikes++;
      }
    }
    entry.position = this.append(entry, request.keepsPlace === true);
    if (!wouldWait) this.grant(now);
    if (entry.state === "holding") entry.position = null;
    return entry;
  }

  /** Takes an entry out wherever it is; `recordHold` feeds its hold time to the average. */
  remove(entry: LineEntry, recordHold: boolean): void {
    if (entry.state === "gone") return;
    const now = this.now();
    if (entry.indexed) this.items.delete(entry.itemId);
    if (entry.lookalike) this.lookalikes--;
    if (entry.state === "waiting") {
      this.unlink(entry);
    } else {
      this.unlinkHolder(entry);
      if (recordHold && entry.grantedAt !== undefined) {
        this.recordHold(now - entry.grantedAt);
      }
    }
    entry.state = "gone";
    this.grant(now);
  }

  /** Grants free slots to the head of the line, one by one. */
  grant(now = this.now()): void {
    if (this.paused) return;
    while (this.holding < this.maxConcurrent) {
      const head = this.buckets[0]?.head;
      if (!head) return;
      this.unlink(head);
      this.linkHolder(head);
      head.markGranted(now);
    }
  }

  position(itemId: string): number | null {
    const entry = this.lookUp(itemId);
    if (entry?.state !== "waiting") return null;
    let position = 0;
    for (const bucket of this.buckets) {
      if (bucket === entry.bucket) break;
      position += bucket.size;
    }
    for (let at = entry.bucket?.head; at; at = at.next) {
      position++;
      if (at === entry) break;
    }
    return position;
  }

  waitStats(itemId: string): WaitStats | null {
    const position = this.position(itemId);
    if (position === null) return null;
    return {
      position,
      maxConcurrent: this.maxConcurrent,
      averageHoldMs: this.holdCount === 0 ? null : this.holdSum / this.holdCount,
    };
  }

  holderList(): QueueHolder[] {
    const holders: QueueHolder[] = [];
    for (let at = this.firstHolder; at; at = at.next) {
      holders.push({ itemId: at.itemId, since: at.grantedAt ?? 0 });
    }
    return holders;
  }

  waiterList(): QueueWaiter[] {
    const waiters: QueueWaiter[] = [];
    for (const bucket of this.buckets) {
      for (let at = bucket.head; at; at = at.next) {
        waiters.push({
          itemId: at.itemId,
          priority: at.priority,
          enqueuedAt: at.enqueuedAt,
          position: waiters.length + 1,
        });
      }
    }
    return waiters;
  }

  /** Fails every waiter with `error` and forgets every entry. */
  close(error: Error): void {
    const entries: LineEntry[] = [];
    for (let at = this.firstHolder; at; at = at.next) entries.push(at);
    for (const bucket of this.buckets) {
      for (let at = bucket.head; at; at = at.next) entries.push(at);
    }
    for (const entry of entries) entry.fail(error);
    this.items.clear();
    this.lookalikes = 0;
    this.firstHolder = this.lastHolder = undefined;
    this.holding = 0;
    this.buckets.length = 0;
    this.waiting = 0;
  }

  /** The entry with this item id, wherever it is. */
  private lookUp(itemId: string): LineEntry | undefined {
    return this.items.get(itemId) ?? (looksGenerated(itemId) ? this.find(itemId) : undefined);
  }

  /** Walks holders and waiters for an entry with this item id (indexed or not). */
  private find(itemId: string): LineEntry | undefined {
    for (let at = this.firstHolder; at; at = at.next) if (at.itemId === itemId) return at;
    for (const bucket of this.buckets) {
      for (let at = bucket.head; at; at = at.next) if (at.itemId === itemId) return at;
    }
    return undefined;
  }

  /**
   * Links `entry` at the tail of its priority's bucket (with `keepsPlace`,
   * ahead of the entries that joined after its `enqueuedAt`); returns its
   * 1-based position.
   */
  private append(entry: LineEntry, keepsPlace: boolean): number {
    let before = 0;
    let index = 0;
    let bucket: Bucket | undefined;
    for (; index < this.buckets.length; index++) {
      const candidate = this.buckets[index] as Bucket;
      if (candidate.priority === entry.priority) bucket = candidate;
      if (candidate.priority >= entry.priority) break;
      before += candidate.size;
    }
    if (!bucket) {
      bucket = { priority: entry.priority, head: undefined, tail: undefined, size: 0 };
      this.buckets.splice(index, 0, bucket);
    }
    entry.bucket = bucket;
    // Behind the last entry that joined no later than this one's place:
    // the tail, unless it keeps an earlier place (a callback's).
    let after = bucket.tail;
    let behind = 0;
    if (keepsPlace) {
      while (after && after.enqueuedAt > entry.enqueuedAt) {
        after = after.prev;
        behind++;
      }
    }
    entry.prev = after;
    entry.next = after ? after.next : bucket.head;
    if (entry.prev) entry.prev.next = entry;
    else bucket.head = entry;
    if (entry.next) entry.next.prev = entry;
    else bucket.tail = entry;
    bucket.size++;
    this.waiting++;
    return before + bucket.size - behind;
  }

  private unlink(entry: LineEntry): void {
    const bucket = entry.bucket;
    if (!bucket) return;
    if (entry.prev) entry.prev.next = entry.next;
    else bucket.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else bucket.tail = entry.prev;
    entry.prev = entry.next = entry.bucket = undefined;
    bucket.size--;
    this.waiting--;
    if (bucket.size === 0) this.buckets.splice(this.buckets.indexOf(bucket), 1);
  }

  private linkHolder(entry: LineEntry): void {
    entry.prev = this.lastHolder;
    entry.next = undefined;
    if (this.lastHolder) this.lastHolder.next = entry;
    else this.firstHolder = entry;
    this.lastHolder = entry;
    this.holding++;
  }

  private unlinkHolder(entry: LineEntry): void {
    if (entry.prev) entry.prev.next = entry.next;
    else this.firstHolder = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.lastHolder = entry.prev;
    entry.prev = entry.next = undefined;
    this.holding--;
  }

  private recordHold(ms: number): void {
    const sample = Math.max(0, ms);
    if (this.holdCount === HOLD_TIME_SAMPLES) this.holdSum -= this.holdTimes[this.holdNext] ?? 0;
    else this.holdCount++;
    this.holdTimes[this.holdNext] = sample;
    this.holdSum += sample;
    this.holdNext = (this.holdNext + 1) % HOLD_TIME_SAMPLES;
  }
}

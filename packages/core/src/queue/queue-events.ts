/** Fields every queue event carries. */
interface QueueEventBase {
  readonly queueId: string;
  readonly itemId: string;
  /** When it happened (the backend's clock, ms since the epoch). */
  readonly at: number;
}

/** An entry joined the line. */
export interface QueueEnqueuedEvent extends QueueEventBase {
  readonly type: "enqueued";
  readonly priority: number;
  /** 1-based place in line on joining; `null` if it got a slot at once. */
  readonly position: number | null;
}

/** An entry got its slot. */
export interface QueueAcquiredEvent extends QueueEventBase {
  readonly type: "acquired";
  readonly enqueuedAt: number;
  readonly waitMs: number;
}

/**
 * A slot was given back. Told as the release begins, before the backend
 * frees the slot (so that the next holder, whom the release may wake at
 * once, is told of its acquire after this): a listener that reads the
 * queue's state at once still sees the slot held; read it after the
 * current turn (e.g. `setImmediate`).
 */
export interface QueueReleasedEvent extends QueueEventBase {
  readonly type: "released";
  readonly acquiredAt: number;
  readonly heldMs: number;
}

/** An entry gave up after its `timeoutMs`. */
export interface QueueTimeoutEvent extends QueueEventBase {
  readonly type: "timeout";
  readonly enqueuedAt: number;
  readonly waitMs: number;
}

/** An entry's signal aborted (the caller hung up) while it waited. */
export interface QueueAbandonedEvent extends QueueEventBase {
  readonly type: "abandoned";
  readonly enqueuedAt: number;
  readonly waitMs: number;
}

/** Everything a {@link Queue} reports about the entries of its own process. */
export type QueueEvent =
  | QueueEnqueuedEvent
  | QueueAcquiredEvent
  | QueueReleasedEvent
  | QueueTimeoutEvent
  | QueueAbandonedEvent;

/** The kinds of {@link QueueEvent}. */
export type QueueEventType = QueueEvent["type"];

/** A listener for one kind of event. */
export type QueueEventListener<T extends QueueEventType> = (
  event: Extract<QueueEvent, { type: T }>,
) => void;

/**
 * Subscription point for a queue's events. Listeners run synchronously; one
 * that throws does not disturb the queue or the other listeners, and its
 * error is rethrown on a fresh microtask (an uncaught exception, like an
 * `EventTarget` listener's).
 */
export interface QueueEvents {
  /** Calls `listener` for every event of `type`; returns a function that unsubscribes. */
  on<T extends QueueEventType>(type: T, listener: QueueEventListener<T>): () => void;
  /** Calls `listener` for every event; returns a function that unsubscribes. */
  onAny(listener: (event: QueueEvent) => void): () => void;
}

type AnyListener = (event: QueueEvent) => void;

/** The queue's side of {@link QueueEvents}: it can also emit. */
export class QueueEventHub implements QueueEvents {
  private readonly byType = new Map<QueueEventType, Set<AnyListener>>();
  private readonly any = new Set<AnyListener>();

  on<T extends QueueEventType>(type: T, listener: QueueEventListener<T>): () => void {
    let set = this.byType.get(type);
    if (!set) {
      set = new Set();
      this.byType.set(type, set);
    }
    // Each listener is only ever called with events of its own type.
    const entry = listener as AnyListener;
    set.add(entry);
    return () => {
      set.delete(entry);
    };
  }

  onAny(listener: AnyListener): () => void {
    this.any.add(listener);
    return () => {
      this.any.delete(listener);
    };
  }

  /** True if anyone listens to `type`: callers skip building events nobody hears. */
  wants(type: QueueEventType): boolean {
    return this.any.size > 0 || (this.byType.get(type)?.size ?? 0) > 0;
  }

  emit(event: QueueEvent): void {
    const typed = this.byType.get(event.type);
    if (typed) for (const listener of [...typed]) call(listener, event);
    for (const listener of [...this.any]) call(listener, event);
  }
}

function call(listener: AnyListener, event: QueueEvent) {
  try {
    listener(event);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

import { applyLiveEvent, emptyLiveSnapshot } from "./apply-live-event.js";
import type { LiveFeed, LiveSubscribeOptions } from "./live-feed.js";
import type { LiveEvent, LiveSnapshot } from "./live-state.js";

/**
 * A {@link LiveFeed} kept in this process: {@link publish} applies an event
 * to the held snapshot and hands it to every subscriber. The worker's hub
 * without Redis, and a fake feed for tests.
 */
export class InMemoryLiveFeed implements LiveFeed {
  private current: LiveSnapshot;
  private readonly listeners = new Set<(event: LiveEvent) => void>();
  private readonly now: () => number;

  constructor(options: { readonly initial?: LiveSnapshot; readonly now?: () => number } = {}) {
    this.now = options.now ?? Date.now;
    this.current = options.initial ?? emptyLiveSnapshot(this.now());
  }

  /** Applies `event` and delivers it to every subscriber (synchronously; a throwing listener does not stop the others). */
  publish(event: LiveEvent): void {
    this.current = applyLiveEvent(this.current, event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  /** The held state, synchronously. */
  peek(): LiveSnapshot {
    return { ...this.current, at: Math.max(this.current.at, this.now()) };
  }

  async snapshot(): Promise<LiveSnapshot> {
    return this.peek();
  }

  async subscribe(
    listener: (event: LiveEvent) => void,
    options: LiveSubscribeOptions = {},
  ): Promise<() => void> {
    this.listeners.add(listener);
    options.onStatus?.({ state: "live", since: this.now() });
    return () => {
      this.listeners.delete(listener);
    };
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }
}

import type { LiveEvent, LiveFeed, LiveSnapshot } from "@ringflow/core/live";

/**
 * What the board's subscription sends: first a whole snapshot, then events
 * to apply to it with core's `applyLiveEvent`, and the state of the web
 * server's own connection to the workers. After an `upstream: reconnecting`
 * a fresh snapshot follows once the feed is back, so the gap's events are
 * never missed and none is applied twice.
 */
export type BoardMessage =
  | { readonly type: "snapshot"; readonly snapshot: LiveSnapshot }
  | { readonly type: "events"; readonly events: readonly LiveEvent[] }
  | { readonly type: "upstream"; readonly state: "live" | "reconnecting"; readonly since: number };

/** Options of {@link streamBoard}. */
export interface StreamBoardOptions {
  readonly feed: LiveFeed;
  /** Ends the stream (the browser went away). */
  readonly signal: AbortSignal;
  /**
   * Events arriving within this many ms are sent as one message (the board
   * keeps up with bursts without one SSE message per event). Default 25.
   */
  readonly batchMs?: number;
  /** How long to wait before trying a failed snapshot again. Default 2,000 ms. */
  readonly retryMs?: number;
  /** Called before each message; throw to end the stream (a TV link revoked meanwhile). */
  readonly check?: () => Promise<void>;
  /** Milliseconds since the epoch. */
  readonly now?: () => number;
}

type Pending =
  | { readonly kind: "event"; readonly event: LiveEvent }
  | { readonly kind: "status"; readonly state: "live" | "reconnecting"; readonly since: number };

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * The board's live stream from `feed`: subscribes first, then takes the
 * snapshot (so nothing between the two is lost; events the snapshot
 * already holds change nothing when applied), then forwards events in
 * small batches until `signal` aborts.
 */
export async function* streamBoard(options: StreamBoardOptions): AsyncGenerator<BoardMessage> {
  const { feed, signal } = options;
  const batchMs = options.batchMs ?? 25;
  const retryMs = options.retryMs ?? 2_000;
  const now = options.now ?? Date.now;
  const pending: Pending[] = [];
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  const unsubscribe = await feed.subscribe(
    (event) => {
      pending.push({ kind: "event", event });
      notify();
    },
    {
      onStatus: (status) => {
        pending.push({ kind: "status", state: status.state, since: status.since });
        notify();
      },
    },
  );
  const onAbort = () => notify();
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    let needSnapshot = true;
    let upstream: "live" | "reconnecting" = "live";
    while (!signal.aborted) {
      if (needSnapshot) {
        let snapshot: LiveSnapshot;
        try {
          snapshot = await feed.snapshot();
        } catch {
          // The workers cannot be read now: say so, and try again.
          await options.check?.();
          yield { type: "upstream", state: "reconnecting", since: now() };
          upstream = "reconnecting";
          await sleep(retryMs, signal);
          continue;
        }
        // Events queued before the snapshot are in it or older: applying them
        // changes nothing, but they would only cost the browser work.
        pending.splice(0, pending.length, ...pending.filter((p) => p.kind === "status"));
        await options.check?.();
        yield { type: "snapshot", snapshot };
        if (upstream === "reconnecting") {
          yield { type: "upstream", state: "live", since: now() };
          upstream = "live";
        }
        needSnapshot = false;
      }
      if (pending.length === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          if (pending.length > 0 || signal.aborted) notify();
        });
        if (signal.aborted) break;
        if (batchMs > 0) await sleep(batchMs, signal);
      }
      const taken = pending.splice(0, pending.length);
      const events: LiveEvent[] = [];
      for (const item of taken) {
        if (item.kind === "event") {
          events.push(item.event);
          continue;
        }
        if (item.state === upstream) continue;
        if (events.length > 0) yield { type: "events", events: events.splice(0) };
        upstream = item.state;
        // Back after a gap: what happened meanwhile is only in a fresh snapshot
        // (which is followed by the "live" message).
        if (item.state === "live") {
          upstream = "reconnecting";
          needSnapshot = true;
          break;
        }
        await options.check?.();
        yield { type: "upstream", state: item.state, since: item.since };
      }
      // A fresh snapshot is coming, holding these.
      if (needSnapshot) continue;
      if (events.length > 0) {
        await options.check?.();
        yield { type: "events", events };
      }
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    unsubscribe();
  }
}

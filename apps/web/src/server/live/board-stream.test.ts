import {
  applyLiveEvent,
  InMemoryLiveFeed,
  type LiveEvent,
  type LiveFeed,
  type LiveFeedStatus,
  type LiveQueue,
  type LiveSnapshot,
} from "@ringflow/core/live";
import { describe, expect, it } from "vitest";
import { type BoardMessage, streamBoard } from "./board-stream";

const queue = (at: number, waiting: number): LiveQueue => ({
  queueId: "support",
  name: "Support",
  paused: false,
  maxConcurrent: 2,
  inSlot: 0,
  waiting: Array.from({ length: waiting }, (_, i) => ({
    callUuid: `c${i}`,
    callerNumber: null,
    priority: 0,
    vip: false,
    callback: false,
    position: i + 1,
    enqueuedAt: at - 1000,
    estimateMs: null,
  })),
  at,
});

/** Reads messages until `count` arrived, then stops the stream. */
async function take(stream: AsyncGenerator<BoardMessage>, count: number) {
  const messages: BoardMessage[] = [];
  for await (const message of stream) {
    messages.push(message);
    if (messages.length === count) break;
  }
  return messages;
}

/** What the browser would hold after `messages`: the last snapshot with later events applied. */
function held(messages: readonly BoardMessage[]): LiveSnapshot | null {
  let state: LiveSnapshot | null = null;
  for (const message of messages) {
    if (message.type === "snapshot") state = message.snapshot;
    else if (message.type === "events" && state)
      for (const event of message.events) state = applyLiveEvent(state, event);
  }
  return state;
}

/** A feed whose connection to the workers can be dropped and restored by the test. */
class FlakyFeed implements LiveFeed {
  readonly inner = new InMemoryLiveFeed({ now: () => 0 });
  failSnapshots = 0;
  down = false;
  private statusListeners = new Set<(status: LiveFeedStatus) => void>();

  snapshot(): Promise<LiveSnapshot> {
    if (this.failSnapshots > 0) {
      this.failSnapshots--;
      return Promise.reject(new Error("connect ECONNREFUSED"));
    }
    return this.inner.snapshot();
  }
  async subscribe(
    listener: (event: LiveEvent) => void,
    options?: { onStatus?: (status: LiveFeedStatus) => void },
  ) {
    // While the connection is down, events are lost (as over a dropped Redis or HTTP link).
    const unsubscribe = await this.inner.subscribe((event) => {
      if (!this.down) listener(event);
    });
    const onStatus = options?.onStatus;
    if (onStatus) this.statusListeners.add(onStatus);
    return () => {
      unsubscribe();
      if (onStatus) this.statusListeners.delete(onStatus);
    };
  }
  setStatus(status: LiveFeedStatus) {
    this.down = status.state === "reconnecting";
    for (const listener of this.statusListeners) listener(status);
  }
  close = () => this.inner.close();
}

describe("the board's live stream", () => {
  it("sends a snapshot first, then the events after it, batched", async () => {
    const feed = new InMemoryLiveFeed({ now: () => 0 });
    feed.publish({ type: "queue", queue: queue(10, 1) });
    const controller = new AbortController();
    const stream = streamBoard({ feed, signal: controller.signal, batchMs: 20 });
    const first = await stream.next();
    expect(first.value).toMatchObject({ type: "snapshot" });
    const second = stream.next();
    feed.publish({ type: "queue", queue: queue(20, 2) });
    feed.publish({ type: "queue", queue: queue(30, 3) });
    const batch = (await second).value as BoardMessage;
    expect(batch).toMatchObject({ type: "events" });
    expect(batch.type === "events" && batch.events.length).toBe(2);
    expect(held([first.value as BoardMessage, batch])?.queues[0]?.waiting).toHaveLength(3);
    controller.abort();
    await stream.return(undefined);
  });

  it("says when the workers cannot be read, retries, and sends a fresh snapshot when back", async () => {
    const feed = new FlakyFeed();
    feed.failSnapshots = 1;
    feed.inner.publish({ type: "queue", queue: queue(10, 1) });
    const controller = new AbortController();
    const stream = streamBoard({ feed, signal: controller.signal, retryMs: 10, now: () => 5 });
    const messages = await take(stream, 3);
    expect(messages.map((m) => m.type)).toEqual(["upstream", "snapshot", "upstream"]);
    expect(messages[0]).toEqual({ type: "upstream", state: "reconnecting", since: 5 });
    expect(messages[2]).toEqual({ type: "upstream", state: "live", since: 5 });
    controller.abort();
  });

  it("after a gap in the feed, replaces the board with a fresh snapshot: nothing missed, nothing twice", async () => {
    const feed = new FlakyFeed();
    feed.inner.publish({ type: "queue", queue: queue(10, 1) });
    const controller = new AbortController();
    const stream = streamBoard({ feed, signal: controller.signal, batchMs: 0, now: () => 99 });
    const messages: BoardMessage[] = [];
    messages.push((await stream.next()).value as BoardMessage);
    const next = stream.next();
    feed.setStatus({ state: "reconnecting", since: 50 });
    messages.push((await next).value as BoardMessage);
    expect(messages[1]).toEqual({ type: "upstream", state: "reconnecting", since: 50 });
    // A change during the gap: no event tells of it, only the next snapshot.
    feed.inner.publish({ type: "queue", queue: queue(40, 4) });
    const afterGap = stream.next();
    feed.setStatus({ state: "live", since: 60 });
    messages.push((await afterGap).value as BoardMessage);
    messages.push((await stream.next()).value as BoardMessage);
    const types = messages.map((m) => m.type);
    expect(types.slice(2)).toEqual(["snapshot", "upstream"]);
    expect(held(messages)?.queues[0]?.waiting).toHaveLength(4);
    controller.abort();
  });

  it("ends when the check refuses (a TV link revoked meanwhile), and unsubscribes", async () => {
    const feed = new InMemoryLiveFeed({ now: () => 0 });
    let allowed = true;
    const controller = new AbortController();
    const stream = streamBoard({
      feed,
      signal: controller.signal,
      batchMs: 0,
      check: async () => {
        if (!allowed) throw new Error("revoked");
      },
    });
    await stream.next();
    allowed = false;
    const next = stream.next();
    feed.publish({ type: "queue", queue: queue(20, 1) });
    await expect(next).rejects.toThrow("revoked");
    // Unsubscribed: publishing reaches nobody and throws nothing.
    feed.publish({ type: "queue", queue: queue(30, 1) });
  });
});

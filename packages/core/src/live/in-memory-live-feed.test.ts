import { describe, expect, it } from "vitest";
import { InMemoryLiveFeed } from "./in-memory-live-feed.js";
import type { LiveEvent, LiveFeedStatus } from "./index.js";

const event: LiveEvent = {
  type: "queue",
  queue: {
    queueId: "q",
    name: null,
    paused: true,
    maxConcurrent: 1,
    inSlot: 0,
    waiting: [],
    at: 5,
  },
};

describe("InMemoryLiveFeed", () => {
  it("applies published events to its snapshot and delivers them to subscribers until they unsubscribe", async () => {
    const feed = new InMemoryLiveFeed({ now: () => 7 });
    const seen: LiveEvent[] = [];
    const statuses: LiveFeedStatus[] = [];
    const stop = await feed.subscribe((e) => seen.push(e), { onStatus: (s) => statuses.push(s) });
    feed.publish(event);
    expect(seen).toEqual([event]);
    expect(statuses).toEqual([{ state: "live", since: 7 }]);
    expect((await feed.snapshot()).queues[0]?.paused).toBe(true);
    stop();
    feed.publish({ ...event, queue: { ...event.queue, paused: false, at: 6 } });
    expect(seen).toHaveLength(1);
    expect((await feed.snapshot()).queues[0]?.paused).toBe(false);
  });
});

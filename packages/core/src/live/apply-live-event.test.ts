import { describe, expect, it } from "vitest";
import {
  applyLiveEvent,
  applyLiveEvents,
  countLiveAgents,
  emptyLiveSnapshot,
  longestWaitMs,
} from "./apply-live-event.js";
import {
  type LiveAgent,
  type LiveEvent,
  type LiveQueue,
  liveEventSchema,
  liveSnapshotSchema,
} from "./live-state.js";

function queue(queueId: string, at: number, waiting: string[] = []): LiveQueue {
  return {
    queueId,
    name: null,
    paused: false,
    maxConcurrent: 2,
    inSlot: 0,
    at,
    waiting: waiting.map((callUuid, i) => ({
      callUuid,
      callerNumber: "1000",
      priority: 5,
      vip: false,
      position: i + 1,
      enqueuedAt: at - 1000 * (waiting.length - i),
      estimateMs: null,
    })),
  };
}

function agent(id: string, at: number, patch: Partial<LiveAgent> = {}): LiveAgent {
  return {
    id,
    contact: `user/${id}`,
    groups: ["sales"],
    wrapUpMs: 0,
    maxNoAnswer: 0,
    status: "available",
    statusSince: 0,
    state: "idle",
    stateSince: 0,
    wrapUpUntil: null,
    noAnswerCount: 0,
    at,
    ...patch,
  };
}

describe("applyLiveEvent", () => {
  it("adds a queue, then replaces it with its newer whole state", () => {
    const one = applyLiveEvent(emptyLiveSnapshot(), {
      type: "queue",
      queue: queue("q", 10, ["a"]),
    });
    expect(one.queues.map((q) => q.waiting.length)).toEqual([1]);
    const two = applyLiveEvent(one, { type: "queue", queue: queue("q", 20, ["a", "b"]) });
    expect(two.queues).toHaveLength(1);
    expect(two.queues[0]?.waiting.map((c) => c.callUuid)).toEqual(["a", "b"]);
    expect(two.at).toBe(20);
  });

  it("is idempotent: replaying events, or applying them over a snapshot that holds them, counts nothing twice", () => {
    const events: LiveEvent[] = [
      { type: "queue", queue: queue("q", 10, ["a"]) },
      { type: "agent", agent: agent("1", 11, { state: "ringing" }) },
      { type: "queue", queue: queue("q", 12, ["a", "b"]) },
      { type: "callEnded", queueId: "q", callUuid: "z", outcome: "answered", waitMs: 5, at: 13 },
    ];
    const once = applyLiveEvents(emptyLiveSnapshot(), events);
    const twice = applyLiveEvents(once, events);
    expect(twice).toEqual(once);
    expect(twice.queues[0]?.waiting).toHaveLength(2);
    expect(twice.agents).toHaveLength(1);
  });

  it("drops a state older than the one held (events crossing between workers)", () => {
    const newer = applyLiveEvent(emptyLiveSnapshot(), { type: "queue", queue: queue("q", 20, []) });
    const late = applyLiveEvent(newer, { type: "queue", queue: queue("q", 15, ["a"]) });
    expect(late).toBe(newer);
    const agentNewer = applyLiveEvent(newer, {
      type: "agent",
      agent: agent("1", 30, { state: "inCall" }),
    });
    expect(applyLiveEvent(agentNewer, { type: "agent", agent: agent("1", 29) })).toBe(agentNewer);
  });

  it("keeps queues ordered by id and agents by id", () => {
    const snapshot = applyLiveEvents(emptyLiveSnapshot(), [
      { type: "queue", queue: queue("b", 1) },
      { type: "queue", queue: queue("a", 1) },
      { type: "queue", queue: queue("c", 1) },
      { type: "agent", agent: agent("2", 1) },
      { type: "agent", agent: agent("1", 1) },
    ]);
    expect(snapshot.queues.map((q) => q.queueId)).toEqual(["a", "b", "c"]);
    expect(snapshot.agents.map((a) => a.id)).toEqual(["1", "2"]);
  });

  it("removes an agent unless the held state is newer than the removal", () => {
    const held = applyLiveEvent(emptyLiveSnapshot(), { type: "agent", agent: agent("1", 10) });
    expect(applyLiveEvent(held, { type: "agentRemoved", agentId: "1", at: 5 })).toBe(held);
    expect(applyLiveEvent(held, { type: "agentRemoved", agentId: "1", at: 11 }).agents).toEqual([]);
    expect(applyLiveEvent(held, { type: "agentRemoved", agentId: "x", at: 11 })).toBe(held);
  });

  it("leaves the snapshot alone on callEnded", () => {
    const held = applyLiveEvent(emptyLiveSnapshot(), {
      type: "queue",
      queue: queue("q", 10, ["a"]),
    });
    expect(
      applyLiveEvent(held, {
        type: "callEnded",
        queueId: "q",
        callUuid: "a",
        outcome: "abandoned",
        waitMs: 100,
        at: 11,
      }),
    ).toBe(held);
  });

  it("leaves the snapshot alone on callbacksChanged", () => {
    const held = applyLiveEvent(emptyLiveSnapshot(), {
      type: "queue",
      queue: queue("q", 10, ["a"]),
    });
    expect(applyLiveEvent(held, { type: "callbacksChanged", queueId: "q", at: 11 })).toBe(held);
  });
});

describe("live schemas", () => {
  it("parse what the reducer produces, and reject an unknown event", () => {
    const snapshot = applyLiveEvents(emptyLiveSnapshot(1), [
      { type: "queue", queue: queue("q", 10, ["a"]) },
      { type: "agent", agent: agent("1", 10) },
    ]);
    expect(liveSnapshotSchema.parse(JSON.parse(JSON.stringify(snapshot)))).toEqual(snapshot);
    expect(liveEventSchema.safeParse({ type: "queueCleared", queueId: "q" }).success).toBe(false);
  });
});

describe("longestWaitMs", () => {
  it("is the wait of the earliest caller, whatever their position", () => {
    const q = queue("q", 10_000, ["a", "b"]);
    const vipFirst = {
      ...q,
      waiting: [
        { ...(q.waiting[1] as LiveQueue["waiting"][number]), position: 1, enqueuedAt: 9_500 },
        { ...(q.waiting[0] as LiveQueue["waiting"][number]), position: 2, enqueuedAt: 7_000 },
      ],
    };
    expect(longestWaitMs(vipFirst, 10_000)).toBe(3_000);
    expect(longestWaitMs(queue("e", 1), 10)).toBe(0);
  });
});

describe("countLiveAgents", () => {
  it("counts by status, and available agents by state; a call beats a break", () => {
    const agents = [
      agent("1", 0),
      agent("2", 0, { state: "ringing" }),
      agent("3", 0, { state: "inCall" }),
      agent("4", 0, { state: "wrapUp" }),
      agent("5", 0, { status: "onBreak" }),
      agent("6", 0, { status: "onBreak", state: "inCall" }),
      agent("7", 0, { status: "loggedOut" }),
      agent("8", 0, { groups: ["support"] }),
    ];
    expect(countLiveAgents(agents, "sales")).toEqual({
      loggedOut: 1,
      onBreak: 1,
      idle: 1,
      ringing: 1,
      inCall: 2,
      wrapUp: 1,
    });
    expect(countLiveAgents(agents).idle).toBe(2);
  });
});

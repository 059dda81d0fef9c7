import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest } from "../../../test/flow-harness.js";
import type { Queue } from "../../queue/queue.js";
import type { QueueEventListener, QueueEventType } from "../../queue/queue-events.js";
import { FlowEngineClosedError } from "./errors.js";

/** Counts the queue's live event subscriptions from now on. */
function countSubscriptions(queue: Queue): () => number {
  const { events } = queue;
  const on = events.on.bind(events);
  let live = 0;
  events.on = <T extends QueueEventType>(type: T, listener: QueueEventListener<T>) => {
    live += 1;
    const off = on(type, listener);
    let done = false;
    return () => {
      if (!done) live -= 1;
      done = true;
      off();
    };
  };
  return () => live;
}

/** start → ring user/1001, user/1002 by least load → bridge. */
const balancingFlow = buildFlow(
  {
    start: { type: "start" },
    ring: {
      type: "ringGroup",
      data: {
        targets: { kind: "destinations", destinations: ["user/1001", "user/1002"] },
        mode: "balancing",
      },
    },
    connect: { type: "bridge" },
  },
  [
    ["start", "next", "ring"],
    ["ring", "answered", "connect"],
  ],
);

/** start → queue → hang up once a slot is had. */
const queueFlow = buildFlow(
  {
    start: { type: "start" },
    queue: { type: "queue", data: { queueId: "q", announceEverySeconds: null } },
    bye: { type: "hangup" },
  },
  [
    ["start", "next", "queue"],
    ["queue", "acquired", "bye"],
  ],
);

describe("FlowEngine", () => {
  it("keeps its own load counts when the runtime brings no balancer: another engine's calls do not count", async () => {
    const { clock, start, switchboard, engineWith } = setUpFlowTest();
    for (const agent of ["user/1001", "user/1002"]) {
      switchboard.script(agent, { kind: "answer", afterMs: 100 });
    }
    const other = engineWith();
    const first = start(balancingFlow);
    await clock.advance(1000);
    // user/1001 talks to the first engine's call: only that engine counts it.
    const elsewhere = start(balancingFlow, {}, other);
    await clock.advance(1000);
    const second = start(balancingFlow);
    await clock.advance(1000);
    expect(switchboard.eventsOf("originate").map((e) => e.destination)).toEqual([
      "user/1001",
      "user/1001",
      "user/1002",
    ]);
    const calls = [first, elsewhere, second];
    for (const c of calls) c.call.hangUp();
    const reports = await drive(clock, Promise.all(calls.map((c) => c.report)));
    expect(reports.map((r) => r.agentContact)).toEqual(["user/1001", "user/1001", "user/1002"]);
  });

  it("holds one enqueued subscription on the queue until closed, and routes only its own calls' joins", async () => {
    const { clock, start, queue, engine, engineWith } = setUpFlowTest();
    const subscriptions = countSubscriptions(queue);
    const other = engineWith();
    expect(subscriptions()).toBe(0);

    const mine = [start(queueFlow), start(queueFlow)];
    const theirs = start(queueFlow, {}, other);
    await drive(clock, Promise.all([...mine, theirs].map((c) => c.report)));
    expect(subscriptions()).toBe(2);
    for (const c of [...mine, theirs]) {
      expect(c.progress.filter((p) => p.kind === "enqueued")).toHaveLength(1);
    }

    engine.close();
    engine.close();
    expect(subscriptions()).toBe(1);
    // The other engine's calls are still told when they join.
    const after = start(queueFlow, {}, other);
    await drive(clock, after.report);
    expect(after.progress.map((p) => p.kind)).toContain("enqueued");

    other.close();
    expect(subscriptions()).toBe(0);
  });

  it("refuses to run a call once closed, without touching the call", async () => {
    const { start, engine } = setUpFlowTest();
    engine.close();
    const refused = start(queueFlow);
    await expect(refused.report).rejects.toBeInstanceOf(FlowEngineClosedError);
    await expect(refused.report).rejects.toMatchObject({ code: "FLOW_ENGINE_CLOSED" });
    expect(refused.call.operations).toEqual([]);
  });
});

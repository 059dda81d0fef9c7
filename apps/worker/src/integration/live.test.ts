import { applyLiveEvent, type LiveEvent, type LiveSnapshot } from "@ringflow/core/live";
import { HttpLiveCommands, HttpLiveFeed } from "@ringflow/core/redis";
import { describe, expect, it } from "vitest";
import {
  eventually,
  liveChannels,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  startTestWorker,
  waitForRecords,
} from "../../test/rig.js";

const QUEUE = "live-q";

describe("the worker's live feed (no Redis: over its HTTP server)", () => {
  it("shows callers entering a paused queue with their places, agents' states, and serves them in order on resume", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const { worker } = await startTestWorker({ sim, databaseUrl: testDb.url, flowPollMs: 500 });
    const url = `http://127.0.0.1:${worker.httpPort}`;
    const feed = new HttpLiveFeed({ url, retryMs: 100 });
    const commands = new HttpLiveCommands({ url });
    try {
      const agent = await testDb.db.agents.create({ contact: "user/1001", name: "Ann" });
      sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 3_000 } });
      await publishFlow(
        testDb.db,
        queueFlow({
          numbers: ["7301"],
          queueId: QUEUE,
          maxConcurrent: 1,
          destinations: ["user/1001"],
        }),
        ["7301"],
      );
      routeNumber(sim, "7301", worker.callPort);

      // Subscribe, then snapshot, then apply: the board's way.
      const events: LiveEvent[] = [];
      const agentStates = new Set<string>();
      await feed.subscribe((event) => {
        events.push(event);
        if (event.type === "agent") agentStates.add(event.agent.state);
      });
      let board: LiveSnapshot = await feed.snapshot();
      const view = () => {
        board = events.splice(0).reduce(applyLiveEvent, board);
        return board;
      };
      await eventually(
        () => view().agents.some((a) => a.id === agent.id && a.status === "available"),
        {
          what: "the agent in the feed, available",
        },
      );

      await testDb.db.queueStates.setPaused(QUEUE, true);
      await commands.send({ type: "setQueuePaused", queueId: QUEUE, paused: true });
      const first = sim.placeCall({ from: "5554001", to: "7301" });
      await eventually(
        () => (view().queues.find((q) => q.queueId === QUEUE)?.waiting.length ?? 0) === 1,
        {
          what: "the first caller on the board",
        },
      );
      const second = sim.placeCall({ from: "5554002", to: "7301" });
      await eventually(
        () => (view().queues.find((q) => q.queueId === QUEUE)?.waiting.length ?? 0) === 2,
        {
          what: "the second caller on the board",
        },
      );
      const line = view().queues.find((q) => q.queueId === QUEUE);
      expect(line).toMatchObject({ paused: true, inSlot: 0, maxConcurrent: 1 });
      expect(line?.waiting.map((c) => [c.callUuid, c.position, c.callerNumber])).toEqual([
        [first.uuid, 1, "5554001"],
        [second.uuid, 2, "5554002"],
      ]);

      await testDb.db.queueStates.setPaused(QUEUE, false);
      await commands.send({ type: "setQueuePaused", queueId: QUEUE, paused: false });
      // Every change is pushed (each event carries the state as read then,
      // so a ringing that lasted a moment may be skipped): the board saw them talk.
      await eventually(() => agentStates.has("inCall"), {
        what: "the agent in a call on the board",
      });
      const records = await waitForRecords(testDb.db, [first.uuid, second.uuid], 60_000);
      expect(records.map((r) => r.outcome)).toEqual(["answered", "answered"]);
      // In line order: the first caller got the (only) slot first.
      expect(records[0]?.acquiredAt?.getTime()).toBeLessThanOrEqual(
        records[1]?.acquiredAt?.getTime() ?? 0,
      );
      await eventually(
        () => {
          const q = view().queues.find((queue) => queue.queueId === QUEUE);
          return q?.waiting.length === 0 && q.inSlot === 0 && !q.paused;
        },
        { what: "an empty line on the board" },
      );
      await eventually(() => liveChannels(sim).length === 0, { what: "every channel hung up" });
    } finally {
      await feed.close();
      await worker.stop();
      await sim.stop();
      await testDb.close();
    }
  }, 90_000);

  it("puts an agent set on break from the board out of ringing at once", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    // A long poll: the command, not the poll, must carry the change.
    const { worker } = await startTestWorker({ sim, databaseUrl: testDb.url, flowPollMs: 60_000 });
    const commands = new HttpLiveCommands({ url: `http://127.0.0.1:${worker.httpPort}` });
    try {
      await worker.refreshFlows();
      const agent = await testDb.db.agents.create({ contact: "user/1001", name: "Ann" });
      await testDb.db.agents.setStatus(agent.id, "onBreak");
      await commands.send({ type: "setAgentStatus", agentId: agent.id, status: "onBreak" });
      expect((await worker.agents.get(agent.id))?.status).toBe("onBreak");
      await testDb.db.agents.setStatus(agent.id, "available");
      await commands.send({ type: "setAgentStatus", agentId: agent.id, status: "available" });
      expect((await worker.agents.get(agent.id))?.status).toBe("available");
    } finally {
      await worker.stop();
      await sim.stop();
      await testDb.close();
    }
  }, 60_000);
});

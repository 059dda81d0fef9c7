import type { FlowGraphInput } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import {
  openTestDb,
  publishFlow,
  routeNumber,
  startSim,
  startTestWorker,
  waitForRecords,
} from "../../test/rig.js";

/** start → queue (1 at a time) → ring group → noAnswer → announce → hang up. */
function failingFlow(destination: string): FlowGraphInput {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7000"] } },
      {
        id: "queue",
        type: "queue",
        position: { x: 200, y: 0 },
        data: {
          queueId: "fast",
          maxConcurrent: 1,
          timeoutSeconds: 300,
          announceEverySeconds: null,
        },
      },
      {
        id: "agents",
        type: "ringGroup",
        position: { x: 400, y: 0 },
        data: {
          targets: { kind: "destinations", destinations: [destination] },
          mode: "parallel",
          legTimeoutSeconds: 20,
          totalTimeoutSeconds: 30,
        },
      },
      {
        id: "sorry",
        type: "announce",
        position: { x: 600, y: 0 },
        data: { message: { kind: "file", file: "ivr/ivr-all_agents_busy.wav" } },
      },
      { id: "bye", type: "hangup", position: { x: 800, y: 0 }, data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "queue" },
      { id: "e2", source: "queue", sourceHandle: "acquired", target: "agents" },
      { id: "e3", source: "agents", sourceHandle: "noAnswer", target: "sorry" },
      { id: "e4", source: "sorry", sourceHandle: "next", target: "bye" },
    ],
  };
}

describe("a ring group that fails within milliseconds", () => {
  it.each([
    ["a destination that does not exist", "user/9999", {}],
    ["an agent busy at once", "user/1001", { busyAfterMs: 1 }],
  ] as const)(
    "with %s, plays the announcement and hangs up, giving the slot back",
    async (_, destination, behaviour) => {
      const sim = await startSim(1);
      const testDb = await openTestDb("sqlite");
      let worker: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
      try {
        await publishFlow(testDb.db, failingFlow(destination), ["7000"]);
        if ("busyAfterMs" in behaviour) sim.users.set("1001", { behaviour });
        ({ worker } = await startTestWorker({ sim, databaseUrl: testDb.url }));
        routeNumber(sim, "7000", worker.callPort);
        const calls = [0, 1, 2].map((i) => sim.placeCall({ from: `555800${i}`, to: "7000" }).uuid);
        const records = await waitForRecords(testDb.db, calls, 20_000);
        for (const record of records) {
          expect(record, record.callUuid).toMatchObject({ outcome: "noAnswer" });
          const trace = await testDb.db.calls.getTrace(record.callUuid);
          const entered = trace?.steps.filter((s) => s.kind === "enter").map((s) => s.nodeId);
          expect(entered).toEqual(["start", "queue", "agents", "sorry", "bye"]);
        }
        expect((await worker.queue.snapshot("fast")).holders).toEqual([]);
      } finally {
        await worker?.stop();
        await sim.stop();
        await testDb.close();
      }
    },
    60_000,
  );
});

import { InMemoryBackend, Queue, type QueueEvents } from "@ringflow/core/queue";
import { connect, FreeswitchCallControl, listen } from "@ringflow/esl";
import { describe, expect, it } from "vitest";
import {
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  scriptAgents,
  startSim,
  waitForRecords,
} from "../../test/rig.js";
import { FlowCatalog } from "../flows/flow-catalog.js";
import { createLogger } from "../logger.js";
import { createWorkerInstruments } from "../telemetry.js";
import { CallRunner, REFUSED_CAUSE } from "./call-runner.js";
import { RecordWriter } from "./record-writer.js";

describe("CallRunner", () => {
  it("hangs up a call that arrives once it stopped accepting, and records why", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const connection = await connect({ port: sim.port, password: "ClueCon" });
    const log = createLogger({ level: "silent", workerId: "runner-test" });
    try {
      await publishFlow(testDb.db, queueFlow({ numbers: ["7000"], queueId: "q" }), ["7000"]);
      const catalog = new FlowCatalog({ db: testDb.db, log, pollMs: 60_000 });
      await catalog.start();
      const runner = new CallRunner({
        workerId: "runner-test",
        catalog,
        runtime: {
          queue: new Queue(new InMemoryBackend()),
          callControl: new FreeswitchCallControl(connection),
        },
        recordWriter: new RecordWriter({ calls: testDb.db.calls, onFailure: () => undefined }),
        log,
        instruments: createWorkerInstruments(),
      });
      const server = await listen({ port: 0, eventFormat: "json" }, (session) =>
        runner.handle(session),
      );
      routeNumber(sim, "7000", server.port);
      runner.stopAccepting();

      const call = sim.placeCall({ from: "5550100", to: "7000" });
      expect(await call.result).toMatchObject({ answered: false, hangupCause: REFUSED_CAUSE });
      const [record] = await waitForRecords(testDb.db, [call.uuid]);
      expect(record).toMatchObject({
        outcome: "failed",
        hangupCause: "NORMAL_TEMPORARY_FAILURE",
        flowId: null,
      });
      expect(await runner.waitUntilIdle(5_000)).toBe(true);
      catalog.stop();
      await server.close({ force: true });
    } finally {
      await connection.disconnect();
      await sim.stop();
      await testDb.close();
    }
  });

  it("runs its calls on one flow engine, and close lets go of the engine's queue subscription and refuses calls", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const connection = await connect({ port: sim.port, password: "ClueCon" });
    const log = createLogger({ level: "silent", workerId: "runner-test" });
    const queue = new Queue(new InMemoryBackend());
    let subscriptions = 0;
    const on = queue.events.on.bind(queue.events);
    queue.events.on = ((type, listener) => {
      subscriptions += 1;
      const off = on(type, listener);
      return () => {
        subscriptions -= 1;
        off();
      };
    }) as QueueEvents["on"];
    try {
      await publishFlow(testDb.db, queueFlow({ numbers: ["7000"], queueId: "q" }), ["7000"]);
      scriptAgents(sim, { answerAfterMs: 50, talkMs: 100 });
      const catalog = new FlowCatalog({ db: testDb.db, log, pollMs: 60_000 });
      await catalog.start();
      const runner = new CallRunner({
        workerId: "runner-test",
        catalog,
        runtime: { queue, callControl: new FreeswitchCallControl(connection) },
        recordWriter: new RecordWriter({ calls: testDb.db.calls, onFailure: () => undefined }),
        log,
        instruments: createWorkerInstruments(),
      });
      const server = await listen({ port: 0, eventFormat: "json" }, (session) =>
        runner.handle(session),
      );
      routeNumber(sim, "7000", server.port);

      const calls = [1, 2].map(() => sim.placeCall({ from: "5550100", to: "7000" }));
      await Promise.all(calls.map((c) => c.result));
      const uuids = calls.map((c) => c.uuid);
      const records = await waitForRecords(testDb.db, uuids);
      expect(records.map((r) => r.outcome)).toEqual(["answered", "answered"]);
      expect(await runner.waitUntilIdle(5_000)).toBe(true);
      // One engine: one subscription for both calls.
      expect(subscriptions).toBe(1);

      runner.close();
      expect(subscriptions).toBe(0);
      const late = sim.placeCall({ from: "5550100", to: "7000" });
      expect(await late.result).toMatchObject({ answered: false, hangupCause: REFUSED_CAUSE });
      expect(await runner.waitUntilIdle(5_000)).toBe(true);
      catalog.stop();
      await server.close({ force: true });
    } finally {
      await connection.disconnect();
      await sim.stop();
      await testDb.close();
    }
  });
});

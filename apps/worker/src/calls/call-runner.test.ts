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

type Sim = Awaited<ReturnType<typeof startSim>>;
type TestDb = Awaited<ReturnType<typeof openTestDb>>;

/**
 * A CallRunner on `queue` with 7000 routed to it through fs-sim (a queue
 * flow published on SQLite), handed to `test`, then everything closed.
 */
async function withRunner(
  queue: Queue,
  test: (parts: { runner: CallRunner; sim: Sim; testDb: TestDb }) => Promise<void>,
): Promise<void> {
  const sim = await startSim(10);
  const testDb = await openTestDb("sqlite");
  const connection = await connect({ port: sim.port, password: "ClueCon" });
  const log = createLogger({ level: "silent", workerId: "runner-test" });
  const catalog = new FlowCatalog({ db: testDb.db, log, pollMs: 60_000 });
  try {
    await publishFlow(testDb.db, queueFlow({ numbers: ["7000"], queueId: "q" }), ["7000"]);
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
    try {
      await test({ runner, sim, testDb });
    } finally {
      await server.close({ force: true });
    }
  } finally {
    catalog.stop();
    await connection.disconnect();
    await sim.stop();
    await testDb.close();
  }
}

describe("CallRunner", () => {
  it("hangs up a call that arrives once it stopped accepting, and records why", async () => {
    await withRunner(new Queue(new InMemoryBackend()), async ({ runner, sim, testDb }) => {
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
    });
  });

  it("runs its calls on one flow engine, and close lets go of the engine's queue subscription and refuses calls", async () => {
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
    await withRunner(queue, async ({ runner, sim, testDb }) => {
      scriptAgents(sim, { answerAfterMs: 50, talkMs: 100 });
      const calls = [1, 2].map(() => sim.placeCall({ from: "5550100", to: "7000" }));
      await Promise.all(calls.map((c) => c.result));
      const records = await waitForRecords(
        testDb.db,
        calls.map((c) => c.uuid),
      );
      expect(records.map((r) => r.outcome)).toEqual(["answered", "answered"]);
      expect(await runner.waitUntilIdle(5_000)).toBe(true);
      // One engine: one subscription for both calls.
      expect(subscriptions).toBe(1);

      runner.close();
      expect(subscriptions).toBe(0);
      const late = sim.placeCall({ from: "5550100", to: "7000" });
      expect(await late.result).toMatchObject({ answered: false, hangupCause: REFUSED_CAUSE });
      expect(await runner.waitUntilIdle(5_000)).toBe(true);
    });
  });
});

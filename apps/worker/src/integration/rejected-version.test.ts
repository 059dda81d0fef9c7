import { publishUnchecked } from "@ringflow/db/testing";
import { describe, expect, it } from "vitest";
import {
  openTestDb,
  publishFlow,
  publishNextVersion,
  rejectingFlow,
  routeNumber,
  startSim,
  startTestWorker,
  waitForRecords,
} from "../../test/rig.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a newer web app might publish: a schema this worker does not know. */
const FUTURE_GRAPH = { schemaVersion: 99, nodes: [{ id: "x", type: "teleport" }], edges: [] };

describe("a published version the flow schema rejects", () => {
  it("is logged once per version, leaves the number on its previous version (or unrouted, with the cause on /readyz), and is retried only when the version changes", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    let worker: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
    try {
      const kept = await publishFlow(testDb.db, rejectingFlow("7001"), ["7001"]);
      const fresh = await testDb.db.flows.create({ name: "future", draftGraph: FUTURE_GRAPH });
      await testDb.db.routes.set({ number: "7002", flowId: fresh.id });
      const started = await startTestWorker({ sim, databaseUrl: testDb.url, flowPollMs: 100 });
      worker = started.worker;
      const { logs } = started;
      await publishUnchecked({ url: testDb.url, flowId: fresh.id, graph: FUTURE_GRAPH });
      await publishUnchecked({ url: testDb.url, flowId: kept.flowId, graph: FUTURE_GRAPH });
      routeNumber(sim, "7001", worker.callPort);
      routeNumber(sim, "7002", worker.callPort);
      await sleep(1_500); // some fifteen polls

      const rejected = logs.lines.filter((line) =>
        String(line.msg).startsWith("cannot load the published flow version"),
      );
      expect(rejected.map((line) => [line.number, line.version])).toEqual(
        expect.arrayContaining([
          ["7001", 2],
          ["7002", 1],
        ]),
      );
      expect(rejected).toHaveLength(2);

      const ready = (await (await fetch(`http://127.0.0.1:${worker.httpPort}/readyz`)).json()) as {
        checks: { flows: { ok: boolean; detail: string } };
      };
      expect(ready.checks.flows).toMatchObject({ ok: true });
      expect(ready.checks.flows.detail).toMatch(/7002.*version 1.*unrouted/);
      expect(ready.checks.flows.detail).toMatch(/7001.*version 2.*keeps version 1/);

      const toKept = sim.placeCall({ from: "5559001", to: "7001" });
      const toFresh = sim.placeCall({ from: "5559002", to: "7002" });
      const [keptRecord, freshRecord] = await waitForRecords(testDb.db, [
        toKept.uuid,
        toFresh.uuid,
      ]);
      expect(keptRecord).toMatchObject({ flowVersion: 1, hangupCause: "CALL_REJECTED" });
      expect(freshRecord).toMatchObject({ outcome: "failed", hangupCause: "UNALLOCATED_NUMBER" });
      const unrouted = logs.find(
        (line) => line.callUuid === toFresh.uuid && line.level === 40 && line.cause !== undefined,
      );
      expect(unrouted?.msg).toMatch(/rejects/);

      // A new version is tried at once.
      await publishNextVersion(testDb.db, fresh.id, rejectingFlow("7002"));
      await worker.refreshFlows();
      const later = sim.placeCall({ from: "5559003", to: "7002" });
      const [laterRecord] = await waitForRecords(testDb.db, [later.uuid]);
      expect(laterRecord).toMatchObject({ flowVersion: 2, hangupCause: "CALL_REJECTED" });
    } finally {
      await worker?.stop();
      await sim.stop();
      await testDb.close();
    }
  }, 60_000);
});

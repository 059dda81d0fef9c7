import { FsSim } from "@ringflow/fs-sim";
import { createLogger, Worker } from "@ringflow/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, openApiHarness } from "./api-harness";

function hangupFlow(cause: string) {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7100"] } },
      { id: "end", type: "hangup", position: { x: 200, y: 0 }, data: { cause } },
    ],
    edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "end" }],
  };
}

let api: ApiHarness;
let sim: FsSim;
let worker: Worker;

beforeAll(async () => {
  api = await openApiHarness("sqlite");
  sim = await FsSim.start({ port: 0, timeScale: 10 });
  worker = await Worker.start(
    {
      esl: { host: "127.0.0.1", port: sim.port, password: "ClueCon" },
      listen: { host: "127.0.0.1", port: 0 },
      databaseUrl: api.database.url,
      redis: null,
      workerId: "web-test-worker",
      http: { host: "127.0.0.1", port: 0 },
      drainTimeoutMs: 2_000,
      flowPollMs: 200,
      workerLivenessMs: 10_000,
      logLevel: "silent",
    },
    { log: createLogger({ level: "silent", workerId: "web-test-worker" }) },
  );
  sim.dialplan.add("7100", [{ app: "socket", arg: `127.0.0.1:${worker.callPort} async full` }]);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await sim?.stop();
  await api?.close();
});

/** Places a call to 7100 and waits for its finished record. */
async function callAndRecord() {
  const call = sim.placeCall({ from: "5550100", to: "7100" });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const record = await api.services.db.calls.get(call.uuid);
    if (record?.outcome) return record;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no finished record for ${call.uuid}`);
}

describe("publishing through the web API", () => {
  it("reaches a running worker: new calls run the new version", async () => {
    const { id: flowId } = await api.admin.flows.create({ name: "Worker test", description: "" });
    await api.services.db.flows.saveDraft({ id: flowId, draftGraph: hangupFlow("CALL_REJECTED") });
    await api.admin.versions.publish({ flowId, comment: "reject" });
    await api.admin.routes.create({ number: "7100", flowId });
    await worker.refreshFlows();
    const first = await callAndRecord();
    expect(first).toMatchObject({ flowVersion: 1, hangupCause: "CALL_REJECTED" });

    await api.services.db.flows.saveDraft({ id: flowId, draftGraph: hangupFlow("USER_BUSY") });
    const published = await api.admin.versions.publish({ flowId, comment: "busy now" });
    expect(published.version).toBe(2);
    // No refresh by hand: the worker's poll notices the publish.
    const deadline = Date.now() + 10_000;
    let record = await callAndRecord();
    while (record.flowVersion !== 2 && Date.now() < deadline) record = await callAndRecord();
    expect(record).toMatchObject({ flowVersion: 2, hangupCause: "USER_BUSY" });
  });
});

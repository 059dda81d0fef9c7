import { ControlServer, FsSim } from "@ringflow/fs-sim";
import { createLogger, Worker } from "@ringflow/worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, openApiHarness, refusal } from "./api-harness";

/** start → ring 1001 → bridge; nobody answering hangs up CALL_REJECTED. */
function ringFlow(number: string) {
  return {
    schemaVersion: 1,
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: [number] } },
      {
        id: "agents",
        type: "ringGroup",
        position: { x: 200, y: 0 },
        data: {
          targets: { kind: "destinations", destinations: ["user/1001"] },
          mode: "parallel",
          legTimeoutSeconds: 20,
          totalTimeoutSeconds: 30,
        },
      },
      {
        id: "connect",
        type: "bridge",
        position: { x: 400, y: 0 },
        data: { to: { kind: "answeredLeg" } },
      },
      { id: "bye", type: "hangup", position: { x: 600, y: 0 }, data: {} },
      {
        id: "nobody",
        type: "hangup",
        position: { x: 400, y: 200 },
        data: { cause: "CALL_REJECTED" },
      },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "agents" },
      { id: "e2", source: "agents", sourceHandle: "answered", target: "connect" },
      { id: "e3", source: "agents", sourceHandle: "noAnswer", target: "nobody" },
      { id: "e4", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e5", source: "connect", sourceHandle: "failed", target: "nobody" },
    ],
  };
}

let api: ApiHarness;
let sim: FsSim;
let control: ControlServer;
let worker: Worker;

beforeAll(async () => {
  sim = await FsSim.start({ port: 0, timeScale: 10 });
  control = await ControlServer.start(sim);
  api = await openApiHarness("sqlite", {
    env: { RINGFLOW_SIM_CONTROL_URL: `http://127.0.0.1:${control.port}` },
  });
  worker = await Worker.start(
    {
      esl: { host: "127.0.0.1", port: sim.port, password: "ClueCon" },
      listen: { host: "127.0.0.1", port: 0 },
      databaseUrl: api.database.url,
      redis: null,
      workerId: "web-test-calls",
      http: { host: "127.0.0.1", port: 0 },
      drainTimeoutMs: 2_000,
      flowPollMs: 200,
      workerLivenessMs: 10_000,
      logLevel: "silent",
      testCalls: true,
    },
    { log: createLogger({ level: "silent", workerId: "web-test-calls" }) },
  );
  sim.dialplan.add("/^7\\d{3}$/", [
    { app: "socket", arg: `127.0.0.1:${worker.callPort} async full` },
  ]);
}, 60_000);

afterAll(async () => {
  await worker?.stop();
  await control?.close();
  await sim?.stop();
  await api?.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("test calls through the API", () => {
  it("runs the draft, scripts the agent's phone, follows the call on the switch and hangs it up", async () => {
    const { id: flowId } = await api.admin.flows.create({ name: "Test calls", description: "" });
    await api.services.db.flows.saveDraft({ id: flowId, draftGraph: ringFlow("7400") });

    const setup = await api.admin.testCalls.setup({ flowId });
    expect(setup).toMatchObject({ available: true, reason: null, numbers: [] });
    // The phones that matter: the one the draft rings (no agent is set up here).
    expect(setup.phones.map((p) => p.id)).toEqual(["1001"]);

    // 1001 is busy: the draft's no-answer path hangs up CALL_REJECTED.
    await api.admin.testCalls.setPhone({ phoneId: "1001", answer: "busy" });
    const busy = await api.admin.testCalls.place({
      flowId,
      run: "draft",
      number: "7400",
      from: "+447700900123",
    });
    const ended = await until(
      () => api.admin.calls.get({ callUuid: busy.callUuid }),
      (call) => call?.record.outcome != null,
    );
    expect(ended?.record).toMatchObject({
      flowId,
      flowVersion: null,
      hangupCause: "CALL_REJECTED",
      callerName: "Test call",
    });
    expect(ended?.steps.filter((s) => s.kind === "enter").map((s) => s.nodeId)).toEqual([
      "start",
      "agents",
      "nobody",
    ]);
    expect(await api.admin.testCalls.line(busy)).toEqual({ state: "ended", bridgedTo: null });
    expect(await refusal(api.admin.testCalls.press({ ...busy, digits: "1" }))).toMatchObject({
      code: "BAD_REQUEST",
      data: { domainCode: "TEST_CALL_REFUSED" },
    });

    // 1001 answers: the caller is bridged to it, then hangs up.
    await api.admin.testCalls.setPhone({ phoneId: "1001", answer: "answers" });
    expect(
      (await api.admin.testCalls.setup({ flowId })).phones.find((p) => p.id === "1001")?.answer,
    ).toBe("answers");
    const answered = await api.admin.testCalls.place({
      flowId,
      run: "draft",
      number: "7400",
      from: "5550101",
    });
    const line = await until(
      () => api.admin.testCalls.line(answered),
      (l) => l.bridgedTo !== null,
    );
    expect(line).toEqual({ state: "answered", bridgedTo: "1001" });
    await api.admin.testCalls.press({ ...answered, digits: "12#" });
    await api.admin.testCalls.hangUp(answered);
    const record = await until(
      () => api.services.db.calls.get(answered.callUuid),
      (r) => r?.outcome != null,
    );
    expect(record).toMatchObject({ outcome: "answered", agentContact: "user/1001" });
  });

  it("refuses a draft with errors, and a live call to a number that does not run the flow", async () => {
    const { id: flowId } = await api.admin.flows.create({ name: "Broken", description: "" });
    const broken = ringFlow("7401");
    // A queue node with no settings: it could not be published.
    const draftGraph = {
      ...broken,
      nodes: [...broken.nodes, { id: "q", type: "queue", position: { x: 0, y: 300 }, data: {} }],
    };
    await api.services.db.flows.saveDraft({ id: flowId, draftGraph });
    expect(
      await refusal(
        api.admin.testCalls.place({ flowId, run: "draft", number: "7401", from: "5550102" }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", data: { domainCode: "FLOW_NOT_PUBLISHABLE" } });
    expect(
      await refusal(
        api.admin.testCalls.place({ flowId, run: "live", number: "7401", from: "5550102" }),
      ),
    ).toMatchObject({ code: "BAD_REQUEST", data: { domainCode: "TEST_CALL_REFUSED" } });
  });

  it("is for admins: a supervisor is refused", async () => {
    const { caller } = await api.addUser("supervisor");
    expect(await refusal(caller.testCalls.setup({ flowId: "any" }))).toMatchObject({
      code: "FORBIDDEN",
    });
  });

  it("says why it is unavailable when no simulator is configured or it does not answer", async () => {
    const bare = await openApiHarness("sqlite");
    const gone = await openApiHarness("sqlite", {
      env: { RINGFLOW_SIM_CONTROL_URL: "http://127.0.0.1:1" },
    });
    try {
      const { id: flowId } = await bare.admin.flows.create({ name: "No sim", description: "" });
      expect(await bare.admin.testCalls.setup({ flowId })).toMatchObject({
        available: false,
        reason: expect.stringMatching(/pnpm dev/),
      });
      expect(
        await refusal(
          bare.admin.testCalls.place({ flowId, run: "draft", number: "7000", from: "1" }),
        ),
      ).toMatchObject({
        code: "PRECONDITION_FAILED",
        data: { domainCode: "SIMULATOR_UNAVAILABLE" },
        message: expect.stringMatching(/RINGFLOW_SIM_CONTROL_URL/),
      });
      expect(await refusal(gone.admin.testCalls.hangUp({ callUuid: "x" }))).toMatchObject({
        code: "PRECONDITION_FAILED",
        data: { domainCode: "SIMULATOR_UNAVAILABLE" },
      });
    } finally {
      await bare.close();
      await gone.close();
    }
  });
});

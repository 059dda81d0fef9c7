import { once } from "node:events";
import { connect } from "node:net";
import { FsSim } from "@ringflow/fs-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  LogCapture,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  scriptAgents,
  startSim,
  startTestWorker,
  TEST_REDIS_URL,
  type TestDb,
  testWorkerConfig,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";
import { createLogger } from "../logger.js";
import { Worker } from "../worker.js";

async function get(port: number, path: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, text: await response.text() };
}

describe("HTTP: /healthz, /readyz, /metrics", () => {
  let sim: FsSim;
  let testDb: TestDb;
  let worker: Worker;
  let logs: LogCapture;
  beforeAll(async () => {
    sim = await startSim(10);
    testDb = await openTestDb("sqlite");
    await publishFlow(testDb.db, queueFlow({ numbers: ["7000"], queueId: "metrics-q" }), ["7000"]);
    ({ worker, logs } = await startTestWorker({
      sim,
      databaseUrl: testDb.url,
      redis: { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("http") },
    }));
  });
  afterAll(async () => {
    await worker?.stop();
    await sim?.stop();
    await testDb?.close();
  });

  it("is healthy and ready, naming each check", async () => {
    expect(await get(worker.httpPort, "/healthz")).toMatchObject({ status: 200 });
    const ready = await get(worker.httpPort, "/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({
      status: "ready",
      checks: {
        worker: { ok: true },
        esl: { ok: true, detail: "connected" },
        database: { ok: true, detail: "sqlite" },
        redis: { ok: true, detail: "PONG" },
      },
    });
    expect((await get(worker.httpPort, "/nope")).status).toBe(404);
  });

  it("serves queue, ring-group and worker metrics in Prometheus text format", async () => {
    routeNumber(sim, "7000", worker.callPort);
    scriptAgents(sim, { answerAfterMs: 500, talkMs: 10_000 });
    const call = sim.placeCall({ from: "5557000", to: "7000" });
    await waitForRecords(testDb.db, [call.uuid]);
    await eventually(() => worker.activeCalls === 0, { what: "the call handled" });
    const metrics = await get(worker.httpPort, "/metrics");
    expect(metrics.status).toBe(200);
    const text = metrics.text;
    // One call; more than one slot if its agent hung up before the bridge and it queued again.
    const count = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
    const acquired = count(/ringflow_queue_operations_total\{[^}]*op="acquire"[^}]*\} (\d+)/);
    expect(acquired).toBeGreaterThanOrEqual(1);
    expect(count(/ringflow_queue_operations_total\{[^}]*op="release"[^}]*\} (\d+)/)).toBe(acquired);
    // Waits are in seconds, with buckets to match (the worker's view).
    expect(text).toMatch(/ringflow_queue_wait_duration_bucket\{[^}]*le="0.5"\} \d+/);
    expect(text).toMatch(/ringflow_queue_wait_duration_bucket\{[^}]*le="1800"\} \d+/);
    expect(count(/ringflow_ring_group_operations_total\{[^}]*mode="parallel"[^}]*\} (\d+)/)).toBe(
      acquired,
    );
    expect(
      count(/ringflow_ring_group_results_total\{[^}]*result="answered"[^}]*\} (\d+)/),
    ).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/ringflow_worker_calls_total\{[^}]*outcome="answered"[^}]*\} 1/);
    expect(text).toMatch(/ringflow_worker_active_calls\{[^}]*\} 0/);
    expect(text).toContain("ringflow_worker_call_duration_bucket");
    expect(text).toMatch(/ringflow_worker_esl_connected\{[^}]*\} 1/);
    expect(text).toMatch(/ringflow_worker_event_loop_delay\{[^}]*\} \d/);
  });

  it("closes call-port connections that send what cannot be ESL or is too large, logging and counting each", async () => {
    const send = async (bytes: Buffer | string) => {
      const socket = connect(worker.callPort, "127.0.0.1");
      socket.on("error", () => {});
      socket.resume();
      await once(socket, "connect");
      socket.write(bytes);
      await new Promise((resolve) => socket.once("close", resolve));
    };
    await send(Buffer.from([0x16, 0x03, 0x01, 0x00, 0xfe, 0x01]));
    await send("Content-Type: command/reply\nContent-Length: 999999999\n\n");
    const metrics = await get(worker.httpPort, "/metrics");
    expect(metrics.text).toMatch(
      /ringflow_worker_rejected_connections_total\{reason="notEsl"[^}]*\} 1/,
    );
    expect(metrics.text).toMatch(
      /ringflow_worker_rejected_connections_total\{reason="tooLarge"[^}]*\} 1/,
    );
    const logged = logs.lines.filter((line) => line.msg === "closed a call-port connection");
    expect(logged.map((line) => line.reason)).toEqual(["notEsl", "tooLarge"]);
  });

  it("says 503 with the failed check while FreeSWITCH is down, and 200 once it is back", async () => {
    const port = sim.port;
    await sim.stop();
    await eventually(async () => (await get(worker.httpPort, "/readyz")).status === 503, {
      what: "/readyz 503",
    });
    const down = JSON.parse((await get(worker.httpPort, "/readyz")).text);
    expect(down).toMatchObject({ status: "unavailable", failed: ["esl"] });
    expect(down.checks.esl).toEqual({ ok: false, detail: "reconnecting" });
    expect(down.checks.database.ok).toBe(true);
    expect(await get(worker.httpPort, "/metrics")).toMatchObject({
      text: expect.stringMatching(/ringflow_worker_esl_connected\{[^}]*\} 0/),
    });

    // The switch comes back on the same port: the worker reconnects by itself.
    sim = await FsSim.start({ port, timeScale: 10 });
    await eventually(async () => (await get(worker.httpPort, "/readyz")).status === 200, {
      what: "/readyz 200 again",
      timeoutMs: 30_000,
    });
    // And serves calls again.
    routeNumber(sim, "7000", worker.callPort);
    scriptAgents(sim, { answerAfterMs: 500, talkMs: 1_000 });
    const call = sim.placeCall({ from: "5557001", to: "7000" });
    expect((await waitForRecords(testDb.db, [call.uuid]))[0]?.outcome).toBe("answered");
  }, 60_000);
});

describe("HTTP while the worker starts", () => {
  it("answers /readyz with each part's state while it waits for FreeSWITCH: the database already open", async () => {
    // A switch that is not there: its port, freed.
    const gone = await startSim(10);
    await gone.stop();
    const testDb = await openTestDb("sqlite");
    const logs = new LogCapture();
    const config = testWorkerConfig({ sim: gone, databaseUrl: testDb.url });
    const boot = new AbortController();
    const starting = Worker.start(config, {
      log: createLogger({ level: "debug", workerId: config.workerId, destination: logs.stream }),
      signal: boot.signal,
    }).catch((error: unknown) => error);
    try {
      let port = 0;
      await eventually(
        () => {
          port = Number(logs.find((line) => line.msg === "HTTP endpoints listening")?.port ?? 0);
          return port > 0;
        },
        { what: "the worker's HTTP port" },
      );
      let waiting: { checks: Record<string, { ok: boolean }> } | undefined;
      await eventually(
        async () => {
          const ready = await get(port, "/readyz");
          waiting = JSON.parse(ready.text);
          return ready.status === 503 && waiting?.checks.database?.ok === true;
        },
        { what: "/readyz with the database open" },
      );
      expect(waiting?.checks).toMatchObject({
        worker: { ok: false, detail: "starting" },
        esl: { ok: false },
        database: { ok: true, detail: "sqlite" },
      });
    } finally {
      boot.abort(new Error("test over"));
      expect(await starting).toBeInstanceOf(Error);
      await testDb.close();
    }
  });
});

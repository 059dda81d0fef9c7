import { afterEach, describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  scriptAgents,
  startSim,
  startTestWorker,
  type TestDb,
} from "../../test/rig.js";
import type { Worker } from "../worker.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function metrics(worker: Worker): Promise<string> {
  return await (await fetch(`http://127.0.0.1:${worker.httpPort}/metrics`)).text();
}

async function readiness(worker: Worker): Promise<{ status: number; body: string }> {
  const response = await fetch(`http://127.0.0.1:${worker.httpPort}/readyz`);
  return { status: response.status, body: await response.text() };
}

function refusedCount(text: string, reason: string): number {
  const line = text
    .split("\n")
    .find((l) => l.startsWith("ringflow_worker_calls_refused_total") && l.includes(reason));
  return line ? Number(line.split(" ").at(-1)) : 0;
}

/**
 * A worker that takes at most two calls in set-up at once; its agents take
 * 4 s to answer, so the first two calls stay in set-up that long.
 */
async function overloadable(refusal: "hangup" | "handback") {
  const sim = await startSim(1);
  cleanups.push(() => sim.stop());
  const testDb: TestDb = await openTestDb("sqlite");
  cleanups.push(() => testDb.close());
  await publishFlow(
    testDb.db,
    queueFlow({ numbers: ["7000"], queueId: "admission", maxConcurrent: 10 }),
    ["7000"],
  );
  scriptAgents(sim, { answerAfterMs: 4_000, talkMs: 60_000 });
  const { worker, logs } = await startTestWorker({
    sim,
    databaseUrl: testDb.url,
    admission: {
      maxCallsInSetUp: 2,
      refusal:
        refusal === "handback"
          ? { kind: "handback" }
          : { kind: "hangup", cause: "NORMAL_TEMPORARY_FAILURE" },
    },
  });
  cleanups.push(() => worker.stop());
  return { sim, testDb, worker, logs };
}

describe("admission control", () => {
  it("past its limit, hangs new calls up unanswered with the cause, counts them, says not ready, and serves the calls it took", {
    timeout: 60_000,
  }, async () => {
    const { sim, testDb, worker, logs } = await overloadable("hangup");
    sim.dialplan.add("7000", [{ app: "socket", arg: `127.0.0.1:${worker.callPort} async full` }]);
    const taken = [sim.placeCall({ from: "5551001", to: "7000" })];
    taken.push(sim.placeCall({ from: "5551002", to: "7000" }));
    await eventually(() => worker.activeCalls === 2, { what: "two calls taken" });

    const before = refusedCount(await metrics(worker), 'reason="calls_in_setup"');
    const refused = [
      sim.placeCall({ from: "5551003", to: "7000" }),
      sim.placeCall({ from: "5551004", to: "7000" }),
    ];
    const results = await Promise.all(refused.map((call) => call.result));
    for (const result of results) {
      expect(result).toMatchObject({ answered: false, hangupCause: "NORMAL_TEMPORARY_FAILURE" });
    }
    // Refused at once, not once there was room: the calls taken are still being set up.
    for (const call of taken)
      expect((await testDb.db.calls.get(call.uuid))?.agentContact ?? null).toBeNull();
    expect(refusedCount(await metrics(worker), 'reason="calls_in_setup"') - before).toBe(2);
    const shedding = await readiness(worker);
    expect(shedding.status).toBe(503);
    expect(shedding.body).toContain("overloaded (calls_in_setup)");

    // The calls it took are served: both reach an agent.
    await eventually(
      async () => {
        const got = await Promise.all(taken.map((c) => testDb.db.calls.get(c.uuid)));
        return got.every((r) => r?.agentContact != null);
      },
      { what: "the two calls taken answered by agents", timeoutMs: 20_000 },
    );
    // Set-up over: the worker takes calls again, and says so once.
    await eventually(async () => (await readiness(worker)).status === 200, {
      what: "ready again",
    });
    const next = sim.placeCall({ from: "5551005", to: "7000" });
    await eventually(async () => (await testDb.db.calls.get(next.uuid))?.agentContact != null, {
      what: "a call after the overload served",
      timeoutMs: 20_000,
    });
    const said = (start: string) =>
      logs.lines.filter((l) => typeof l.msg === "string" && l.msg.startsWith(start));
    expect(said("overloaded")).toHaveLength(1);
    expect(said("load is back under the limits")).toHaveLength(1);
    // Refused calls were never the worker's: no records.
    for (const call of refused) expect(await testDb.db.calls.get(call.uuid)).toBeNull();
  });

  it("in hand-back mode, closes the socket unanswered so the dialplan's next action runs", {
    timeout: 60_000,
  }, async () => {
    const { sim, worker } = await overloadable("handback");
    sim.dialplan.add("7000", [
      { app: "socket", arg: `127.0.0.1:${worker.callPort} async full` },
      // What a site would put here: a second `socket` to another worker; a
      // hang-up with a cause of its own shows the dialplan went on.
      { app: "hangup", arg: "USER_BUSY" },
    ]);
    sim.placeCall({ from: "5552001", to: "7000" });
    sim.placeCall({ from: "5552002", to: "7000" });
    await eventually(() => worker.activeCalls === 2, { what: "two calls taken" });
    const before = refusedCount(await metrics(worker), 'reason="calls_in_setup"');
    const refused = sim.placeCall({ from: "5552003", to: "7000" });
    expect(await refused.result).toMatchObject({ answered: false, hangupCause: "USER_BUSY" });
    expect(refusedCount(await metrics(worker), 'reason="calls_in_setup"') - before).toBe(1);
    expect(worker.activeCalls).toBe(2);
  });
});

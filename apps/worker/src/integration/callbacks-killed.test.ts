import { holdSqliteWriteLock } from "@ringflow/db/testing";
import { describe, expect, it } from "vitest";
import {
  answerPrompt,
  callbackOfferFlow,
  eventually,
  openTestDb,
  publishFlow,
  queueFlow,
  routeNumber,
  startSim,
  startTestWorker,
  TEST_REDIS_URL,
  uniquePrefix,
} from "../../test/rig.js";
import { spawnWorker, workerEnv } from "../../test/worker-process.js";

const LEASE_MS = 1_500;

/**
 * Nothing is lost: a worker process SIGKILLed while a callback request
 * waits in its queue's line, or while it dials the customer, leaves the
 * request stored and held by a lease nobody renews; the next worker takes
 * it back once the lease runs out and completes it — once, with the
 * killed attempt not counted against the customer. Killed after it bridged
 * the customer to an agent but before it stored that (`bridged`: the
 * database's write lock is held from the customer's ringing on), the
 * next worker finds the two still talking on the switch and completes the
 * request without cutting them off or calling the customer again.
 */
async function killDispatching(
  at: "waiting" | "dialling" | "bridged",
  shared = false,
): Promise<void> {
  const sim = await startSim(10);
  const testDb = await openTestDb("sqlite");
  // Shared: the two workers share Redis (one line), and the survivor is
  // already running when the other is killed.
  const redis = shared ? { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("cbkill") } : undefined;
  let doomed: ReturnType<typeof spawnWorker> | undefined;
  let survivor: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
  let lock: ReturnType<typeof holdSqliteWriteLock> | undefined;
  try {
    const { versionId } = await publishFlow(
      testDb.db,
      queueFlow({
        numbers: ["7000"],
        queueId: "cb-kill",
        maxConcurrent: 1,
        destinations: ["user/1002"],
      }),
      ["7000"],
    );
    sim.users.set("1002", { behaviour: { answerAfterMs: 300, hangupAfterMs: 600_000 } });
    // First call of the customer: rings on and on (killed mid-dial); then answers.
    sim.users.set("1010", {
      behaviour: [
        at === "dialling"
          ? { answerAfterMs: 600_000 }
          : { answerAfterMs: 300, hangupAfterMs: at === "bridged" ? 600_000 : 2_000 },
        { answerAfterMs: 300, hangupAfterMs: 2_000 },
      ],
    });
    doomed = spawnWorker(
      workerEnv({
        simPort: sim.port,
        databaseUrl: testDb.url,
        workerId: "doomed",
        ...(redis ? { redis } : {}),
        extra: {
          WORKER_LIVENESS_MS: "1500",
          CALLBACK_DIAL_TEMPLATE: "user/{number}",
          CALLBACK_LEASE_MS: String(LEASE_MS),
          CALLBACK_POLL_MS: "100",
          CALLBACK_CUSTOMER_RING_MS: "600000",
        },
      }),
    );
    const ready = await doomed.waitForLine((line) => line.msg === "worker ready: taking calls");
    routeNumber(sim, "7000", Number(ready.callPort));

    if (at === "waiting") {
      // A caller talking to the agent holds the queue's one slot.
      const talking = sim.placeCall({ from: "5557001", to: "7000" }).uuid;
      await eventually(async () => (await testDb.db.calls.get(talking))?.agentContact != null, {
        what: "the first caller bridged",
      });
    }
    const { request } = await testDb.db.callbacks.create({
      queueId: "cb-kill",
      number: "1010",
      callerName: "Ann",
      requestedAt: new Date(Date.now() - 60_000),
      maxAttempts: 3,
      flowVersionId: versionId,
      nodeId: "queue",
    });
    await eventually(
      async () => (await testDb.db.callbacks.get(request.id))?.leaseOwner === "doomed",
      { what: "the doomed worker holding the request" },
    );
    let ringing: string | undefined;
    let talking: string | undefined;
    if (at === "dialling") {
      ringing = (
        await sim.waitForChannel((c) => c.dialedUser === "1010" && c.answerState !== "hangup", {
          timeoutMs: 20_000,
        })
      ).uuid;
    } else if (at === "bridged") {
      await sim.waitForChannel((c) => c.dialedUser === "1010", { timeoutMs: 20_000 });
      // The customer's phone rings: from here the worker cannot store that the callback was made.
      lock = holdSqliteWriteLock(testDb.url);
      talking = (
        await sim.waitForChannel((c) => c.dialedUser === "1010" && c.bridgedTo !== undefined, {
          timeoutMs: 20_000,
        })
      ).uuid;
    } else {
      // Waiting: claimed, and no customer rung.
      expect(sim.channels().some((c) => c.dialedUser === "1010")).toBe(false);
    }
    const startSurvivor = async () =>
      (
        await startTestWorker({
          sim,
          databaseUrl: testDb.url,
          workerId: "survivor",
          ...(redis ? { redis } : {}),
          workerLivenessMs: 1500,
          callbacks: { dialTemplate: "user/{number}", leaseMs: LEASE_MS, pollMs: 100 },
        })
      ).worker;
    if (shared) survivor = await startSurvivor();
    await doomed.kill();
    lock?.release();
    expect(await testDb.db.callbacks.get(request.id)).toMatchObject({
      status: "dialling",
      leaseOwner: "doomed",
    });

    survivor ??= await startSurvivor();
    await eventually(
      async () => (await testDb.db.callbacks.get(request.id))?.status === "completed",
      { what: "the request completed by the survivor", timeoutMs: 30_000 },
    );
    expect(await testDb.db.callbacks.get(request.id)).toMatchObject({
      status: "completed",
      attempts: 0,
      // The dial the killed worker left counts against the request's workers, not the customer.
      lostDials: at === "waiting" ? 0 : 1,
      lastResult: at === "bridged" ? "connectedBeforeWorkerLost" : "completed",
      leaseOwner: null,
      requestedAt: request.requestedAt,
    });
    // One request for the number, ever: nothing was stored twice.
    expect(await testDb.db.callbacks.listOpen({ queueId: "cb-kill" })).toEqual([]);
    if (ringing) {
      // The customer's phone the killed worker left ringing (for a minute
      // more) was hung up by the survivor before it dialled again.
      expect(sim.channel(ringing)?.answerState ?? "gone").toMatch(/^(hangup|gone)$/);
    }
    if (talking) {
      // Still talking to the agent, and called once.
      const customer = sim.channel(talking);
      expect(customer?.answerState).toBe("answered");
      expect(sim.channel(customer?.bridgedTo ?? "")?.dialedUser).toBe("1002");
      expect(sim.channels().filter((c) => c.dialedUser === "1010")).toHaveLength(1);
    }
  } finally {
    lock?.release();
    doomed?.killIfRunning();
    await survivor?.stop();
    await sim.stop();
    await testDb.close();
  }
}

describe("a worker killed while it works on a callback", () => {
  it("leaves the request waiting in line to the next worker, which completes it", async () => {
    await killDispatching("waiting");
  }, 90_000);

  it("leaves the request it was dialling to the next worker, which completes it", async () => {
    await killDispatching("dialling");
  }, 90_000);

  it("leaves the customer it had bridged talking, and the next worker completes the request", async () => {
    await killDispatching("bridged");
  }, 90_000);

  it("leaves the request waiting in the shared line to a running worker (Redis)", async () => {
    await killDispatching("waiting", true);
  }, 90_000);

  it("leaves the request it was dialling to a running worker (Redis)", async () => {
    await killDispatching("dialling", true);
  }, 90_000);
});

/**
 * A worker SIGKILLed while it stores a caller's callback request: the
 * database's write lock is held from the moment the caller keys their
 * confirmation, so the request cannot have been stored when the worker
 * dies. Nothing was accepted, so nothing may look accepted: no request is
 * left half-made, the caller never heard the "we will call you back" that
 * follows the store, and their call still gets a final record (the next
 * worker marks the dead worker's calls lost).
 */
describe("a worker killed while it stores a callback request", () => {
  it("leaves no request, and the caller was never told one was taken", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    let doomed: ReturnType<typeof spawnWorker> | undefined;
    let survivor: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
    let lock: ReturnType<typeof holdSqliteWriteLock> | undefined;
    const heard: string[] = [];
    let listening: NodeJS.Timeout | undefined;
    try {
      await publishFlow(testDb.db, callbackOfferFlow("cb-store"), ["7000"]);
      await testDb.db.queueStates.saveHandleTime("cb-store", { ewmaMs: 180_000, samples: 50 });
      sim.users.set("1001", { behaviour: { answerAfterMs: 300, hangupAfterMs: 600_000 } });
      doomed = spawnWorker(
        workerEnv({
          simPort: sim.port,
          databaseUrl: testDb.url,
          workerId: "doomed",
          extra: { WORKER_LIVENESS_MS: "1500", CALLBACK_DIAL_TEMPLATE: "user/{number}" },
        }),
      );
      const ready = await doomed.waitForLine((line) => line.msg === "worker ready: taking calls");
      routeNumber(sim, "7000", Number(ready.callPort));

      // The agent is busy with a first caller: the second waits and is offered a callback.
      const first = sim.placeCall({ from: "5557001", to: "7000" }).uuid;
      await eventually(async () => (await testDb.db.calls.get(first))?.agentContact != null, {
        what: "the first caller talking to the agent",
      });
      const caller = sim.placeCall({ from: "1010", fromName: "Ann", to: "7000" });
      listening = setInterval(() => {
        const data = sim.channel(caller.uuid)?.variables.current_application_data;
        if (data && heard.at(-1) !== data) heard.push(data);
      }, 5);
      await answerPrompt(sim, caller.uuid, "press 1", "1");
      await answerPrompt(sim, caller.uuid, "Press 1 to confirm", "");
      // From here on the worker cannot store anything.
      lock = holdSqliteWriteLock(testDb.url);
      sim.sendDtmf(caller.uuid, "1");
      await eventually(
        () => sim.channel(caller.uuid)?.variables.current_application !== "play_and_get_digits",
        { what: "the confirmation taken" },
      );
      await doomed.kill();
      lock?.release();

      // The switch ends the call once its socket is gone (this dialplan has nothing after it).
      const ended = await caller.result;
      expect(ended.hangupCause).not.toBe("");
      clearInterval(listening);
      expect(heard.some((data) => data.includes("press 1"))).toBe(true);
      expect(heard.some((data) => data.includes("Thank you"))).toBe(false);
      expect(await testDb.db.callbacks.listOpen()).toEqual([]);
      expect(await testDb.db.callbacks.counts({ failedSince: new Date(0) })).toEqual([]);

      survivor = (
        await startTestWorker({
          sim,
          databaseUrl: testDb.url,
          workerId: "survivor",
          workerLivenessMs: 1500,
          callbacks: { dialTemplate: "user/{number}", pollMs: 100 },
        })
      ).worker;
      await eventually(
        async () => (await testDb.db.calls.get(caller.uuid))?.outcome === "workerLost",
        { what: "the caller's record closed as lost with its worker", timeoutMs: 30_000 },
      );
      expect(await testDb.db.callbacks.listOpen()).toEqual([]);
    } finally {
      clearInterval(listening);
      lock?.release();
      doomed?.killIfRunning();
      await survivor?.stop();
      await sim.stop();
      await testDb.close();
    }
  }, 90_000);
});

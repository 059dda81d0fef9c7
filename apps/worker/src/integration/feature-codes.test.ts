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
  TEST_REDIS_URL,
  uniquePrefix,
  waitForRecords,
} from "../../test/rig.js";

describe("agent feature codes (*50, *51) dialled from an agent's phone", () => {
  it("put the agent on break for every worker sharing Redis, and a queue call does not ring them", async () => {
    const sim = await startSim(10);
    const testDb = await openTestDb("sqlite");
    const redis = { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("feature-codes") };
    const started = await Promise.all(
      ["worker-a", "worker-b"].map((workerId) =>
        // Worker B polls the database rarely: it learns of the change through the shared registry.
        startTestWorker({
          sim,
          databaseUrl: testDb.url,
          redis,
          workerId,
          flowPollMs: workerId === "worker-a" ? 500 : 120_000,
        }),
      ),
    );
    const [a, b] = started.map((s) => s.worker);
    if (!a || !b) throw new Error("two workers expected");
    let sampling = true;
    let agentLegs = 0;
    try {
      const agent = await testDb.db.agents.create({ contact: "user/1001", name: "Ann" });
      await Promise.all([a.refreshFlows(), b.refreshFlows()]);
      await eventually(async () => (await b.agents.get(agent.id))?.status === "available", {
        what: "the agent available in the shared registry",
      });
      sim.users.set("1001", { behaviour: { answerAfterMs: 200, hangupAfterMs: 2_000 } });
      routeNumber(sim, "*51", a.callPort);
      routeNumber(sim, "*50", a.callPort);

      // *51 from the agent's extension: on break, seen by worker B at once.
      const onBreak = sim.placeCall({ from: "1001", to: "*51" });
      const [breakRecord] = await waitForRecords(testDb.db, [onBreak.uuid], 20_000);
      expect(breakRecord?.outcome).toBe("answered");
      expect((await b.agents.get(agent.id))?.status).toBe("onBreak");
      expect((await testDb.db.agents.get(agent.id))?.status).toBe("onBreak");

      // A queue call through worker B does not ring the agent on break.
      const numbers = ["7501"];
      await publishFlow(
        testDb.db,
        queueFlow({
          numbers,
          queueId: "fc-queue",
          maxConcurrent: 1,
          timeoutSeconds: 4,
          destinations: ["user/1001"],
        }),
        numbers,
      );
      await b.refreshFlows();
      routeNumber(sim, "7501", b.callPort);
      const sampler = (async () => {
        while (sampling) {
          const legs = liveChannels(sim).filter(
            (c) => c.name.includes("1001") && c.uuid !== onBreak.uuid,
          );
          agentLegs = Math.max(agentLegs, legs.length);
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      })();
      const queued = sim.placeCall({ from: "5555001", to: "7501" });
      const [queuedRecord] = await waitForRecords(testDb.db, [queued.uuid], 60_000);
      sampling = false;
      await sampler;
      expect(queuedRecord?.outcome).not.toBe("answered");
      expect(agentLegs).toBe(0);

      // *51 again: back from the break; *50: logged out, again: logged in.
      const back = sim.placeCall({ from: "1001", to: "*51" });
      await waitForRecords(testDb.db, [back.uuid], 20_000);
      expect((await b.agents.get(agent.id))?.status).toBe("available");
      const out = sim.placeCall({ from: "1001", to: "*50" });
      await waitForRecords(testDb.db, [out.uuid], 20_000);
      expect((await b.agents.get(agent.id))?.status).toBe("loggedOut");
      expect((await testDb.db.agents.get(agent.id))?.status).toBe("loggedOut");
      const breakWhileOut = sim.placeCall({ from: "1001", to: "*51" });
      await waitForRecords(testDb.db, [breakWhileOut.uuid], 20_000);
      expect((await b.agents.get(agent.id))?.status).toBe("loggedOut");
      const loggedIn = sim.placeCall({ from: "1001", to: "*50" });
      await waitForRecords(testDb.db, [loggedIn.uuid], 20_000);
      expect((await b.agents.get(agent.id))?.status).toBe("available");

      // A phone of no agent: a failed record with a note, no status changed.
      const stranger = sim.placeCall({ from: "5559999", to: "*51" });
      const [strangerRecord] = await waitForRecords(testDb.db, [stranger.uuid], 20_000);
      expect(strangerRecord?.outcome).toBe("failed");
      const trace = await testDb.db.calls.getTrace(stranger.uuid);
      expect(JSON.stringify(trace)).toContain("featureCodeUnknownCaller");
      expect((await b.agents.get(agent.id))?.status).toBe("available");
    } finally {
      sampling = false;
      await Promise.all([a.stop(), b.stop()]);
      await sim.stop();
      await testDb.close();
    }
  }, 180_000);
});

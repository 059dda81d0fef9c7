import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import type { FsSim } from "@ringflow/fs-sim";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  eventually,
  openTestDb,
  routeNumber,
  startSim,
  startTestWorker,
  type TestDb,
} from "../../test/rig.js";
import type { Worker } from "../worker.js";

/**
 * Stands between the switch and the worker's call port, holding back what
 * the worker says (its `connect`) until released: the worker as the switch
 * sees it when it is slow to take calls (overloaded), so that a caller can
 * hang up while the call waits to be taken.
 */
async function slowTaker(workerPort: number): Promise<{
  port: number;
  release(): void;
  close(): Promise<void>;
}> {
  const held: Array<() => void> = [];
  let released = false;
  const sockets = new Set<Socket>();
  const server: Server = createServer((fromSwitch) => {
    const toWorker = tcpConnect(workerPort, "127.0.0.1");
    for (const s of [fromSwitch, toWorker]) {
      sockets.add(s);
      s.on("error", () => {});
    }
    fromSwitch.on("data", (chunk) => toWorker.write(chunk));
    fromSwitch.on("end", () => toWorker.end());
    toWorker.on("data", (chunk) => {
      const forward = () => {
        if (!fromSwitch.destroyed) fromSwitch.write(chunk);
      };
      if (released) forward();
      else held.push(forward);
    });
    toWorker.on("end", () => fromSwitch.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    release() {
      released = true;
      for (const forward of held.splice(0)) forward();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

describe("a caller who hangs up before the worker took the call", () => {
  let sim: FsSim;
  let testDb: TestDb;
  let worker: Worker;
  beforeAll(async () => {
    sim = await startSim(1);
    testDb = await openTestDb("sqlite");
    ({ worker } = await startTestWorker({ sim, databaseUrl: testDb.url }));
  });
  afterAll(async () => {
    await worker?.stop();
    await sim?.stop();
    await testDb?.close();
  });

  it("still leaves a record: abandoned, with a note saying it ended before it was taken", async () => {
    const proxy = await slowTaker(worker.callPort);
    try {
      routeNumber(sim, "7100", proxy.port);
      // The switch hands the call over; the worker's `connect` is held back,
      // and the caller gives up 300 ms in, before anyone took the call.
      const call = sim.placeCall({ from: "5553000", to: "7100", hangupAfterMs: 300 });
      const result = await call.result;
      expect(result.answered).toBe(false);
      proxy.release();
      await eventually(async () => (await testDb.db.calls.get(call.uuid)) !== null, {
        timeoutMs: 5_000,
        what: "the call's record",
      });
      expect(await testDb.db.calls.get(call.uuid)).toMatchObject({
        outcome: "abandoned",
        callUuid: call.uuid,
      });
      const trace = await testDb.db.calls.getTrace(call.uuid);
      expect(trace?.steps.map((s) => s.data)).toContainEqual({
        detail: { event: "endedBeforeTaken", workerId: expect.any(String) },
      });
    } finally {
      await proxy.close();
    }
  });
});

import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { LogCapture, TEST_REDIS_URL, uniquePrefix } from "../../test/rig.js";
import { createLogger } from "../logger.js";
import { LostCalls, workersKey } from "./lost-calls.js";

/** A calls repository holding open records in memory, by worker. */
function fakeCalls(open: Record<string, string[]> = {}) {
  const closed: string[] = [];
  return {
    open,
    closed,
    calls: {
      openWorkerIds: async () => Object.keys(open).filter((id) => (open[id] ?? []).length > 0),
      closeLost: async ({ workerIds }: { workerIds: readonly string[] }) => {
        const uuids = workerIds.flatMap((id) => open[id] ?? []);
        for (const id of workerIds) open[id] = [];
        closed.push(...uuids);
        return uuids;
      },
      saveBatch: async () => ({ records: 0, keptSteps: 0, droppedSteps: 0 }),
    },
  };
}

const clients: Redis[] = [];
const sweepers: LostCalls[] = [];
afterEach(async () => {
  await Promise.all(sweepers.splice(0).map((s) => s.stop()));
  await Promise.all(clients.splice(0).map((c) => c.quit()));
});

function lostCalls(
  workerId: string,
  keyPrefix: string,
  calls: ReturnType<typeof fakeCalls>["calls"],
) {
  const client = new Redis(TEST_REDIS_URL);
  clients.push(client);
  const log = createLogger({ level: "warn", workerId, destination: new LogCapture().stream });
  const sweeper = new LostCalls({
    workerId,
    calls,
    redis: { client, keyPrefix },
    livenessMs: 1_000,
    log,
  });
  sweepers.push(sweeper);
  return { sweeper, client };
}

describe("LostCalls", () => {
  it("closes the open records of a worker whose liveness ran out, and not a live one's", async () => {
    const keyPrefix = uniquePrefix("lost");
    const fake = fakeCalls();
    const live = lostCalls("live", keyPrefix, fake.calls);
    await live.sweeper.start();
    // Taking calls once started (at start-up a worker closes its own, from before).
    Object.assign(fake.open, { dead: ["call-1"], live: ["call-2"] });
    await live.client.zadd(workersKey(keyPrefix), Date.now() - 1, "dead");
    const { sweeper } = lostCalls("survivor", keyPrefix, fake.calls);
    await sweeper.start();
    await sweeper.sweep();
    expect(fake.closed).toEqual(["call-1"]);
  });

  it("does not take a live worker for dead when Redis lost the set of live workers", async () => {
    const keyPrefix = uniquePrefix("lost");
    const fake = fakeCalls();
    const live = lostCalls("live", keyPrefix, fake.calls);
    await live.sweeper.start();
    fake.open.live = ["call-1"];
    const { sweeper, client } = lostCalls("survivor", keyPrefix, fake.calls);
    await sweeper.start();
    // Redis restarted empty: the set is gone until each worker says it is alive again.
    await client.del(workersKey(keyPrefix));
    await sweeper.sweep();
    expect(fake.closed).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await sweeper.sweep();
    expect(fake.closed).toEqual([]);
  });

  it("closes the records of a worker missing from the set for a whole livenessMs", async () => {
    const keyPrefix = uniquePrefix("lost");
    const fake = fakeCalls({ gone: ["call-1"] });
    const { sweeper } = lostCalls("survivor", keyPrefix, fake.calls);
    await sweeper.start();
    await sweeper.sweep();
    expect(fake.closed).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await sweeper.sweep();
    expect(fake.closed).toEqual(["call-1"]);
  });
});

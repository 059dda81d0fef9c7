import type { Clock } from "@ringflow/core";
import { ManualClock } from "@ringflow/core/testing";
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

/**
 * `clock`'s time with timers that never fire: a sweeper whose sweeps the
 * test runs itself (a timer's sweep running beside the test's would make
 * the test's return at once).
 */
function byHand(clock: ManualClock): Clock {
  return { now: () => clock.now(), setTimeout: () => ({ cancel: () => undefined }) };
}

function lostCalls(
  workerId: string,
  keyPrefix: string,
  calls: ReturnType<typeof fakeCalls>["calls"],
  clock: Clock,
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
    clock,
  });
  sweepers.push(sweeper);
  return { sweeper, client };
}

describe("LostCalls", () => {
  it("closes the open records of a worker whose liveness ran out, and not a live one's", async () => {
    const keyPrefix = uniquePrefix("lost");
    const clock = new ManualClock();
    const fake = fakeCalls();
    const live = lostCalls("live", keyPrefix, fake.calls, clock);
    await live.sweeper.start();
    // Taking calls once started (at start-up a worker closes its own, from before).
    Object.assign(fake.open, { dead: ["call-1"], live: ["call-2"] });
    await live.client.zadd(workersKey(keyPrefix), clock.now() - 1, "dead");
    const { sweeper } = lostCalls("survivor", keyPrefix, fake.calls, byHand(clock));
    await sweeper.start();
    await sweeper.sweep();
    expect(fake.closed).toEqual(["call-1"]);
  });

  it("does not take a live worker for dead when Redis lost the set of live workers", async () => {
    const keyPrefix = uniquePrefix("lost");
    const clock = new ManualClock();
    const fake = fakeCalls();
    const live = lostCalls("live", keyPrefix, fake.calls, clock);
    await live.sweeper.start();
    fake.open.live = ["call-1"];
    const { sweeper, client } = lostCalls("survivor", keyPrefix, fake.calls, byHand(clock));
    await sweeper.start();
    // Redis restarted empty: the set is gone until each worker says it is alive again.
    await client.del(workersKey(keyPrefix));
    await sweeper.sweep();
    expect(fake.closed).toEqual([]);
    // The live worker says so on its timer (every 200 ms); its client answers in order.
    await clock.advance(1_200);
    await live.client.ping();
    await sweeper.sweep();
    expect(fake.closed).toEqual([]);
  });

  it("closes the records of a worker missing from the set for a whole livenessMs", async () => {
    const keyPrefix = uniquePrefix("lost");
    const clock = new ManualClock();
    const fake = fakeCalls({ gone: ["call-1"] });
    const { sweeper } = lostCalls("survivor", keyPrefix, fake.calls, byHand(clock));
    await sweeper.start();
    await sweeper.sweep();
    expect(fake.closed).toEqual([]);
    await clock.advance(999);
    await sweeper.sweep();
    expect(fake.closed).toEqual([]);
    await clock.advance(1);
    await sweeper.sweep();
    expect(fake.closed).toEqual(["call-1"]);
  });

  it("says it is alive every fifth of livenessMs, and sweeps every half, on its clock", async () => {
    const keyPrefix = uniquePrefix("lost");
    const clock = new ManualClock();
    const t0 = clock.now();
    const fake = fakeCalls();
    let sweeps = 0;
    const calls = {
      ...fake.calls,
      openWorkerIds: () => {
        sweeps++;
        return fake.calls.openWorkerIds();
      },
    };
    const { sweeper, client } = lostCalls("w", keyPrefix, calls, clock);
    await sweeper.start();
    const aliveUntil = async () => Number(await client.zscore(workersKey(keyPrefix), "w"));
    expect(await aliveUntil()).toBe(t0 + 1_000);
    await clock.advance(199);
    await client.ping();
    expect(await aliveUntil()).toBe(t0 + 1_000);
    expect(sweeps).toBe(0);
    await clock.advance(1);
    await client.ping();
    expect(await aliveUntil()).toBe(t0 + 200 + 1_000);
    await clock.advance(300);
    expect(sweeps).toBe(1);
    await sweeper.stop();
    expect(clock.pendingTimers).toBe(0);
    expect(await aliveUntil()).toBe(0); // gone from the set
  });
});

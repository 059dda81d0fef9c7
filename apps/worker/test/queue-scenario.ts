import type { Queue } from "@ringflow/core/queue";
import type { CallRecord } from "@ringflow/db";
import type { FsSim } from "@ringflow/fs-sim";
import { expect } from "vitest";
import {
  eventually,
  liveChannels,
  maxConcurrentHolders,
  openTestDb,
  orderViolations,
  publishFlow,
  queueFlow,
  queueJoins,
  routeNumber,
  scriptAgents,
  startSim,
  startTestWorker,
  TEST_REDIS_URL,
  uniquePrefix,
  waitForRecords,
} from "./rig.js";

/** Samples a queue's snapshot until stopped: the most holders ever seen at once. */
export function watchHolders(queue: Queue, queueId: string): { stop(): Promise<number> } {
  let max = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const snapshot = await queue.snapshot(queueId);
      max = Math.max(max, snapshot.holders.length);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return max;
    },
  };
}

/**
 * Hangs up each of `callers` once it has waited in `queueId` while the line
 * moved on `grants` times (others got a slot after it joined): on the
 * queue's own events, not a timer, so a loaded machine that is slow to put a
 * caller in line can never make it hang up before it joins. A caller that
 * gets a slot itself is left alone (the test's abandon checks then fail).
 */
export function hangUpWhileWaiting(options: {
  readonly queue: Queue;
  readonly sim: FsSim;
  readonly queueId: string;
  readonly callers: ReadonlySet<string>;
  readonly grants: number;
}): () => void {
  const { queue, sim, queueId, callers, grants } = options;
  const waiting = new Map<string, number>();
  const stopJoins = queue.events.on("enqueued", (event) => {
    if (event.queueId === queueId && callers.has(event.itemId)) waiting.set(event.itemId, 0);
  });
  const stopGrants = queue.events.on("acquired", (event) => {
    if (event.queueId !== queueId) return;
    waiting.delete(event.itemId);
    for (const [uuid, seen] of waiting) {
      if (seen + 1 < grants) {
        waiting.set(uuid, seen + 1);
        continue;
      }
      waiting.delete(uuid);
      sim.hangup(uuid);
    }
  });
  return () => {
    stopJoins();
    stopGrants();
  };
}

const CALLERS = 50;
const VIP_PREFIX = "+44794600";
const QUEUE = "support";
const NUMBER = "7000";

/**
 * The end-to-end run of the issue: one worker, fs-sim ten times faster than
 * real time, 50 callers into start → queue (2 at a time) → ring group (three
 * agents in parallel, one of them busy) → bridge. Every seventh caller is a
 * VIP; seven callers near the end hang up while waiting (once the line has
 * moved twice since they joined). Everything is
 * asserted from what the worker wrote to the database, plus the switch's
 * and the queue's state at the end.
 */
export async function runQueueScenario(options: {
  readonly provider: "sqlite" | "postgresql";
  readonly redis: boolean;
}): Promise<void> {
  const sim = await startSim(10);
  const testDb = await openTestDb(options.provider);
  const redis = options.redis ? { url: TEST_REDIS_URL, keyPrefix: uniquePrefix("e2e") } : undefined;
  let worker: Awaited<ReturnType<typeof startTestWorker>>["worker"] | undefined;
  try {
    await publishFlow(
      testDb.db,
      queueFlow({
        numbers: [NUMBER],
        queueId: QUEUE,
        maxConcurrent: 2,
        vipNumbers: [`${VIP_PREFIX}*`],
      }),
      [NUMBER],
    );
    const started = await startTestWorker({
      sim,
      databaseUrl: testDb.url,
      ...(redis ? { redis } : {}),
    });
    worker = started.worker;
    const { logs } = started;
    routeNumber(sim, NUMBER, worker.callPort);
    // Simulated ms (a tenth in real time): agents answer after 1 s, talk 3 s.
    scriptAgents(sim, { answerAfterMs: 1_000, talkMs: 3_000 });

    const watcher = watchHolders(worker.queue, QUEUE);
    const impatient = new Set<string>();
    // They hang up once two callers ahead were served after they joined:
    // dozens are still ahead of them then.
    const stopHangingUp = hangUpWhileWaiting({
      queue: worker.queue,
      sim,
      queueId: QUEUE,
      callers: impatient,
      grants: 2,
    });
    const placed: string[] = [];
    for (let i = 0; i < CALLERS; i++) {
      const isVip = i % 7 === 3;
      const leaves = !isVip && i >= 40 && i < 48;
      const from = isVip ? `${VIP_PREFIX}${String(i).padStart(2, "0")}` : `555${1000 + i}`;
      const call = sim.placeCall({ from, to: NUMBER });
      placed.push(call.uuid);
      if (leaves) impatient.add(call.uuid);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    const records = await waitForRecords(testDb.db, placed, 120_000);
    stopHangingUp();
    const maxSampled = await watcher.stop();
    const byUuid = new Map(records.map((r) => [r.callUuid, r]));

    // Callers who hung up while waiting: abandoned, never served, with their wait.
    for (const uuid of impatient) {
      const record = byUuid.get(uuid) as CallRecord;
      expect(record.outcome, `impatient ${uuid}`).toBe("abandoned");
      expect(record.acquiredAt).toBeNull();
      expect(record.enqueuedAt).not.toBeNull();
      expect(record.waitMs).toBeGreaterThan(0);
      const endedAt = record.endedAt?.getTime() ?? 0;
      const enqueuedAt = record.enqueuedAt?.getTime() ?? 0;
      expect(Math.abs((record.waitMs ?? 0) - (endedAt - enqueuedAt))).toBeLessThan(500);
    }
    // Everyone else was served, by an agent who answered (never the busy one).
    const served = records.filter((r) => !impatient.has(r.callUuid));
    for (const record of served) {
      expect(record, `served ${record.callUuid}`).toMatchObject({
        outcome: "answered",
        queueId: QUEUE,
        workerId: expect.any(String),
      });
      expect(["user/1001", "user/1002"]).toContain(record.agentContact);
      expect(record.acquiredAt).not.toBeNull();
      expect(record.flowVersion).toBe(1);
    }

    // FIFO within a priority, VIPs first; never more than two in the slot
    // (from the traces and from the queue itself). A caller whose agent hung
    // up before the bridge joins again, at the back: each join counts.
    const joins = await queueJoins(testDb.db, records, ["bye", "queue", "mailbox"]);
    // With Redis a grant is stamped when its message reaches the worker, so
    // a stamp may trail the grant by the delivery time (and the next
    // caller's at-once slot, stamped before sending, may look earlier):
    // 100 ms of slack, far below the ~400 ms each caller holds a slot.
    expect(orderViolations(joins, options.redis ? 100 : 0)).toEqual([]);
    expect(joins.filter((j) => j.priority === 0).length).toBeGreaterThan(0);
    expect(maxConcurrentHolders(joins)).toBe(2);
    expect(maxSampled).toBeLessThanOrEqual(2);

    // Nothing left: no channel up on the switch, every slot given back.
    await eventually(() => liveChannels(sim).length === 0, { what: "every channel hung up" });
    await eventually(
      async () => {
        const snapshot = await worker?.queue.snapshot(QUEUE);
        return snapshot?.holders.length === 0 && snapshot.waiters.length === 0;
      },
      { what: "an empty queue" },
    );
    // Every per-call log line carries the call's uuid.
    const ended = logs.lines.filter((line) => line.msg === "call ended");
    expect(new Set(ended.map((line) => line.callUuid))).toEqual(new Set(placed));
    expect(worker.activeCalls).toBe(0);
  } finally {
    await worker?.stop();
    await sim.stop();
    await testDb.close();
  }
}

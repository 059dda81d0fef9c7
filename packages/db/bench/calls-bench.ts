/**
 * `pnpm bench:db`: CPU per call of writing what the worker writes for each
 * call — its whole record and a 14-step trace — one call at a time
 * (`calls.record` then `calls.appendTrace`) against many calls at once
 * (`calls.saveBatch`, 50 calls per batch), on a freshly migrated SQLite file
 * and PostgreSQL database. The two ways alternate, five rounds each; the
 * medians are printed as a Markdown table for docs/benchmarks.md.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createDb, type Db } from "../src/create-db.js";
import type { DatabaseProvider } from "../src/database-url.js";
import { migrateDatabase } from "../src/migrate/migrate-database.js";
import type { CallRecord, TraceStep } from "../src/repositories/calls.js";
import { createTestDatabase } from "../src/testing/test-database.js";

const ROUNDS = 5;
const CALLS = 500;
const BATCH = 50;
const STEPS = 14;

function callRecord(): CallRecord {
  const startedAt = new Date();
  return {
    callUuid: randomUUID(),
    flowId: "flow-1",
    flowVersionId: "version-1",
    flowVersion: 1,
    numberDialled: "7000",
    callerNumber: "5550100",
    callerName: "Caller",
    queueId: "support",
    startedAt,
    enqueuedAt: startedAt,
    acquiredAt: startedAt,
    answeredAt: startedAt,
    endedAt: startedAt,
    waitMs: 12,
    estimatedWaitMs: 15,
    outcome: "answered",
    agentContact: "user/1001",
    hangupCause: "NORMAL_CLEARING",
    workerId: "bench",
  };
}

function trace(): TraceStep[] {
  return Array.from({ length: STEPS }, (_, n) => ({
    at: new Date(),
    kind: n % 2 === 0 ? "enter" : "output",
    nodeId: `node-${n >> 1}`,
    data: { nodeType: "queue", output: "acquired" },
  }));
}

/** CPU microseconds per call spent in `write`. */
async function cpuPerCall(write: () => Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await write();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / CALLS;
}

async function oneByOne(db: Db): Promise<void> {
  for (let i = 0; i < CALLS; i++) {
    const record = callRecord();
    await db.calls.record(record);
    await db.calls.appendTrace({ callUuid: record.callUuid, steps: trace() });
  }
}

async function batched(db: Db): Promise<void> {
  for (let i = 0; i < CALLS; i += BATCH) {
    const records = Array.from({ length: BATCH }, callRecord);
    await db.calls.saveBatch({
      records,
      traces: records.map((record) => ({ callUuid: record.callUuid, steps: trace() })),
    });
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1] ?? NaN;

async function measure(provider: DatabaseProvider): Promise<[number, number]> {
  const database = await createTestDatabase(provider);
  try {
    await migrateDatabase({ url: database.url });
    const db = await createDb({ url: database.url });
    try {
      await oneByOne(db); // warm-up: the query compiler, statement caches, the JIT
      await batched(db);
      const single: number[] = [];
      const batch: number[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        single.push(await cpuPerCall(() => oneByOne(db)));
        batch.push(await cpuPerCall(() => batched(db)));
      }
      return [median(single), median(batch)];
    } finally {
      await db.close();
    }
  } finally {
    await database.drop();
  }
}

const cpu =
  readFileSync("/proc/cpuinfo", "utf8")
    .split("\n")
    .find((line) => line.startsWith("model name"))
    ?.split(":")[1]
    ?.trim() ?? "unknown CPU";
console.log(
  `Machine: ${cpu}, ${availableParallelism()} cores, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")}\n`,
);
console.log(
  `| database   | record + appendTrace, CPU per call (ms) | saveBatch of ${BATCH}, CPU per call (ms) | ratio |`,
);
console.log(
  "| ---------- | --------------------------------------: | -------------------------------: | ----: |",
);
for (const provider of ["sqlite", "postgresql"] as const) {
  const [single, batch] = await measure(provider);
  console.log(
    `| ${provider.padEnd(10)} | ${(single / 1000).toFixed(2).padStart(39)} | ${(batch / 1000).toFixed(3).padStart(32)} | ${(single / batch).toFixed(1).padStart(5)} |`,
  );
}

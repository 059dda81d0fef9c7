/**
 * `pnpm bench:history`: what reading call history costs as it grows. Fills
 * a freshly migrated SQLite file and PostgreSQL database with 200,000 calls
 * (7 queues, 40 agents, three calls a second), then times, median of 21
 * runs each: the first page of 50, a page 100,000 calls deep (keyset
 * pagination should make the two equal), the same with a queue filter, an
 * agent's first page, the filters' value lists, and a `number` filter (a
 * substring, which no index serves). Prints a Markdown table for
 * docs/benchmarks.md.
 */
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createDb, type Db } from "../src/create-db.js";
import type { DatabaseProvider } from "../src/database-url.js";
import { migrateDatabase } from "../src/migrate/migrate-database.js";
import { wholeCallRecord } from "../src/repositories/calls.js";
import { createTestDatabase } from "../src/testing/test-database.js";

const CALLS = 200_000;
const DEPTH = 100_000;
const RUNS = 21;

async function fill(db: Db): Promise<void> {
  const base = Date.UTC(2026, 0, 1);
  for (let start = 0; start < CALLS; start += 5_000) {
    const records = Array.from({ length: 5_000 }, (_, j) => {
      const i = start + j;
      return wholeCallRecord({
        callUuid: randomUUID(),
        numberDialled: "7000",
        callerNumber: `+1555${String(i).padStart(7, "0")}`,
        startedAt: new Date(base + Math.floor(i / 3) * 1_000),
        workerId: "bench",
        queueId: `queue-${i % 7}`,
        agentContact: i % 2 === 0 ? null : `user/${1000 + (i % 40)}`,
        outcome: i % 2 === 0 ? "abandoned" : "answered",
      });
    });
    await db.calls.saveBatch({ records, traces: [] });
  }
}

/** Median wall time of `read`, in milliseconds, after one warm-up. */
async function medianMs(read: () => Promise<unknown>): Promise<number> {
  await read();
  const times: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const start = performance.now();
    await read();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[RUNS >> 1] ?? Number.NaN;
}

/** The cursor after the first `depth` calls, walked to in pages of 200. */
async function cursorAt(db: Db, depth: number, queueId?: string): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let seen = 0; seen < depth; seen += 200) {
    cursor = (await db.calls.page({ queueId, cursor, limit: 200 })).nextCursor ?? undefined;
  }
  return cursor;
}

async function measure(provider: DatabaseProvider): Promise<Record<string, number>> {
  const database = await createTestDatabase(provider);
  try {
    await migrateDatabase({ url: database.url });
    const db = await createDb({ url: database.url });
    try {
      await fill(db);
      const deep = await cursorAt(db, DEPTH);
      const deepInQueue = await cursorAt(db, DEPTH / 7, "queue-3");
      return {
        "first page": await medianMs(() => db.calls.page({})),
        [`page ${DEPTH.toLocaleString("en")} deep`]: await medianMs(() =>
          db.calls.page({ cursor: deep }),
        ),
        "one queue, page 14,200 deep": await medianMs(() =>
          db.calls.page({ queueId: "queue-3", cursor: deepInQueue }),
        ),
        "one agent, first page": await medianMs(() => db.calls.page({ agentContact: "user/1007" })),
        listQueueIds: await medianMs(() => db.calls.listQueueIds()),
        listAgentContacts: await medianMs(() => db.calls.listAgentContacts()),
        "number matching nothing": await medianMs(() => db.calls.page({ number: "999999999" })),
      };
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
const sqlite = await measure("sqlite");
const postgresql = await measure("postgresql");
console.log(`| read (${CALLS.toLocaleString("en")} calls) | SQLite (ms) | PostgreSQL (ms) |`);
console.log("| --- | ---: | ---: |");
for (const read of Object.keys(sqlite)) {
  console.log(`| ${read} | ${sqlite[read]?.toFixed(2)} | ${postgresql[read]?.toFixed(2)} |`);
}

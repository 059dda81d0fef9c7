import { randomUUID } from "node:crypto";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "./create-db.js";
import { sqliteFilePath } from "./database-url.js";
import { migrateDatabase } from "./migrate/migrate-database.js";
import { prismaClientOf } from "./prisma-client.js";
import { type CallRecord, wholeCallRecord } from "./repositories/calls.js";
import { createTestDatabase, type TestDatabase } from "./testing/test-database.js";

// Another process's connection, as the worker's is to the web app's: it
// waits for no lock (timeout 0), so what it meets is seen at once.
let database: TestDatabase;
let db: Db;
let other: Database.Database;

beforeAll(async () => {
  database = await createTestDatabase("sqlite");
  await migrateDatabase({ url: database.url });
  db = await createDb({ url: database.url, parseGraph: (graph) => graph as never });
  await db.queues.create({ id: "sales", name: "Sales", maxConcurrent: 1 });
  other = new Database(sqliteFilePath(database.url), { timeout: 0 });
});

afterAll(async () => {
  other?.close();
  await db?.close();
  await database?.drop();
});

describe("SQLite transactions", () => {
  it("hold the write lock from BEGIN, so one that reads and then writes is not failed by another connection's write in between", async () => {
    const prisma = prismaClientOf(db);
    let otherWrite: unknown = "not tried";
    await prisma.$transaction(async (tx) => {
      await tx.queueConfig.findMany();
      // With a deferred BEGIN this write went through, and the transaction's
      // own write below then failed at once with SQLITE_BUSY (a "timeout").
      try {
        other.exec(`UPDATE "QueueConfig" SET "name" = 'Other' WHERE "id" = 'sales'`);
        otherWrite = "written";
      } catch (error) {
        otherWrite = (error as { code?: string }).code;
      }
      await tx.queueConfig.update({ where: { id: "sales" }, data: { name: "Mine" } });
    });
    expect(otherWrite).toBe("SQLITE_BUSY");
    expect((await db.queues.get("sales"))?.name).toBe("Mine");
    // Once it committed, the other connection writes as usual.
    other.exec(`UPDATE "QueueConfig" SET "name" = 'Other' WHERE "id" = 'sales'`);
    expect((await db.queues.get("sales"))?.name).toBe("Other");
  });
});

/** A whole record with every kind of column filled (text, integer, dates). */
function fullRecord(callUuid: string): CallRecord {
  return wholeCallRecord({
    callUuid,
    flowId: "flow-1",
    flowVersionId: "version-1",
    flowVersion: 3,
    numberDialled: "7000",
    callerNumber: "+15550100",
    callerName: "Ann",
    queueId: "sales",
    startedAt: new Date("2026-01-01T10:00:00.000Z"),
    enqueuedAt: new Date("2026-01-01T10:00:01.250Z"),
    acquiredAt: new Date("2026-01-01T10:00:02.500Z"),
    answeredAt: new Date("2026-01-01T10:00:03.750Z"),
    endedAt: new Date("2026-01-01T10:05:00.001Z"),
    waitMs: 1_250,
    estimatedWaitMs: 2_000,
    outcome: "answered",
    agentContact: "user/1001",
    hangupCause: "NORMAL_CLEARING",
    workerId: "worker-1",
  });
}

/** A stored row's columns as SQLite holds them: `typeof` and text of each. */
function storedColumns(table: string, where: string, id: string) {
  const reader = new Database(sqliteFilePath(database.url), { readonly: true });
  try {
    const columns = (reader.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[])
      .map((column) => column.name)
      .filter((name) => name !== "callUuid" && name !== "id");
    const select = columns.map((c) => `typeof("${c}") AS "${c}:type", "${c}"`).join(", ");
    return reader.prepare(`SELECT ${select} FROM "${table}" WHERE "${where}" = ?`).all(id);
  } finally {
    reader.close();
  }
}

describe("saveBatch on SQLite (written beside Prisma, on its connection)", () => {
  const step = (n: number) => ({
    at: new Date(Date.UTC(2026, 0, 1, 10, 0, n, 123)),
    kind: `k${n}`,
    nodeId: `node-${n}`,
    data: { output: "next", n },
  });

  it("opens Prisma's connection itself when a batch is the first thing a client does", async () => {
    const fresh = await createDb({ url: database.url });
    try {
      const callUuid = randomUUID();
      const record = { ...fullRecord(callUuid), queueId: "first-thing" };
      await fresh.calls.saveBatch({ records: [record], traces: [] });
      expect((await fresh.calls.get(callUuid))?.callUuid).toBe(callUuid);
    } finally {
      await fresh.close();
    }
  });

  it("stores every column as Prisma's own writes do, so Prisma reads, sorts and filters them alike", async () => {
    const byPrisma = randomUUID();
    const byBatch = randomUUID();
    await db.calls.record(fullRecord(byPrisma));
    await db.calls.appendTrace({ callUuid: byPrisma, steps: [step(0), step(1)] });
    await db.calls.saveBatch({
      records: [fullRecord(byBatch)],
      traces: [{ callUuid: byBatch, steps: [step(0), step(1)] }],
    });
    expect(storedColumns("CallRecord", "callUuid", byBatch)).toEqual(
      storedColumns("CallRecord", "callUuid", byPrisma),
    );
    expect(storedColumns("CallTraceStep", "callUuid", byBatch)).toEqual(
      storedColumns("CallTraceStep", "callUuid", byPrisma),
    );
    expect(storedColumns("CallTrace", "callUuid", byBatch)).toEqual(
      storedColumns("CallTrace", "callUuid", byPrisma),
    );
    expect(await db.calls.get(byBatch)).toEqual({ ...fullRecord(byBatch) });
    const since = await db.calls.list({
      queueId: "sales",
      since: new Date("2026-01-01T10:00:00Z"),
    });
    expect(since.map((r) => r.callUuid).sort()).toEqual([byPrisma, byBatch].sort());
  });

  it("waits for a Prisma transaction to end rather than writing inside it (its rollback would take the batch with it)", async () => {
    const prisma = prismaClientOf(db);
    const callUuid = randomUUID();
    let batchDone = false;
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => {
      letGo = resolve;
    });
    let batch: Promise<unknown> | undefined;
    const rolledBack = prisma
      .$transaction(async (tx) => {
        await tx.queueConfig.update({ where: { id: "sales" }, data: { name: "Rolled back" } });
        batch = db.calls.saveBatch({ records: [fullRecord(callUuid)], traces: [] }).then(() => {
          batchDone = true;
        });
        await held;
        throw new Error("roll back");
      })
      .catch((error: Error) => error.message);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(batchDone).toBe(false);
    letGo();
    expect(await rolledBack).toBe("roll back");
    await batch;
    expect(batchDone).toBe(true);
    expect((await db.calls.get(callUuid))?.callUuid).toBe(callUuid);
    expect((await db.queues.get("sales"))?.name).not.toBe("Rolled back");
  });

  it("waits for another connection's write lock without holding up the event loop", async () => {
    const lock = new Database(sqliteFilePath(database.url));
    lock.exec("BEGIN IMMEDIATE");
    const callUuid = randomUUID();
    let ticks = 0;
    const ticker = setInterval(() => {
      ticks++;
    }, 5);
    const startedAt = Date.now();
    const written = db.calls.saveBatch({ records: [fullRecord(callUuid)], traces: [] });
    // Released from this same thread: had the batch waited inside SQLite,
    // nothing here would run until its busy timeout failed it.
    setTimeout(() => {
      lock.exec("ROLLBACK");
      lock.close();
    }, 150);
    await written;
    clearInterval(ticker);
    expect(Date.now() - startedAt).toBeLessThan(2_000);
    expect(ticks).toBeGreaterThanOrEqual(10);
    expect((await db.calls.get(callUuid))?.callUuid).toBe(callUuid);
  });
});

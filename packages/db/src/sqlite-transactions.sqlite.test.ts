import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "./create-db.js";
import { sqliteFilePath } from "./database-url.js";
import { migrateDatabase } from "./migrate/migrate-database.js";
import { prismaClientOf } from "./prisma-client.js";
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

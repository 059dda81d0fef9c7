import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { queryRaw } from "../../test/raw-sql.js";
import type { DatabaseProvider } from "../database-url.js";
import { MigrationError } from "../errors.js";
import { migrationsDirectories } from "../paths.js";
import { createTestDatabase, type TestDatabase } from "../testing/test-database.js";
import { migrateDatabase } from "./migrate-database.js";

describe.each<DatabaseProvider>(["sqlite", "postgresql"])("migrateDatabase on %s", (provider) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshDatabase(): Promise<TestDatabase> {
    const database = await createTestDatabase(provider);
    cleanups.push(() => database.drop());
    return database;
  }

  /** A copy of the provider's committed migrations that a test may add to or edit. */
  async function migrationsCopy(): Promise<string> {
    const directory = await mkdtemp(path.join(os.tmpdir(), "ringflow-migrations-"));
    cleanups.push(() => rm(directory, { recursive: true, force: true }));
    await cp(migrationsDirectories[provider], directory, { recursive: true });
    return directory;
  }

  it("applies every committed migration to an empty database, then nothing", async () => {
    const database = await freshDatabase();
    const committed = (await readdir(migrationsDirectories[provider], { withFileTypes: true }))
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(await migrateDatabase({ url: database.url })).toEqual({ provider, applied: committed });
    expect(await migrateDatabase({ url: database.url })).toEqual({ provider, applied: [] });
    const rows = await queryRaw(
      database.url,
      `SELECT migration_name, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(committed);
  });

  it("lets processes that start together migrate once between them", async () => {
    const database = await freshDatabase();
    const results = await Promise.all([1, 2, 3].map(() => migrateDatabase({ url: database.url })));
    const applied = results.flatMap((result) => result.applied);
    expect(new Set(applied).size).toBe(applied.length);
    expect(applied.length).toBeGreaterThan(0);
  });

  it("keeps nothing of a migration that fails", async () => {
    const database = await freshDatabase();
    const migrations = await migrationsCopy();
    await migrateDatabase({ url: database.url, migrationsDirectory: migrations });
    const broken = path.join(migrations, "99990101000000_broken");
    await mkdir(broken);
    await writeFile(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "Half" ("id" TEXT PRIMARY KEY);\nINSERT INTO "NoSuchTable" VALUES (1);\n`,
    );
    await expect(
      migrateDatabase({ url: database.url, migrationsDirectory: migrations }),
    ).rejects.toBeInstanceOf(MigrationError);
    const tables =
      provider === "sqlite"
        ? await queryRaw(database.url, `SELECT name FROM sqlite_master WHERE name = 'Half'`)
        : await queryRaw(database.url, `SELECT tablename FROM pg_tables WHERE tablename = 'Half'`);
    expect(tables).toEqual([]);
    const recorded = await queryRaw(
      database.url,
      `SELECT migration_name FROM "_prisma_migrations" WHERE migration_name LIKE '%broken'`,
    );
    expect(recorded).toEqual([]);
  });

  it("refuses a migration changed after it was applied", async () => {
    const database = await freshDatabase();
    const migrations = await migrationsCopy();
    await migrateDatabase({ url: database.url, migrationsDirectory: migrations });
    const [first] = (await readdir(migrations, { withFileTypes: true })).filter((entry) =>
      entry.isDirectory(),
    );
    if (!first) throw new Error("no committed migration");
    await writeFile(path.join(migrations, first.name, "migration.sql"), "-- rewritten\n", {
      flag: "a",
    });
    await expect(
      migrateDatabase({ url: database.url, migrationsDirectory: migrations }),
    ).rejects.toThrow(/checksum/);
  });
});

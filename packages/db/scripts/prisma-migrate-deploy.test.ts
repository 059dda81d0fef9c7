import { afterEach, expect, it } from "vitest";
import { migrateDatabase } from "../src/migrate/migrate-database.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.js";
import { runPrismaCliOrThrow } from "./prisma-cli.js";

// The Prisma CLI takes seconds to start, many more on a busy 2-core machine.
const CLI_TEST_TIMEOUT_MS = 120_000;

let database: TestDatabase | undefined;
afterEach(async () => {
  await database?.drop();
});

it(
  "prisma migrate deploy migrates a brand-new SQLite file, and migrateDatabase agrees",
  async () => {
    database = await createTestDatabase("sqlite");
    const env = { DATABASE_URL: database.url };
    const deployed = await runPrismaCliOrThrow(["migrate", "deploy"], env);
    expect(deployed).toMatch(/successfully applied/);
    expect(await migrateDatabase({ url: database.url })).toEqual({
      provider: "sqlite",
      applied: [],
    });
    // ...and Prisma reads migrateDatabase's bookkeeping the same way.
    const status = await runPrismaCliOrThrow(["migrate", "status"], env);
    expect(status).toMatch(/Database schema is up to date/);
  },
  CLI_TEST_TIMEOUT_MS,
);

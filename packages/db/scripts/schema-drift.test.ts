import { afterAll, describe, expect, it } from "vitest";
import type { DatabaseProvider } from "../src/database-url.js";
import { migrateDatabase } from "../src/migrate/migrate-database.js";
import { postgresSchemaPath, sourceSchemaPath } from "../src/paths.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.js";
import { describeSchema } from "../test/catalog.js";
import { executeScript } from "../test/raw-sql.js";
import { runPrismaCliOrThrow } from "./prisma-cli.js";

// The Prisma CLI takes seconds to start, many more on a busy 2-core machine.
const CLI_TEST_TIMEOUT_MS = 120_000;

const schemaOf: Record<DatabaseProvider, string> = {
  sqlite: sourceSchemaPath,
  postgresql: postgresSchemaPath,
};

/**
 * The committed migrations must build exactly the schema the datamodel
 * describes, or someone changed schema.prisma without a migration (or
 * edited a migration). Prisma's own check (`migrate diff --from-migrations`)
 * needs a shadow database that neither adapter can host here, so this builds
 * two real databases — one by the migrations, one by Prisma's SQL for the
 * datamodel from scratch — and compares their catalogs.
 */
describe.each<DatabaseProvider>(["sqlite", "postgresql"])("migrations on %s", (provider) => {
  const databases: TestDatabase[] = [];
  afterAll(async () => {
    for (const database of databases) await database.drop();
  });

  it(
    "build the schema the datamodel describes",
    async () => {
      const [migrated, fromDatamodel, cliScratch] = await Promise.all([
        createTestDatabase(provider),
        createTestDatabase(provider),
        // The CLI opens its adapter's database even for a datamodel-only diff.
        createTestDatabase("sqlite"),
      ]);
      databases.push(migrated, fromDatamodel, cliScratch);
      const script = await runPrismaCliOrThrow(
        [
          "migrate",
          "diff",
          "--from-empty",
          "--to-schema-datamodel",
          schemaOf[provider],
          "--script",
        ],
        { DATABASE_URL: cliScratch.url },
      );
      await migrateDatabase({ url: migrated.url });
      await executeScript(fromDatamodel.url, script);
      const expected = await describeSchema(fromDatamodel.url);
      expect(expected).not.toEqual({});
      expect(await describeSchema(migrated.url)).toEqual(expected);
    },
    CLI_TEST_TIMEOUT_MS,
  );
});

/**
 * `pnpm --filter @ringflow/db generate`: generates both Prisma clients into
 * src/generated/ (gitignored), offline.
 *
 * The CLI validates a schema's `env("DATABASE_URL")` against its provider
 * before it reads the generator settings, and when that fails it assumes a
 * native query engine and tries to download one. Generating the PostgreSQL
 * client therefore needs a PostgreSQL-looking DATABASE_URL, whatever the
 * environment holds; nothing connects to it.
 */
import { postgresSchemaPath, sourceSchemaPath } from "../src/paths.js";
import { runPrismaCliOrThrow } from "./prisma-cli.js";

await Promise.all([
  runPrismaCliOrThrow(["generate", "--schema", sourceSchemaPath], {
    DATABASE_URL: "file:./unused.db",
  }),
  runPrismaCliOrThrow(["generate", "--schema", postgresSchemaPath], {
    DATABASE_URL: "postgresql://localhost/unused",
  }),
]);
console.log("Generated the SQLite and PostgreSQL Prisma clients in packages/db/src/generated/.");

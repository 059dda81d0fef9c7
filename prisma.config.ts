/**
 * Prisma CLI configuration (Prisma 6.19, see packages/db/README.md).
 *
 * The CLI runs its WebAssembly schema engine over a driver adapter
 * (`engine: "js"`): the native schema engine would have to be downloaded
 * from Prisma's servers, which this network cannot reach. Only SQLite works
 * this way: through `@prisma/adapter-pg` the WebAssembly engine cannot read
 * PostgreSQL's catalog, so PostgreSQL is migrated by
 * `pnpm --filter @ringflow/db migrate`, which applies the committed SQL.
 */
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { defineConfig } from "prisma/config";

const databaseUrl =
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: no turbo task depends on it (generate sets its own)
  process.env.DATABASE_URL ?? `file:${path.join(import.meta.dirname, "ringflow.db")}`;
// The schema's datasource reads DATABASE_URL; without it the CLI fails to read
// the generator settings and falls back to downloading a native query engine.
process.env.DATABASE_URL = databaseUrl;

const POSTGRES_HINT =
  "Prisma's CLI works on SQLite only here (DATABASE_URL=file:...). " +
  "For PostgreSQL run `pnpm --filter @ringflow/db migrate`.";
if (!databaseUrl.startsWith("file:")) {
  // A warning, not an error: generating the PostgreSQL client goes through
  // this file too. Anything else fails, and this says why before it does.
  console.warn(POSTGRES_HINT);
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    if (!databaseUrl.startsWith("file:")) throw new Error(POSTGRES_HINT);
    // Relative to the repository root, as in @ringflow/db, not to the working directory.
    return new PrismaBetterSQLite3({
      url: path.resolve(import.meta.dirname, databaseUrl.slice("file:".length)),
    });
  },
});

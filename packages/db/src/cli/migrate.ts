/**
 * `pnpm --filter @ringflow/db migrate`: brings the database at DATABASE_URL
 * (default: ringflow.db at the repository root) to the current schema.
 */
import { defaultDatabaseUrl } from "../database-url.js";
import { migrateDatabase } from "../migrate/migrate-database.js";

const url = process.env.DATABASE_URL ?? defaultDatabaseUrl;
const { provider, applied } = await migrateDatabase({ url });
console.log(
  applied.length === 0
    ? `${provider}: already at the current schema.`
    : `${provider}: applied ${applied.join(", ")}.`,
);

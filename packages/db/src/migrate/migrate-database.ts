import { type DatabaseProvider, databaseProvider, sqliteFilePath } from "../database-url.js";
import { migrationsDirectories } from "../paths.js";
import { migratePostgres } from "./migrate-postgres.js";
import { migrateSqlite } from "./migrate-sqlite.js";
import { readMigrationFiles } from "./migration-files.js";

/** Options of {@link migrateDatabase}. */
export interface MigrateDatabaseOptions {
  /** `file:<path>` (SQLite) or `postgres(ql)://...` (PostgreSQL). */
  url: string;
  /** Where the provider's migrations are; defaults to the repository's prisma/ folders. */
  migrationsDirectory?: string;
}

/** What {@link migrateDatabase} did. */
export interface MigrateDatabaseResult {
  provider: DatabaseProvider;
  /** Names of the migrations applied now, oldest first; empty when already current. */
  applied: string[];
}

/**
 * Brings a SQLite or PostgreSQL database to the current schema by applying
 * the committed migrations it lacks (prisma/migrations or
 * prisma/postgresql/migrations). Bookkeeping is Prisma's `_prisma_migrations`
 * table, so `prisma migrate deploy` and this function agree on what is
 * applied. Safe to call from every process at start-up: concurrent calls
 * wait for one another.
 *
 * @throws {MigrationError} when a migration fails (nothing of it is kept), an
 *   applied migration's file has changed, or a failed migration awaits resolution.
 */
export async function migrateDatabase(
  options: MigrateDatabaseOptions,
): Promise<MigrateDatabaseResult> {
  const provider = databaseProvider(options.url);
  const migrations = await readMigrationFiles(
    options.migrationsDirectory ?? migrationsDirectories[provider],
  );
  const applied =
    provider === "sqlite"
      ? migrateSqlite(sqliteFilePath(options.url), migrations)
      : await migratePostgres(options.url, migrations);
  return { provider, applied };
}

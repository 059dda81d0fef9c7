import { randomUUID } from "node:crypto";
import pg from "pg";
import { MigrationError } from "../errors.js";
import { type MigrationFile, planMigrations } from "./migration-files.js";

// Prisma's own DDL for its bookkeeping table, so Prisma's tools read what
// this code writes.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// The advisory lock key Prisma Migrate takes, so this code and Prisma's
// tools never migrate one database at the same time.
const MIGRATION_LOCK_KEY = 72707369;

/**
 * Applies the pending migrations to the PostgreSQL database at `url`, each
 * in its own transaction (PostgreSQL's DDL is transactional, so a failing
 * migration leaves nothing behind), under Prisma's advisory lock so that
 * processes starting together migrate one after the other.
 */
export async function migratePostgres(
  url: string,
  migrations: readonly MigrationFile[],
): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<{
      name: string;
      checksum: string;
      finishedAt: Date | null;
      rolledBackAt: Date | null;
    }>(
      `SELECT migration_name AS name, checksum, finished_at AS "finishedAt",
              rolled_back_at AS "rolledBackAt" FROM "_prisma_migrations"`,
    );
    const pending = planMigrations(
      migrations,
      rows.map((row) => ({
        migrationName: row.name,
        checksum: row.checksum,
        finished: row.finishedAt !== null,
        rolledBack: row.rolledBackAt !== null,
      })),
    );
    for (const migration of pending) {
      await client.query("BEGIN");
      try {
        const startedAt = new Date();
        await client.query(migration.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations"
             (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), migration.checksum, migration.name, startedAt],
        );
        await client.query("COMMIT");
      } catch (cause) {
        await client.query("ROLLBACK");
        throw new MigrationError(`Migration ${migration.name} failed: ${String(cause)}`, {
          cause,
        });
      }
    }
    return pending.map((migration) => migration.name);
  } finally {
    // Ending the session releases the advisory lock too.
    await client.end();
  }
}

import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { MigrationError } from "../errors.js";
import { type MigrationFile, planMigrations } from "./migration-files.js";

// Prisma's own DDL for its bookkeeping table, so `prisma migrate deploy` /
// `status` read what this code writes.
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

/** Prisma writes its SQLite timestamps as RFC 3339 text with a numeric offset. */
function timestamp(): string {
  return new Date().toISOString().replace("Z", "+00:00");
}

/**
 * Applies the pending migrations to the SQLite file at `file` (created if
 * missing), all in one transaction: either every pending migration lands or
 * none does.
 */
export function migrateSqlite(file: string, migrations: readonly MigrationFile[]): string[] {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file, { timeout: 10_000 });
  try {
    // WAL lets the web app read while the worker writes; the mode is kept in the file.
    db.pragma("journal_mode = WAL");
    // Outside any transaction, or SQLite ignores it: Prisma's table redefinitions
    // drop and recreate tables, and with foreign keys on, dropping a table would
    // run its ON DELETE CASCADE actions and empty the tables that refer to it.
    db.pragma("foreign_keys = OFF");
    // IMMEDIATE takes the write lock up front, so two processes migrating at
    // once queue up instead of both planning the same migrations.
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(CREATE_MIGRATIONS_TABLE);
      const rows = db
        .prepare(
          `SELECT migration_name AS name, checksum, finished_at AS finishedAt,
                  rolled_back_at AS rolledBackAt FROM "_prisma_migrations"`,
        )
        .all() as { name: string; checksum: string; finishedAt: unknown; rolledBackAt: unknown }[];
      const pending = planMigrations(
        migrations,
        rows.map((row) => ({
          migrationName: row.name,
          checksum: row.checksum,
          finished: row.finishedAt !== null,
          rolledBack: row.rolledBackAt !== null,
        })),
      );
      const record = db.prepare(
        `INSERT INTO "_prisma_migrations"
           (id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at, applied_steps_count)
         VALUES (?, ?, ?, ?, NULL, NULL, ?, 1)`,
      );
      for (const migration of pending) {
        const startedAt = timestamp();
        try {
          db.exec(migration.sql);
        } catch (cause) {
          throw new MigrationError(`Migration ${migration.name} failed: ${String(cause)}`, {
            cause,
          });
        }
        record.run(randomUUID(), migration.checksum, timestamp(), migration.name, startedAt);
      }
      const violations = db.pragma("foreign_key_check") as unknown[];
      if (violations.length > 0) {
        throw new MigrationError(
          `Migrations would leave ${violations.length} rows breaking foreign keys: ` +
            JSON.stringify(violations.slice(0, 5)),
        );
      }
      db.exec("COMMIT");
      return pending.map((migration) => migration.name);
    } catch (error) {
      if (db.inTransaction) db.exec("ROLLBACK");
      throw error;
    }
  } finally {
    db.close();
  }
}

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { MigrationError } from "../errors.js";

/** One committed migration: a folder holding `migration.sql`. */
export interface MigrationFile {
  /** The folder name, e.g. `20261123190440_init`; migrations apply in name order. */
  name: string;
  sql: string;
  /** SHA-256 of the file in hex: what Prisma records in `_prisma_migrations.checksum`. */
  checksum: string;
}

/** Reads every migration in `directory`, oldest first. */
export async function readMigrationFiles(directory: string): Promise<MigrationFile[]> {
  if (!existsSync(directory)) {
    throw new MigrationError(`No migrations directory at ${directory}`);
  }
  const entries = await readdir(directory, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(directory, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    }),
  );
}

/** A row of Prisma's `_prisma_migrations` table, as far as planning needs it. */
export interface AppliedMigration {
  migrationName: string;
  checksum: string;
  finished: boolean;
  rolledBack: boolean;
}

/**
 * The migrations still to apply, in order. Follows Prisma's bookkeeping so
 * that `prisma migrate deploy` and this code can take turns on one database:
 * rolled-back rows do not count as applied; an unfinished row is a failed
 * migration that someone must resolve first; an applied file that has since
 * changed is refused. Rows for migrations this code does not know (a newer
 * release migrated the database) are left alone.
 */
export function planMigrations(
  files: readonly MigrationFile[],
  applied: readonly AppliedMigration[],
): MigrationFile[] {
  const done = new Map<string, AppliedMigration>();
  for (const row of applied) {
    if (row.rolledBack) continue;
    if (!row.finished) {
      throw new MigrationError(
        `Migration ${row.migrationName} failed earlier and is still marked as started; ` +
          "fix the database and mark it resolved (prisma migrate resolve) first.",
      );
    }
    done.set(row.migrationName, row);
  }
  return files.filter((file) => {
    const row = done.get(file.name);
    if (!row) return true;
    if (row.checksum !== file.checksum) {
      throw new MigrationError(
        `Migration ${file.name} was changed after it was applied (checksum mismatch).`,
      );
    }
    return false;
  });
}

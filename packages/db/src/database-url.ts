import path from "node:path";
import { UnsupportedDatabaseUrlError } from "./errors.js";
import { repositoryRoot } from "./paths.js";

/** The databases Ringflow stores its data in. */
export type DatabaseProvider = "sqlite" | "postgresql";

/**
 * Where data lives when DATABASE_URL is not set: a SQLite file at the
 * repository root, the same one prisma.config.ts uses.
 */
export const defaultDatabaseUrl: string = `file:${path.join(repositoryRoot, "ringflow.db")}`;

/**
 * The provider a database URL is for: `file:<path>` is SQLite, `postgres://`
 * and `postgresql://` are PostgreSQL.
 *
 * @throws {UnsupportedDatabaseUrlError} for anything else.
 */
export function databaseProvider(url: string): DatabaseProvider {
  if (url.startsWith("file:")) return "sqlite";
  if (url.startsWith("postgres://") || url.startsWith("postgresql://")) return "postgresql";
  throw new UnsupportedDatabaseUrlError(url);
}

/**
 * The file a `file:` URL names. A relative path is resolved against the
 * repository root, not the working directory: the web app, the worker and
 * the CLIs each run from a different folder and must still open one file
 * (prisma.config.ts resolves it the same way).
 */
export function sqliteFilePath(url: string): string {
  return path.resolve(repositoryRoot, url.slice("file:".length));
}

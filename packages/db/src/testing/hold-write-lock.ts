import Database from "better-sqlite3";
import { sqliteFilePath } from "../database-url.js";

/** A write lock a test holds on a SQLite database; see {@link holdSqliteWriteLock}. */
export interface HeldWriteLock {
  /** Lets writers through again (rolls the empty transaction back, closes the connection). */
  release(): void;
}

/**
 * Takes the write lock of the SQLite database at `url` (`BEGIN IMMEDIATE`
 * on a connection of its own) and holds it until released: every other
 * connection's write then waits (its busy timeout) or fails. A test uses it
 * to freeze a process just before it stores something, e.g. to kill it
 * there and prove nothing half-stored is left.
 */
export function holdSqliteWriteLock(url: string): HeldWriteLock {
  const connection = new Database(sqliteFilePath(url));
  connection.exec("BEGIN IMMEDIATE");
  return {
    release() {
      if (!connection.open) return;
      connection.exec("ROLLBACK");
      connection.close();
    },
  };
}

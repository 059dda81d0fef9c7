import Database from "better-sqlite3";
import pg from "pg";
import { databaseProvider, sqliteFilePath } from "../src/database-url.js";

/**
 * Runs SQL on a test database with the plain driver, around the
 * repositories: for what the repositories deliberately cannot do (rewrite a
 * published version) and for reading the catalog. Returns the rows of the
 * last statement.
 */
export async function queryRaw(url: string, sql: string): Promise<Record<string, unknown>[]> {
  if (databaseProvider(url) === "sqlite") {
    const db = new Database(sqliteFilePath(url));
    try {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all() as Record<string, unknown>[];
      statement.run();
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Executes a multi-statement script on a test database with the plain driver. */
export async function executeScript(url: string, script: string): Promise<void> {
  if (databaseProvider(url) === "sqlite") {
    const db = new Database(sqliteFilePath(url));
    try {
      db.exec(script);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(script);
  } finally {
    await client.end();
  }
}

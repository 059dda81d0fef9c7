import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { DatabaseProvider } from "../database-url.js";

/** A brand-new, empty database that a test owns. */
export interface TestDatabase {
  provider: DatabaseProvider;
  /** The URL to pass to `migrateDatabase` / `createDb`. */
  url: string;
  /** Deletes the database; close every connection to it first. */
  drop(): Promise<void>;
}

/**
 * The PostgreSQL server tests use: 127.0.0.1:5432 with trust auth, as
 * `PGUSER` (default `postgres`). Override the whole URL of its maintenance
 * database with `RINGFLOW_TEST_PG_URL`.
 */
export function postgresAdminUrl(): string {
  return (
    process.env.RINGFLOW_TEST_PG_URL ??
    `postgresql://${encodeURIComponent(process.env.PGUSER ?? "postgres")}@127.0.0.1:5432/postgres`
  );
}

/**
 * Creates an empty database for one test file: a SQLite file in a fresh
 * temporary directory, or a PostgreSQL database `ringflow_test_<random>` on
 * the server of {@link postgresAdminUrl}. Rejects, loudly, when PostgreSQL
 * is not there.
 */
export async function createTestDatabase(provider: DatabaseProvider): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const directory = await mkdtemp(path.join(os.tmpdir(), "ringflow-db-test-"));
    return {
      provider,
      url: `file:${path.join(directory, "test.db")}`,
      drop: () => rm(directory, { recursive: true, force: true }),
    };
  }
  const name = `ringflow_test_${randomBytes(6).toString("hex")}`;
  const adminUrl = new URL(postgresAdminUrl());
  await withAdminClient(adminUrl, (client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    provider,
    url: url.toString(),
    drop: async () => {
      await withAdminClient(adminUrl, (client) =>
        client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
      );
    },
  };
}

async function withAdminClient<T>(url: URL, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url.toString() });
  try {
    await client.connect();
  } catch (cause) {
    throw new Error(
      `PostgreSQL is not answering at ${url.host} (${String(cause)}); the PostgreSQL ` +
        "tests need it: start it (see TOOLCHAIN.md) or run `bash .ci/run`.",
      { cause },
    );
  }
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

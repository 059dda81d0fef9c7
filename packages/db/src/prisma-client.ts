import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import { databaseProvider, sqliteFilePath } from "./database-url.js";
import type { PrismaClient } from "./generated/sqlite/client.js";
import { SqliteWrites } from "./sqlite-writes.js";

/**
 * The Prisma client the repositories use. Typed as the SQLite client for
 * both providers: the PostgreSQL client is generated from the same datamodel
 * (the migration tests keep the two schemas identical but for the provider),
 * so its model API is the same, and the repositories use no
 * provider-specific query features.
 */
export type RingflowPrismaClient = PrismaClient;

/** A Prisma client, and on SQLite the direct writes that share its connection. */
export interface PrismaConnection {
  readonly prisma: RingflowPrismaClient;
  readonly sqliteWrites?: SqliteWrites;
}

/**
 * Creates the Prisma client for `url` with its driver adapter. Each provider's
 * client and driver load only when used, so a PostgreSQL deployment never
 * loads SQLite's native addon.
 */
export async function createPrismaClient(url: string): Promise<PrismaConnection> {
  if (databaseProvider(url) === "sqlite") {
    const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([
      import("./generated/sqlite/client.js"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    const sqliteWrites = new SqliteWrites(() => prisma.$connect());
    const adapter = sqliteAdapter(
      new PrismaBetterSQLite3({ url: sqliteFilePath(url) }),
      sqliteWrites,
    );
    const prisma = new PrismaClient({ adapter });
    return { prisma, sqliteWrites };
  }
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([
    import("./generated/postgresql/client.js"),
    import("@prisma/adapter-pg"),
  ]);
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return { prisma: client as unknown as RingflowPrismaClient };
}

/** The part of Prisma's adapter {@link sqliteAdapter} reaches. */
interface AdapterInternals {
  /** The adapter's better-sqlite3 connection. */
  client?: BetterSqlite3.Database;
  startTransaction(...args: unknown[]): Promise<{
    commit(): Promise<void>;
    rollback(): Promise<void>;
  }>;
}

/**
 * Prisma's better-sqlite3 adapter, changed in two ways:
 *
 * - Every transaction begins with `BEGIN IMMEDIATE` instead of its deferred
 *   `BEGIN`. In WAL mode a deferred transaction starts as a reader. When it
 *   then writes, it cannot wait for the write lock: if another connection
 *   (the worker, the web app, a second worker) wrote since its first read,
 *   or holds the lock at that moment, SQLite fails the write at once with
 *   `SQLITE_BUSY`, without the busy timeout, and Prisma reports it as a
 *   timeout. Prisma itself opens such transactions (an `update` by a
 *   non-unique filter reads, then writes; Better Auth's sign-in limiter does
 *   one per request), so under a worker's writes sign-ins failed with a 500
 *   now and then. `IMMEDIATE` takes the write lock at `BEGIN`, where the
 *   busy timeout waits for it like any other write.
 * - Its connection goes to `writes`, and its transactions take `writes`'
 *   lock from start to commit or rollback, so they never overlap the
 *   direct writes' (see {@link SqliteWrites}).
 *
 * The adapter keeps its better-sqlite3 connection as `client`, opens
 * transactions with `client.prepare("BEGIN")` and ends them through the
 * transaction object's `commit` / `rollback`; if a later version no longer
 * does, this throws at connect rather than silently doing nothing.
 */
export function sqliteAdapter(
  factory: PrismaBetterSQLite3,
  writes: SqliteWrites,
): Pick<PrismaBetterSQLite3, "provider" | "adapterName" | "connect"> {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    async connect() {
      const adapter = await factory.connect();
      const internals = adapter as unknown as AdapterInternals;
      const connection = internals.client;
      if (
        typeof connection?.prepare !== "function" ||
        typeof internals.startTransaction !== "function"
      ) {
        throw new Error(
          `${factory.adapterName} keeps no better-sqlite3 connection as 'client' or has no startTransaction: sqliteAdapter needs updating for it`,
        );
      }
      const prepare = connection.prepare.bind(connection);
      connection.prepare = ((source: string) =>
        prepare(source === "BEGIN" ? "BEGIN IMMEDIATE" : source)) as typeof connection.prepare;
      const start = internals.startTransaction.bind(adapter);
      internals.startTransaction = async (...args) => {
        const release = await writes.lock();
        try {
          const transaction = await start(...args);
          const commit = transaction.commit.bind(transaction);
          const rollback = transaction.rollback.bind(transaction);
          transaction.commit = () => commit().finally(release);
          transaction.rollback = () => rollback().finally(release);
          return transaction;
        } catch (error) {
          release();
          throw error;
        }
      };
      writes.attach(connection);
      return adapter;
    },
  };
}

// Symbol.for, not a module-local symbol: `@ringflow/db/auth` finds the
// client even if a bundler gave it its own copy of this module.
const PRISMA_CLIENT = Symbol.for("@ringflow/db prisma client");

/**
 * Keeps `prisma` on `db`, out of sight (non-enumerable, symbol-keyed), for
 * this package's own adapters (`@ringflow/db/auth`): the Prisma client never
 * appears in the public `Db` type.
 */
export function attachPrismaClient(db: object, prisma: RingflowPrismaClient): void {
  Object.defineProperty(db, PRISMA_CLIENT, { value: prisma, enumerable: false });
}

/** The Prisma client {@link attachPrismaClient} kept on `db`. */
export function prismaClientOf(db: object): RingflowPrismaClient {
  const prisma = (db as { [PRISMA_CLIENT]?: RingflowPrismaClient })[PRISMA_CLIENT];
  if (!prisma) throw new TypeError("Not a database made by createDb");
  return prisma;
}

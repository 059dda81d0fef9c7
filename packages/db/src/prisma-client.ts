import { databaseProvider, sqliteFilePath } from "./database-url.js";
import type { PrismaClient } from "./generated/sqlite/client.js";

/**
 * The Prisma client the repositories use. Typed as the SQLite client for
 * both providers: the PostgreSQL client is generated from the same datamodel
 * (the migration tests keep the two schemas identical but for the provider),
 * so its model API is the same, and the repositories use no
 * provider-specific query features.
 */
export type RingflowPrismaClient = PrismaClient;

/**
 * Creates the Prisma client for `url` with its driver adapter. Each provider's
 * client and driver load only when used, so a PostgreSQL deployment never
 * loads SQLite's native addon.
 */
export async function createPrismaClient(url: string): Promise<RingflowPrismaClient> {
  if (databaseProvider(url) === "sqlite") {
    const [{ PrismaClient }, { PrismaBetterSQLite3 }] = await Promise.all([
      import("./generated/sqlite/client.js"),
      import("@prisma/adapter-better-sqlite3"),
    ]);
    return new PrismaClient({ adapter: new PrismaBetterSQLite3({ url: sqliteFilePath(url) }) });
  }
  const [{ PrismaClient }, { PrismaPg }] = await Promise.all([
    import("./generated/postgresql/client.js"),
    import("@prisma/adapter-pg"),
  ]);
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
  return client as unknown as RingflowPrismaClient;
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

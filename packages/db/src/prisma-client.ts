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

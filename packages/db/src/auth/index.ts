/**
 * @packageDocumentation
 * `@ringflow/db/auth`: Ringflow's database as Better Auth's storage, so the
 * web app's sign-in keeps its users, sessions and password hashes in the
 * same database through the same Prisma client, and Prisma never leaks out
 * of `@ringflow/db`.
 */
import { prismaAdapter } from "@better-auth/prisma-adapter";
import type { Db } from "../create-db.js";
import { prismaClientOf } from "../prisma-client.js";

/** What Better Auth's `database` option takes: an adapter factory. */
export type BetterAuthDatabase = ReturnType<typeof prismaAdapter>;

/**
 * Better Auth's database adapter over `db`: its Prisma adapter on `db`'s own
 * client, for `db`'s provider. Pass it as `betterAuth({ database })`. It
 * reads and writes Better Auth's tables (`User`, `Session`, `Account`,
 * `Verification`, `RateLimit`), which the migrations create; multi-step
 * writes (a user and their password) run in one transaction.
 */
export function betterAuthDatabase(db: Db<unknown>): BetterAuthDatabase {
  return prismaAdapter(prismaClientOf(db), { provider: db.provider, transaction: true });
}

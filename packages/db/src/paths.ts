import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository's root directory (this file sits in packages/db/src or packages/db/dist). */
export const repositoryRoot: string = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../..",
);

/** The `prisma/` directory: the schema (one source of truth) and the SQLite migrations. */
export const prismaDirectory: string = path.join(repositoryRoot, "prisma");

/** Where each provider's committed migrations live. */
export const migrationsDirectories = {
  sqlite: path.join(prismaDirectory, "migrations"),
  postgresql: path.join(prismaDirectory, "postgresql", "migrations"),
} as const;

/** The SQLite schema every model is written in. */
export const sourceSchemaPath: string = path.join(prismaDirectory, "schema.prisma");

/** The PostgreSQL schema, rendered from {@link sourceSchemaPath}. */
export const postgresSchemaPath: string = path.join(prismaDirectory, "postgresql", "schema.prisma");

import { RingflowError } from "@ringflow/core";

/** A record the caller named does not exist. */
export class NotFoundError extends RingflowError {
  readonly code = "NOT_FOUND";
  constructor(
    /** What was looked for, e.g. `flow`. */
    readonly entity: string,
    /** The key it was looked for by. */
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`No ${entity} ${JSON.stringify(key)}`, options);
  }
}

/** A record with the same unique key (a number, an e-mail, a contact...) already exists. */
export class AlreadyExistsError extends RingflowError {
  readonly code = "ALREADY_EXISTS";
  constructor(
    /** What could not be created, e.g. `agent`. */
    readonly entity: string,
    options?: { cause?: unknown },
  ) {
    super(`That ${entity} already exists`, options);
  }
}

/** A record cannot be deleted while others refer to it (e.g. a flow a number routes to). */
export class InUseError extends RingflowError {
  readonly code = "IN_USE";
  constructor(
    readonly entity: string,
    readonly key: string,
    options?: { cause?: unknown },
  ) {
    super(`${entity} ${JSON.stringify(key)} is still in use`, options);
  }
}

/** DATABASE_URL is neither `file:...` (SQLite) nor `postgres://` / `postgresql://`. */
export class UnsupportedDatabaseUrlError extends RingflowError {
  readonly code = "UNSUPPORTED_DATABASE_URL";
  constructor(url: string) {
    // Only the scheme: the rest may hold a password.
    super(
      `Unsupported database URL scheme ${JSON.stringify(url.split(":")[0])}: ` +
        "use file:<path> (SQLite) or postgres(ql)://... (PostgreSQL)",
    );
  }
}

/** The database could not be brought to the current schema. */
export class MigrationError extends RingflowError {
  readonly code = "MIGRATION_FAILED";
}

/** A value read from the database is not one the code knows (e.g. an unknown call outcome). */
export class CorruptRecordError extends RingflowError {
  readonly code = "CORRUPT_RECORD";
}

// A raw query's constraint violation arrives as P2010 with the driver
// adapter's error kind inside; name it as Prisma names the model-query one.
const RAW_QUERY_VIOLATIONS: Record<string, string> = {
  UniqueConstraintViolation: "P2002",
  ForeignKeyConstraintViolation: "P2003",
};

/**
 * The Prisma error code of `error` (`P2002`...), if it is a Prisma
 * known-request error; raw-query constraint violations get the code the same
 * violation has in a model query.
 */
export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  const { code, meta } = error as { code: unknown; meta?: { driverAdapterError?: unknown } };
  if (typeof code !== "string" || !/^P\d{4}$/.test(code)) return undefined;
  if (code === "P2010") {
    const kind = (meta?.driverAdapterError as { cause?: { kind?: unknown } } | undefined)?.cause
      ?.kind;
    return (typeof kind === "string" && RAW_QUERY_VIOLATIONS[kind]) || code;
  }
  return code;
}

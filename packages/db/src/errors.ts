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

/** What refers to a record that cannot be deleted: a flow's live version, or a routed number. */
export interface InUseReference {
  /** `flow`: the flow's live (newest published) version names the record; `number`: a routed number. */
  kind: "flow" | "number";
  /** The flow's id, or the number. */
  id: string;
  /** The flow's name, or the number. */
  name: string;
}

function quotedList(names: readonly string[]): string {
  return names.map((name) => JSON.stringify(name)).join(", ");
}

function describeUsers(usedBy: readonly InUseReference[]): string {
  const flows = usedBy.filter((ref) => ref.kind === "flow").map((ref) => ref.name);
  const numbers = usedBy.filter((ref) => ref.kind === "number").map((ref) => ref.name);
  const parts: string[] = [];
  if (flows.length === 1) parts.push(`the live version of flow ${quotedList(flows)}`);
  if (flows.length > 1) parts.push(`the live versions of flows ${quotedList(flows)}`);
  if (numbers.length === 1) parts.push(`number ${quotedList(numbers)}`);
  if (numbers.length > 1) parts.push(`numbers ${quotedList(numbers)}`);
  return parts.join(" and ");
}

/**
 * A record cannot be deleted while others refer to it: a queue or agent
 * group that a flow's live version names, a flow a number routes to.
 * `usedBy` says what refers to it, for the caller to show.
 */
export class InUseError extends RingflowError {
  readonly code = "IN_USE";
  /** What refers to the record (may be empty when the database refused without saying). */
  readonly usedBy: readonly InUseReference[];
  constructor(
    /** What could not be deleted, e.g. `queue`. */
    readonly entity: string,
    /** Its key (id). */
    readonly key: string,
    options?: {
      usedBy?: readonly InUseReference[];
      /** How to name the record in the message (e.g. a flow's name); default `key`. */
      label?: string;
      cause?: unknown;
    },
  ) {
    const usedBy = options?.usedBy ?? [];
    const subject = `${entity.charAt(0).toUpperCase()}${entity.slice(1)} ${JSON.stringify(options?.label ?? key)}`;
    super(
      usedBy.length > 0
        ? `${subject} is used by ${describeUsers(usedBy)}`
        : `${subject} is still in use`,
      options,
    );
    this.usedBy = usedBy;
  }
}

/**
 * An update or delete named the revision it started from, and the stored
 * record has another: someone else saved first. Nothing was written.
 */
export class ConflictError extends RingflowError {
  readonly code = "CONFLICT";
  constructor(
    /** What was being changed, e.g. `queue`. */
    readonly entity: string,
    /** Its key (id, number...). */
    readonly key: string,
    /** The revision the caller started from. */
    readonly expectedRevision: number,
    /** The revision stored now. */
    readonly currentRevision: number,
    options?: { cause?: unknown },
  ) {
    super(`Someone else changed this ${entity} since you opened it`, options);
  }
}

/** A pagination cursor that no page of this list handed out (damaged or from another list). */
export class InvalidCursorError extends RingflowError {
  readonly code = "INVALID_CURSOR";
  constructor(options?: { cause?: unknown }) {
    super("That page cursor is not valid", options);
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

/**
 * A dispatcher acted on a callback request it no longer holds: its lease
 * ran out and another dispatcher took the request, or the request ended.
 * Nothing was written; the dispatcher must stop working on it.
 */
export class LeaseLostError extends RingflowError {
  readonly code = "LEASE_LOST";
  constructor(
    /** The callback request. */
    readonly id: string,
    /** The dispatcher that thought it held it. */
    readonly owner: string,
    options?: { cause?: unknown },
  ) {
    super(
      `Callback request ${JSON.stringify(id)} is not held by ${JSON.stringify(owner)}`,
      options,
    );
  }
}

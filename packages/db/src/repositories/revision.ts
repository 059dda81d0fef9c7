import { ConflictError, NotFoundError, prismaErrorCode } from "../errors.js";

/** The revision check a write may carry: without `expectedRevision`, the last write wins. */
export interface RevisionCheck {
  /** The `revision` the caller read; the write happens only while it is still stored. */
  expectedRevision?: number;
}

/** The `where` filter that makes a write conditional on {@link RevisionCheck}. */
export function atRevision(expectedRevision: number | undefined): { revision?: number } {
  return expectedRevision === undefined ? {} : { revision: expectedRevision };
}

/** The `data` that bumps a record's revision: every write does. */
export const nextRevision = { revision: { increment: 1 } } as const;

/** What {@link writeAtRevision} needs to run a conditional write and explain a refusal. */
export interface WriteAtRevisionOptions<T> {
  /** What is written, e.g. `queue`, for the errors. */
  entity: string;
  /** Its key, for the errors. */
  key: string;
  expectedRevision: number | undefined;
  /**
   * One atomic, conditional write (`update`/`delete` with `where:
   * { key, ...atRevision(expectedRevision) }`): it fails with Prisma's P2025
   * when no row matched.
   */
  write: () => Promise<T>;
  /** The record's stored revision now, or null when it is gone: read only after a refusal. */
  current: () => Promise<{ revision: number } | null>;
}

/**
 * Runs a write that applies only while the stored revision is the expected
 * one. When it matched nothing, tells why: the record is gone
 * ({@link NotFoundError}) or someone else changed it first
 * ({@link ConflictError}). Either way nothing was written.
 */
export async function writeAtRevision<T>(options: WriteAtRevisionOptions<T>): Promise<T> {
  try {
    return await options.write();
  } catch (error) {
    if (prismaErrorCode(error) !== "P2025") throw error;
    const current = await options.current();
    const { entity, key, expectedRevision } = options;
    if (current === null || expectedRevision === undefined) {
      throw new NotFoundError(entity, key, { cause: error });
    }
    throw new ConflictError(entity, key, expectedRevision, current.revision, { cause: error });
  }
}

/**
 * Runs a delete made with {@link writeAtRevision}: true when it deleted,
 * false when there was nothing to delete and no revision was named (the
 * long-standing answer of `agents`, `groups` and `routes`). With a revision,
 * a missing record stays a {@link NotFoundError}.
 */
export async function deleteOrReportAbsent(
  expectedRevision: number | undefined,
  remove: () => Promise<unknown>,
): Promise<boolean> {
  try {
    await remove();
    return true;
  } catch (error) {
    if (expectedRevision === undefined && error instanceof NotFoundError) return false;
    throw error;
  }
}

import { InvalidCursorError } from "../errors.js";

/** One page of a list that grows; pass `nextCursor` back as `cursor` for the next one. */
export interface Page<T> {
  items: T[];
  /** Opaque; null on the last page. */
  nextCursor: string | null;
}

/** Items per page when the caller names no limit. */
export const DEFAULT_PAGE_LIMIT = 50;

/** Most items one page may hold. */
export const MAX_PAGE_LIMIT = 200;

/** `limit` clamped to 1..{@link MAX_PAGE_LIMIT}, {@link DEFAULT_PAGE_LIMIT} when absent. */
export function pageLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return DEFAULT_PAGE_LIMIT;
  return Math.min(Math.max(1, Math.trunc(limit)), MAX_PAGE_LIMIT);
}

/**
 * The cursor after an item: its sort key, as base64url JSON. Opaque to
 * callers; {@link decodeCursor} checks it on the way back.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

/**
 * The sort key a cursor carries, checked against the key's shape
 * (`"string"` / `"number"` per position).
 * @throws {InvalidCursorError} for anything {@link encodeCursor} did not make.
 */
export function decodeCursor<const S extends readonly ("string" | "number")[]>(
  cursor: string,
  shape: S,
): { [I in keyof S]: S[I] extends "number" ? number : string } {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch (cause) {
    throw new InvalidCursorError({ cause });
  }
  const valid =
    Array.isArray(key) &&
    key.length === shape.length &&
    key.every((value, i) =>
      shape[i] === "number" ? Number.isSafeInteger(value) : typeof value === "string",
    );
  if (!valid) throw new InvalidCursorError();
  return key as { [I in keyof S]: S[I] extends "number" ? number : string };
}

/**
 * The page of `rows` fetched with one row more than `limit` (that extra row
 * only says whether a next page exists).
 */
export function toPage<R, T>(
  rows: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  cursorOf: (row: R) => readonly (string | number)[],
): Page<T> {
  const pageRows = rows.slice(0, limit);
  const last = pageRows.at(-1);
  return {
    items: pageRows.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? encodeCursor(cursorOf(last)) : null,
  };
}

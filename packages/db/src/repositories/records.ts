import { CorruptRecordError, prismaErrorCode } from "../errors.js";

/** Serialises a graph or other JSON value for a text column. */
export function toJsonText(value: unknown, what: string): string {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError(`${what} is not a JSON value`);
  return text;
}

/** Parses a JSON text column, reporting a damaged value as such. */
export function fromJsonText(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new CorruptRecordError(`${what} holds invalid JSON`, { cause });
  }
}

/**
 * Narrows a string column to the values the code knows. SQLite has no enums,
 * so every enumeration is a string column checked here on the way out.
 */
export function oneOf<T extends string>(allowed: readonly T[], value: string, what: string): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new CorruptRecordError(`Unknown ${what} ${JSON.stringify(value)} in the database`);
}

/**
 * Runs `operation`, turning the Prisma errors named in `map` into the typed
 * errors callers act on (P2002 unique, P2003 foreign key, P2025 not found).
 */
export async function translatePrismaErrors<T>(
  operation: () => Promise<T>,
  map: Partial<Record<"P2002" | "P2003" | "P2025", (cause: unknown) => Error>>,
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    const code = prismaErrorCode(error);
    const translate = code ? map[code as keyof typeof map] : undefined;
    if (translate) throw translate(error);
    throw error;
  }
}

/** A raw-query integer: SQLite's driver returns 64-bit integers as bigint. */
export function toNumber(value: unknown): number {
  if (typeof value === "bigint" || typeof value === "string") return Number(value);
  if (typeof value === "number") return value;
  throw new CorruptRecordError(`Expected an integer, got ${typeof value}`);
}

/** Plain code-unit order: the same on both providers, whose collations differ. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

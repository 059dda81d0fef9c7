import { z } from "zod";

/** The revision an edit started from: the update is refused with CONFLICT if someone saved since. */
export const revisionSchema = z.number().int().min(0);

/** An opaque cursor from a previous page. */
export const cursorSchema = z.string().min(1).max(500).optional();

/** A page of results and the cursor of the next one (null on the last page). */
export function pageOf<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** A person-facing name. */
export const nameSchema = z.string().trim().min(1, "Required").max(120, "At most 120 characters");

/** `{ ok: true }`: the result of a change with nothing else to say. */
export const okSchema = z.object({ ok: z.literal(true) });

import { resourceIdSchema } from "@ringflow/core/flow";
import { z } from "zod";
import { nameSchema } from "@/lib/schema-helpers";

/** Whether `Intl` (and so the server's day boundary) knows the IANA time zone `zone`. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * What an admin edits about a queue, in the units people type (seconds, as
 * flows' node settings are). The form and the API share this schema, so
 * the browser shows the server's rules before it asks.
 */
export const queueFieldsSchema = z.object({
  name: nameSchema,
  maxConcurrent: z
    .number({ error: "Enter a number" })
    .int("Use a whole number")
    .min(1, "At least 1")
    .max(1000, "At most 1000"),
  maxWaiting: z
    .number()
    .int("Use a whole number")
    .min(0, "0 or more")
    .max(10_000, "At most 10,000")
    .nullable(),
  timeoutSeconds: z
    .number()
    .int("Use whole seconds")
    .min(1, "At least 1 second")
    .max(86_400, "At most 24 hours")
    .nullable(),
  holdMusic: z.string().trim().min(1).max(500, "At most 500 characters").nullable(),
  announceEverySeconds: z
    .number()
    .int("Use whole seconds")
    .min(10, "At least 10 seconds")
    .max(3600, "At most an hour")
    .nullable(),
  /** Service level threshold; omitted: the stored value (20 s for a new queue). */
  serviceLevelSeconds: z
    .number({ error: "Enter a number" })
    .int("Use whole seconds")
    .min(1, "At least 1 second")
    .max(3600, "At most an hour")
    .optional(),
  /** Where the queue's day starts (today's counts on the wall-board); omitted: the stored one (UTC for a new queue). */
  timeZone: z
    .string()
    .trim()
    .min(1, "Enter a time zone")
    .max(100)
    .refine(isTimeZone, "Not a time zone (use a name like Europe/Berlin)")
    .optional(),
});

/** A new queue: its settings and its id (the name flows and Redis know it by; fixed once created). */
export const queueCreateSchema = queueFieldsSchema.extend({ id: resourceIdSchema });

export type QueueFields = z.infer<typeof queueFieldsSchema>;

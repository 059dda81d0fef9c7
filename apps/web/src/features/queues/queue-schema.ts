import { resourceIdSchema } from "@ringflow/core/flow";
import { z } from "zod";
import { nameSchema } from "@/lib/schema-helpers";

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
});

/** A new queue: its settings and its id (the name flows and Redis know it by; fixed once created). */
export const queueCreateSchema = queueFieldsSchema.extend({ id: resourceIdSchema });

export type QueueFields = z.infer<typeof queueFieldsSchema>;

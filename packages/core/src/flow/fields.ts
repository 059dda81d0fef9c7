import { z } from "zod";

/**
 * Field schemas several node types share. Each carries its own description
 * and unit so the editor's generated forms read the same everywhere.
 */

/** A node's optional display name on the canvas. */
export const nodeLabelSchema = z
  .string()
  .trim()
  .max(80)
  .optional()
  .describe("Name shown on the canvas (optional)");

/**
 * The id of a queue or an agent group: what the wall-board shows and what
 * Redis keys are built from, so it is kept to a safe alphabet.
 */
export const resourceIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    "Use 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit",
  );

/** A FreeSWITCH dial string for one destination, e.g. `user/1001` or `sofia/gateway/gw1/5551234`. */
export const dialStringSchema = z
  .string()
  .trim()
  .min(1, "Enter a dial string, e.g. user/1001")
  .max(200)
  .refine((s) => !/[,|]/.test(s), "One destination per entry: ',' and '|' are not allowed")
  .describe("FreeSWITCH dial string, e.g. user/1001 or sofia/gateway/gw1/5551234");

/** Whole seconds, as admins enter durations. */
export function secondsSchema(min: number, max: number) {
  return z.number().int("Use whole seconds").min(min).max(max);
}

/** Channel variables for originated legs: FreeSWITCH variable names to values. */
export const channelVariablesSchema = z
  .record(
    z
      .string()
      .regex(
        /^[A-Za-z_][A-Za-z0-9_]*$/,
        "Variable names use letters, digits and '_', not starting with a digit",
      ),
    z.string().max(500),
  )
  .default({})
  .describe("Channel variables set on each agent leg, e.g. origination_caller_id_name");

import { z } from "zod";
import { nodeLabelSchema, secondsSchema } from "../fields.js";
import { defineNodeType } from "../node-type.js";
import { promptSchema } from "../prompt.js";

const menuOptionSchema = z.object({
  digit: z
    .string()
    .regex(/^[0-9*#]$/, "One key: 0-9, * or #")
    .describe("The key the caller presses"),
  label: z.string().trim().max(40).optional().describe("What the key is for, e.g. Sales"),
});

/** Config of a `menu` node. */
export const menuDataSchema = z.object({
  label: nodeLabelSchema,
  prompt: promptSchema.describe("Played before each try, e.g. 'For sales press 1'"),
  options: z
    .array(menuOptionSchema)
    .min(1, "Add at least one key")
    .max(12)
    .superRefine((options, ctx) => {
      options.forEach((o, i) => {
        if (options.findIndex((p) => p.digit === o.digit) !== i) {
          ctx.addIssue({
            code: "custom",
            path: [i, "digit"],
            message: `Key ${o.digit} is used twice`,
          });
        }
      });
    })
    .describe("The keys the caller may press; each gets its own output"),
  retries: z
    .number()
    .int()
    .min(0)
    .max(5)
    .default(2)
    .describe("How many more times the prompt is played after no key or a wrong key"),
  timeoutSeconds: secondsSchema(1, 60)
    .default(5)
    .describe("How long to wait for a key after the prompt, in seconds"),
  invalidPrompt: promptSchema.optional().describe("Played after a key that is not on the menu"),
});

/** A parsed `menu` node config. */
export type MenuData = z.output<typeof menuDataSchema>;

/**
 * Asks the caller to press a key. One output per configured key (its id is
 * the key itself: `1`, `*`, `#`), plus `timeout` and `invalid` when the last
 * try ends with no key or a key not on the menu. Keys are single presses;
 * when `#` is an option it must not double as the entry terminator.
 */
export const menuNodeType = defineNodeType({
  type: "menu",
  label: "Menu",
  description: "Asks the caller to press a key and branches on it.",
  icon: "grid-3x3",
  category: "caller",
  dataSchema: menuDataSchema,
  defaultData: {
    prompt: { kind: "speech", text: "For sales, press 1. For support, press 2." },
    options: [
      { digit: "1", label: "Sales" },
      { digit: "2", label: "Support" },
    ],
  },
  outputs: (data) => [
    ...data.options.map((o) => ({
      id: o.digit,
      label: o.label ? `${o.digit}: ${o.label}` : o.digit,
      description: `The caller pressed ${o.digit}`,
    })),
    { id: "timeout", label: "Timeout", description: "No key pressed, after every retry" },
    { id: "invalid", label: "Invalid", description: "A key not on the menu, on the last try" },
  ],
  terminal: false,
  waits: true,
  acceptsInput: true,
});

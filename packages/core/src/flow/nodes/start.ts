import { z } from "zod";
import { nodeLabelSchema } from "../fields.js";
import { defineNodeType } from "../node-type.js";

/** A number callers dial to reach a flow: digits with `*` / `#`, or `+` and digits. */
export const dialledNumberSchema = z
  .string()
  .regex(
    /^(\+[0-9]{1,31}|[0-9*#]{1,32})$/,
    "A number is digits (with '*' or '#'), or '+' and digits, without spaces",
  )
  .describe("A number dialled to reach this flow, e.g. 7000 or +442079460000");

/** Config of a `start` node: the numbers whose calls run this flow. */
export const startDataSchema = z.object({
  label: nodeLabelSchema,
  numbers: z
    .array(dialledNumberSchema)
    .max(100)
    .default([])
    .superRefine((numbers, ctx) => {
      numbers.forEach((n, i) => {
        if (numbers.indexOf(n) !== i) {
          ctx.addIssue({ code: "custom", path: [i], message: `${n} is listed twice` });
        }
      });
    })
    .describe("Destination numbers routed to this flow"),
});

/** A parsed `start` node config. */
export type StartData = z.output<typeof startDataSchema>;

/** Where every call enters the flow. Exactly one per flow. */
export const startNodeType = defineNodeType({
  type: "start",
  label: "Start",
  description: "Where calls to this flow's numbers enter.",
  dataSchema: startDataSchema,
  defaultData: { numbers: [] },
  outputs: () => [{ id: "next", label: "Next", description: "Every call, on arrival" }],
  terminal: false,
  waits: false,
  acceptsInput: false,
  maxPerFlow: 1,
});

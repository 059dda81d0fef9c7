import { z } from "zod";
import { dialStringSchema, nodeLabelSchema, secondsSchema } from "../fields.js";
import { defineNodeType } from "../node-type.js";

/** Config of a `bridge` node. */
export const bridgeDataSchema = z.object({
  label: nodeLabelSchema,
  to: z
    .discriminatedUnion("kind", [
      z.object({ kind: z.literal("answeredLeg") }),
      z.object({
        kind: z.literal("dial"),
        dialString: dialStringSchema,
        timeoutSeconds: secondsSchema(1, 600)
          .default(30)
          .describe("How long the far end may ring, in seconds"),
      }),
    ])
    .default({ kind: "answeredLeg" })
    .describe("Whom to connect: the agent a ring group just reached, or a number to dial"),
});

/** A parsed `bridge` node config. */
export type BridgeData = z.output<typeof bridgeDataSchema>;

/** Connects the caller to the leg a ring group answered, or dials a fixed destination. */
export const bridgeNodeType = defineNodeType({
  type: "bridge",
  label: "Connect",
  description: "Connects the caller to the agent a ring group reached, or to a dialled number.",
  icon: "phone-forwarded",
  category: "agents",
  dataSchema: bridgeDataSchema,
  defaultData: { to: { kind: "answeredLeg" } },
  outputs: () => [
    { id: "completed", label: "Completed", description: "The conversation took place and ended" },
    { id: "failed", label: "Failed", description: "No connection was made" },
  ],
  terminal: false,
  waits: false,
  acceptsInput: true,
});

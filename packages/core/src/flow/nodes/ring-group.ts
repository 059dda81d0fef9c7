import { z } from "zod";
import {
  channelVariablesSchema,
  dialStringSchema,
  nodeLabelSchema,
  resourceIdSchema,
  secondsSchema,
} from "../fields.js";
import { defineNodeType } from "../node-type.js";

/** How a ring group node rings its destinations: the `RingGroup` modes. */
export const ringGroupNodeModes = ["parallel", "sequential", "balancing"] as const;

/** One of {@link ringGroupNodeModes}. */
export type RingGroupNodeMode = (typeof ringGroupNodeModes)[number];

const targetsSchema = z
  .discriminatedUnion("kind", [
    z.object({
      kind: z.literal("destinations"),
      destinations: z
        .array(dialStringSchema)
        .min(1, "Add at least one destination")
        .max(100)
        .superRefine((list, ctx) => {
          list.forEach((d, i) => {
            if (list.indexOf(d) !== i) {
              ctx.addIssue({ code: "custom", path: [i], message: `${d} is listed twice` });
            }
          });
        })
        .describe("Dial strings to ring, in order for sequential mode"),
    }),
    z.object({
      kind: z.literal("agentGroup"),
      agentGroupId: resourceIdSchema.describe("Rings the agents of this group who are logged in"),
    }),
  ])
  .describe("Whom to ring: fixed destinations, or the logged-in agents of a group");

/** Config of a `ringGroup` node. */
export const ringGroupDataSchema = z.object({
  label: nodeLabelSchema,
  targets: targetsSchema,
  mode: z
    .enum(ringGroupNodeModes)
    .default("parallel")
    .describe(
      "parallel: all at once; sequential: one after another in order; balancing: one after another, least busy first",
    ),
  legTimeoutSeconds: secondsSchema(1, 600)
    .default(20)
    .describe("How long each destination rings, in seconds"),
  totalTimeoutSeconds: secondsSchema(1, 3600)
    .nullable()
    .default(60)
    .describe("Longest time the whole group rings, in seconds; empty: until every leg gave up"),
  variables: channelVariablesSchema,
});

/** A parsed `ringGroup` node config. */
export type RingGroupData = z.output<typeof ringGroupDataSchema>;

/**
 * Rings agents. On `answered` the answering leg waits, unbridged, for the
 * next `bridge` node of the "answered leg" kind.
 */
export const ringGroupNodeType = defineNodeType({
  type: "ringGroup",
  label: "Ring group",
  description: "Rings several agents at once or in turn; the first to answer is kept.",
  icon: "bell-ring",
  category: "agents",
  dataSchema: ringGroupDataSchema,
  defaultData: { targets: { kind: "destinations", destinations: [] }, mode: "parallel" },
  outputs: () => [
    { id: "answered", label: "Answered", description: "An agent answered; bridge to them next" },
    { id: "noAnswer", label: "No answer", description: "Nobody answered in time" },
  ],
  terminal: false,
  waits: false,
  acceptsInput: true,
});

import { z } from "zod";
import { nodeLabelSchema } from "../fields.js";
import { defineNodeType } from "../node-type.js";
import { promptSchema } from "../prompt.js";

/** Config of an `announce` node. */
export const announceDataSchema = z.object({
  label: nodeLabelSchema,
  message: promptSchema,
});

/** A parsed `announce` node config. */
export type AnnounceData = z.output<typeof announceDataSchema>;

/** Plays a sound file or speaks a text, then carries on. */
export const announceNodeType = defineNodeType({
  type: "announce",
  label: "Announcement",
  description: "Plays a sound file or speaks a text, with {placeholders} filled in.",
  icon: "megaphone",
  category: "caller",
  dataSchema: announceDataSchema,
  defaultData: { message: { kind: "speech", text: "Thank you for calling." } },
  outputs: () => [{ id: "next", label: "Next", description: "After the message has played" }],
  terminal: false,
  waits: true,
  acceptsInput: true,
});

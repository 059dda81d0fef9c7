import { z } from "zod";
import { nodeLabelSchema } from "../fields.js";
import { defineNodeType } from "../node-type.js";

/** Config of a `voicemail` node. */
export const voicemailDataSchema = z.object({
  label: nodeLabelSchema,
  mailbox: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, "Use letters, digits, '.', '_' or '-'")
    .describe("Mailbox that receives the message, e.g. 7000"),
  profile: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/)
    .default("default")
    .describe("FreeSWITCH voicemail profile"),
  domain: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,253}$/)
    .optional()
    .describe("Directory domain of the mailbox (the switch's default domain when empty)"),
});

/** A parsed `voicemail` node config. */
export type VoicemailData = z.output<typeof voicemailDataSchema>;

/** Lets the caller leave a message; the call ends afterwards. */
export const voicemailNodeType = defineNodeType({
  type: "voicemail",
  label: "Voicemail",
  description: "Lets the caller leave a message, then ends the call.",
  icon: "voicemail",
  category: "end",
  dataSchema: voicemailDataSchema,
  defaultData: { mailbox: "" },
  outputs: () => [],
  terminal: true,
  waits: true,
  acceptsInput: true,
});

import { dialStringSchema } from "@ringflow/core/flow";
import { z } from "zod";
import { nameSchema } from "@/lib/schema-helpers";

/** Configured statuses (the database's): whether an agent is rung at all. */
export const agentStatuses = ["available", "onBreak", "loggedOut"] as const;

/** How each configured status reads. */
export const agentStatusLabels: Record<(typeof agentStatuses)[number], string> = {
  available: "Available",
  onBreak: "On break",
  loggedOut: "Logged out",
};

/** What an admin edits about an agent; the form and the API share it. */
export const agentFieldsSchema = z.object({
  name: nameSchema,
  contact: dialStringSchema,
  status: z.enum(agentStatuses),
  wrapUpSeconds: z
    .number({ error: "Enter a number" })
    .int("Use whole seconds")
    .min(0, "0 or more")
    .max(3600, "At most an hour"),
  maxNoAnswer: z
    .number({ error: "Enter a number" })
    .int("Use a whole number")
    .min(1, "At least 1")
    .max(100, "At most 100"),
});

export type AgentFields = z.infer<typeof agentFieldsSchema>;

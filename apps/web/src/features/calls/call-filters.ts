import { RECORD_OUTCOMES } from "@ringflow/core";
import { z } from "zod";

/** Outcomes a call can be filtered by: the final ones, and calls still running. */
export const callOutcomeFilters = [...RECORD_OUTCOMES, "inProgress"] as const;

/** How each outcome reads. */
export const outcomeLabels: Record<(typeof callOutcomeFilters)[number], string> = {
  answered: "Answered",
  abandoned: "Abandoned",
  timeout: "Timed out",
  voicemail: "Voicemail",
  noAnswer: "No answer",
  failed: "Failed",
  callback: "Callback requested",
  workerLost: "Worker lost",
  inProgress: "In progress",
};

/** The filters of call history; every one optional. */
export const callFiltersSchema = z
  .object({
    since: z.date().optional(),
    until: z.date().optional(),
    queueId: z.string().trim().min(1).max(64).optional(),
    outcome: z.enum(callOutcomeFilters).optional(),
    number: z
      .string()
      .trim()
      .min(1)
      .max(40)
      .regex(/^[0-9+*#]+$/, "Digits, '+', '*' or '#' only")
      .optional(),
    agentContact: z.string().trim().min(1).max(200).optional(),
  })
  .refine((f) => !f.since || !f.until || f.since < f.until, {
    path: ["until"],
    message: "The end must be after the start",
  });

export type CallFilters = z.infer<typeof callFiltersSchema>;

import { z } from "zod";
import { nodeLabelSchema, resourceIdSchema, secondsSchema } from "../fields.js";
import { defineNodeType, type FlowOutput } from "../node-type.js";
import { promptSchema } from "../prompt.js";

const priorityLevelSchema = z.number().int("Use a whole number").min(0).max(100);

/** Config of a `queue` node. */
export const queueDataSchema = z
  .object({
    label: nodeLabelSchema,
    queueId: resourceIdSchema.describe(
      "The queue to wait in; nodes and flows naming the same id share one line",
    ),
    maxConcurrent: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(1)
      .describe("How many calls may hold a slot of this queue at once"),
    timeoutSeconds: secondsSchema(1, 86_400)
      .nullable()
      .default(300)
      .describe(
        "Longest stay in this queue, in seconds, counted from first joining (a call sent back here after ringing keeps its clock); empty waits without limit",
      ),
    priority: priorityLevelSchema
      .default(5)
      .describe("Priority of callers in this line; lower is served first (0 = first)"),
    vipNumbers: z
      .array(
        z
          .string()
          .regex(
            /^\+?[0-9]{1,32}\*?$/,
            "Digits, optionally starting with '+'; end with '*' to match every number starting so",
          ),
      )
      .max(1000)
      .default([])
      .describe("Caller numbers served at the VIP priority; '+4420*' matches a whole range"),
    vipPriority: priorityLevelSchema
      .default(0)
      .describe("Priority of callers whose number is in the VIP list; lower is served first"),
    holdMusic: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .default("local_stream://moh")
      .describe("Played while waiting: a sound file or a stream such as local_stream://moh"),
    announcement: promptSchema
      .default({
        kind: "speech",
        text: "You are number {position} in line. Your estimated wait is {ewt}.",
      })
      .describe("Played while waiting, with {position} and {ewt}"),
    announceEverySeconds: secondsSchema(10, 3600)
      .nullable()
      .default(60)
      .describe("Seconds between announcements while waiting; empty never announces"),
    announceOnlyWhenChanged: z
      .boolean()
      .default(true)
      .describe(
        "Skip an announcement that would say the same as the last one (same position and estimate)",
      ),
    maxWaiting: z
      .number()
      .int()
      .min(0)
      .max(10_000)
      .nullable()
      .default(null)
      .describe("Callers allowed in line at once; more leave by 'full'. Empty: no limit"),
    leaveWhenNoAgents: z
      .boolean()
      .default(false)
      .describe("Leave by 'noAgents' when nobody of the agent group is logged in"),
    agentGroupId: resourceIdSchema
      .optional()
      .describe("The agent group whose log-ins count for 'leave when no agents'"),
    callbackOfferSeconds: secondsSchema(0, 86_400)
      .nullable()
      .default(null)
      .describe(
        "Offer a callback, keeping the caller's place in line, once their estimated wait is over this many seconds; empty never offers",
      ),
    callbackPrompt: promptSchema
      .default({
        kind: "speech",
        text: "Your estimated wait is {ewt}. To be called back instead, keeping your place in line, press 1. To keep waiting, press 2.",
      })
      .describe("The offer, with {position} and {ewt}; 1 accepts"),
    callbackConfirmPrompt: promptSchema
      .default({
        kind: "speech",
        text: "We will call you back at {callback_number}. Press 1 to confirm, or key another number followed by the hash key.",
      })
      .describe(
        "Asks to confirm the number, with {callback_number}; another number may be keyed instead",
      ),
    callbackMaxAttempts: z
      .number()
      .int()
      .min(1)
      .max(10)
      .default(3)
      .describe("Calls to the customer before the callback counts as failed"),
    callbackRetrySeconds: secondsSchema(10, 86_400)
      .default(120)
      .describe(
        "Seconds to wait after an unanswered callback before the next try; doubles each time",
      ),
  })
  .refine((d) => !d.leaveWhenNoAgents || d.agentGroupId !== undefined, {
    path: ["agentGroupId"],
    message: "Choose the agent group whose log-ins are checked",
  });

/** A parsed `queue` node config. */
export type QueueData = z.output<typeof queueDataSchema>;

/**
 * Waits in a queue's line until a slot is free, hearing hold music and, every
 * `announceEverySeconds`, its position and estimated wait (only when they
 * changed since the last announcement, unless `announceOnlyWhenChanged` is
 * off). The slot is held
 * through the nodes after `acquired` (see the module docs for its scope).
 * `full` is taken on arrival when `maxWaiting` callers already wait;
 * `noAgents`, on arrival or while waiting, once nobody of `agentGroupId` is
 * logged in. With `callbackOfferSeconds`, a caller whose estimate exceeds it
 * is offered a callback at the next announcement; one who accepts (and
 * confirms or keys a number) leaves by `callback` once the runtime's
 * `callbacks` port (`FlowRuntime`) has stored the request, which keeps their
 * place in line from then on.
 */
export const queueNodeType = defineNodeType({
  type: "queue",
  label: "Queue",
  description: "Waits in line, with hold music and announcements, until a slot is free.",
  icon: "list-ordered",
  category: "agents",
  dataSchema: queueDataSchema,
  defaultData: { queueId: "" },
  outputs: (data) => {
    const outputs: FlowOutput[] = [
      { id: "acquired", label: "Acquired", description: "The caller holds a slot" },
    ];
    if (data.timeoutSeconds !== null) {
      outputs.push({ id: "timeout", label: "Timeout", description: "Waited the longest allowed" });
    }
    if (data.maxWaiting !== null) {
      outputs.push({ id: "full", label: "Full", description: "The line was at its limit" });
    }
    if (data.leaveWhenNoAgents) {
      outputs.push({ id: "noAgents", label: "No agents", description: "Nobody is logged in" });
    }
    if (data.callbackOfferSeconds !== null) {
      outputs.push({
        id: "callback",
        label: "Callback",
        description: "The caller took a callback; the request keeps their place",
      });
    }
    return outputs;
  },
  terminal: false,
  waits: true,
  acceptsInput: true,
});

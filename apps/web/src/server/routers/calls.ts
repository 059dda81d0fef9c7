import { RECORD_OUTCOMES } from "@ringflow/core";
import { z } from "zod";
import { callFiltersSchema } from "@/features/calls/call-filters";
import { cursorSchema, pageOf } from "@/lib/schema-helpers";
import { authedProcedure, createTRPCRouter } from "../trpc/init";

/** One call as the worker recorded it. */
export const callRecordSchema = z.object({
  callUuid: z.string(),
  flowId: z.string().nullable(),
  flowVersionId: z.string().nullable(),
  flowVersion: z.number().int().nullable(),
  numberDialled: z.string(),
  callerNumber: z.string(),
  callerName: z.string().nullable(),
  queueId: z.string().nullable(),
  startedAt: z.date(),
  enqueuedAt: z.date().nullable(),
  acquiredAt: z.date().nullable(),
  answeredAt: z.date().nullable(),
  endedAt: z.date().nullable(),
  waitMs: z.number().int().nullable(),
  /** The wait the caller was estimated on first joining the queue (null: served at once, or none could be told). */
  estimatedWaitMs: z.number().int().nullable(),
  outcome: z.enum(RECORD_OUTCOMES).nullable(),
  agentContact: z.string().nullable(),
  hangupCause: z.string().nullable(),
  workerId: z.string(),
});

const traceStepSchema = z.object({
  seq: z.number().int(),
  at: z.date(),
  kind: z.string(),
  nodeId: z.string().nullable(),
  data: z.unknown(),
});

/** Call history: what the workers recorded, with each call's trace. */
export const callsRouter = createTRPCRouter({
  list: authedProcedure
    .input(
      z.object({
        filters: callFiltersSchema.default({}),
        cursor: cursorSchema,
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .output(pageOf(callRecordSchema))
    .query(({ ctx, input }) =>
      ctx.services.db.calls.page({ ...input.filters, cursor: input.cursor, limit: input.limit }),
    ),

  get: authedProcedure
    .input(z.object({ callUuid: z.string() }))
    .output(
      z
        .object({
          record: callRecordSchema,
          steps: z.array(traceStepSchema),
          droppedSteps: z.number().int(),
        })
        .nullable(),
    )
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const [record, trace] = await Promise.all([
        db.calls.get(input.callUuid),
        db.calls.getTrace(input.callUuid),
      ]);
      if (!record) return null;
      return {
        record,
        steps: trace?.steps ?? [],
        droppedSteps: trace?.droppedSteps ?? 0,
      };
    }),

  /** The values the filters offer: queues and agents seen in the records. */
  filterOptions: authedProcedure
    .output(z.object({ queueIds: z.array(z.string()), agentContacts: z.array(z.string()) }))
    .query(async ({ ctx }) => {
      const { db } = ctx.services;
      const [queueIds, agentContacts] = await Promise.all([
        db.calls.listQueueIds(),
        db.calls.listAgentContacts(),
      ]);
      return { queueIds, agentContacts };
    }),
});

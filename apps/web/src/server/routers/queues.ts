import { countQueues, type LiveQueue, queueCountsSchema } from "@ringflow/core/live";
import type { QueueConfig } from "@ringflow/db";
import { startOfLocalDay } from "@ringflow/db";
import { z } from "zod";
import { queueCreateSchema, queueFieldsSchema } from "@/features/queues/queue-schema";
import { okSchema, revisionSchema } from "@/lib/schema-helpers";
import type { LiveServices } from "../live/live-services";
import { adminProcedure, authedProcedure, boardProcedure, createTRPCRouter } from "../trpc/init";
import { boardInput } from "./wallboard-live";

/** A queue's settings as the API shows them (durations in seconds, null = none). */
export const queueSchema = queueFieldsSchema.extend({
  id: z.string(),
  serviceLevelSeconds: z.number().int(),
  timeZone: z.string(),
  revision: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

const toSeconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 1000));
const toMs = (seconds: number | null) => (seconds === null ? null : seconds * 1000);

function toApi(queue: QueueConfig & { revision: number }): z.infer<typeof queueSchema> {
  return {
    id: queue.id,
    name: queue.name,
    maxConcurrent: queue.maxConcurrent,
    maxWaiting: queue.maxWaiting,
    timeoutSeconds: toSeconds(queue.timeoutMs),
    holdMusic: queue.holdMusic,
    announceEverySeconds: toSeconds(queue.announcementIntervalMs),
    serviceLevelSeconds: queue.serviceLevelSeconds,
    timeZone: queue.timeZone,
    revision: queue.revision,
    createdAt: queue.createdAt,
    updatedAt: queue.updatedAt,
  };
}

function toDb(fields: z.infer<typeof queueFieldsSchema>) {
  const { timeoutSeconds, announceEverySeconds, ...rest } = fields;
  return {
    ...rest,
    timeoutMs: toMs(timeoutSeconds),
    announcementIntervalMs: toMs(announceEverySeconds),
  };
}

/** The live queues now, or null when the workers' live state cannot be read. */
async function liveQueues(live: LiveServices): Promise<readonly LiveQueue[] | null> {
  try {
    return (await (await live.feed()).snapshot()).queues;
  } catch (error) {
    console.warn("[ringflow-web] the live state could not be read for the counts:", error);
    return null;
  }
}

/** Queues: the lines calls wait in, with their concurrency limit. */
export const queuesRouter = createTRPCRouter({
  list: authedProcedure
    .output(z.array(queueSchema))
    .query(async ({ ctx }) => (await ctx.services.db.queues.list()).map(toApi)),

  get: authedProcedure
    .input(z.object({ id: z.string() }))
    .output(queueSchema.nullable())
    .query(async ({ ctx, input }) => {
      const queue = await ctx.services.db.queues.get(input.id);
      return queue ? toApi(queue) : null;
    }),

  /**
   * Counts per state for every queue, in one call: waiting and in slot
   * (live, `null` when the workers' live state cannot be read), and today's
   * completed, abandoned and timed out, callbacks pending and failed (from
   * the database, one query per table). Readable by a TV link, as the
   * wall-board is.
   */
  counts: boardProcedure
    .input(boardInput)
    .output(z.object({ live: z.boolean(), queues: z.array(queueCountsSchema) }))
    .query(async ({ ctx }) => {
      const now = new Date();
      const [live, stored] = await Promise.all([
        liveQueues(ctx.services.live),
        ctx.services.db.queueStats.counts({ now }),
      ]);
      return {
        live: live !== null,
        queues: countQueues({ live, stored, utcDayStartedAt: startOfLocalDay("UTC", now) }),
      };
    }),

  create: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "id" } })
    .input(queueCreateSchema)
    .output(queueSchema)
    .mutation(async ({ ctx, input }) =>
      toApi(await ctx.services.db.queues.create({ id: input.id, ...toDb(input) })),
    ),

  update: adminProcedure
    .input(queueFieldsSchema.extend({ id: z.string(), expectedRevision: revisionSchema }))
    .output(queueSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, expectedRevision, ...fields } = input;
      return toApi(await ctx.services.db.queues.update({ id, expectedRevision, ...toDb(fields) }));
    }),

  delete: adminProcedure
    .input(z.object({ id: z.string(), expectedRevision: revisionSchema.optional() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.queues.delete(input.id, { expectedRevision: input.expectedRevision });
      return { ok: true as const };
    }),
});

import { countQueues, type LiveQueue, queueCountsSchema } from "@ringflow/core/live";
import type { QueueConfig } from "@ringflow/db";
import { startOfLocalDay } from "@ringflow/db";
import { z } from "zod";
import { queueCreateSchema, queueFieldsSchema } from "@/features/queues/queue-schema";
import { okSchema, revisionSchema } from "@/lib/schema-helpers";
import type { LiveServices } from "../live/live-services";
import { deliverCommand } from "../live/set-agent-status";
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

/**
 * Tells the running workers of a queue's saved limit (the database holds it
 * either way: a worker started later reads it). Workers that cannot be told
 * keep their limit until they restart; the save still succeeds.
 */
async function tellLimit(live: LiveServices, queue: QueueConfig): Promise<void> {
  await deliverCommand(live, {
    type: "setQueueLimit",
    queueId: queue.id,
    maxConcurrent: queue.maxConcurrent,
  });
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

  /** Creates a queue; running workers take its Max concurrent as the queue's limit at once. */
  create: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "id" } })
    .input(queueCreateSchema)
    .output(queueSchema)
    .mutation(async ({ ctx, input }) => {
      const created = await ctx.services.db.queues.create({ id: input.id, ...toDb(input) });
      await tellLimit(ctx.services.live, created);
      return toApi(created);
    }),

  /**
   * Saves a queue's settings; a changed Max concurrent reaches the running
   * workers at once (a `setQueueLimit` live command, the path a pause
   * takes): a raised limit lets waiting callers in, in order.
   */
  update: adminProcedure
    .input(queueFieldsSchema.extend({ id: z.string(), expectedRevision: revisionSchema }))
    .output(queueSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, expectedRevision, ...fields } = input;
      const before = await ctx.services.db.queues.get(id);
      const saved = await ctx.services.db.queues.update({ id, expectedRevision, ...toDb(fields) });
      if (before?.maxConcurrent !== saved.maxConcurrent) await tellLimit(ctx.services.live, saved);
      return toApi(saved);
    }),

  delete: adminProcedure
    .input(z.object({ id: z.string(), expectedRevision: revisionSchema.optional() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.queues.delete(input.id, { expectedRevision: input.expectedRevision });
      return { ok: true as const };
    }),
});

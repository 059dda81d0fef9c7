import { z } from "zod";
import { boardProcedure, createTRPCRouter } from "../trpc/init";
import { boardInput, wallboardLiveProcedures } from "./wallboard-live";
import { wallboardTokensRouter } from "./wallboard-tokens";

/** A queue's settings and today's figures, from its configuration and call records. */
export const queueFiguresSchema = z.object({
  queueId: z.string(),
  name: z.string(),
  maxConcurrent: z.number().int(),
  maxWaiting: z.number().int().nullable(),
  serviceLevelSeconds: z.number().int(),
  timeZone: z.string(),
  dayStartedAt: z.date(),
  answered: z.number().int(),
  abandoned: z.number().int(),
  timedOut: z.number().int(),
  answeredWithinServiceLevel: z.number().int(),
  serviceLevel: z.number().nullable(),
  averageWaitMs: z.number().nullable(),
  longestAnsweredWaitMs: z.number().nullable(),
});

const historyPointSchema = z.object({
  at: z.date(),
  peakWaiting: z.number().int(),
  answered: z.number().int(),
  abandoned: z.number().int(),
  timedOut: z.number().int(),
  serviceLevel: z.number().nullable(),
});

/** The history charts' bucket width. */
const HISTORY_BUCKET_MS = 10 * 60_000;

/** The wall-board: today's figures, recent history, the live stream, and TV links. */
export const wallboardRouter = createTRPCRouter({
  figures: boardProcedure
    .input(boardInput)
    .output(z.array(queueFiguresSchema))
    .query(async ({ ctx }) => {
      const { db } = ctx.services;
      const [queues, today] = await Promise.all([
        db.queues.list(),
        db.queueStats.today({ now: new Date() }),
      ]);
      const byId = new Map(today.map((stats) => [stats.queueId, stats]));
      return queues.flatMap((queue) => {
        const stats = byId.get(queue.id);
        if (!stats) return [];
        return [
          {
            ...stats,
            name: queue.name,
            maxConcurrent: queue.maxConcurrent,
            maxWaiting: queue.maxWaiting,
            timeZone: queue.timeZone,
          },
        ];
      });
    }),

  history: boardProcedure
    .input(boardInput.extend({ hours: z.number().int().min(1).max(24).default(4) }))
    .output(z.array(z.object({ queueId: z.string(), points: z.array(historyPointSchema) })))
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      // Whole buckets, so the chart's ticks stay put as time passes.
      const until = new Date(Math.ceil(Date.now() / HISTORY_BUCKET_MS) * HISTORY_BUCKET_MS);
      const since = new Date(until.getTime() - input.hours * 3_600_000);
      const queues = await db.queues.list();
      return Promise.all(
        queues.map(async (queue) => ({
          queueId: queue.id,
          points: await db.queueStats.history({
            queueId: queue.id,
            since,
            until,
            bucketMs: HISTORY_BUCKET_MS,
          }),
        })),
      );
    }),

  ...wallboardLiveProcedures,

  tokens: wallboardTokensRouter,
});

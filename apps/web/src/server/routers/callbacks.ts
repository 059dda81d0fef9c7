import { CALLBACK_STATUSES, type CallbackRequest } from "@ringflow/db";
import { z } from "zod";
import { authedProcedure, createTRPCRouter } from "../trpc/init";

/** How far back the ended requests reach. */
export const ENDED_WINDOW_MS = 24 * 60 * 60 * 1000;
/** The most ended requests one read returns. */
const ENDED_LIMIT = 200;

/** A callback request as supervisors see it. */
export const callbackRequestSchema = z.object({
  id: z.string(),
  queueId: z.string(),
  number: z.string(),
  callerName: z.string().nullable(),
  requestedAt: z.date(),
  priority: z.number().int(),
  status: z.enum(CALLBACK_STATUSES),
  attempts: z.number().int(),
  maxAttempts: z.number().int(),
  nextAttemptAt: z.date(),
  lastResult: z.string().nullable(),
  /** The worker holding it (in the queue's line, or dialling), while one does. */
  workerId: z.string().nullable(),
  /** True while its worker rings an agent or the customer. */
  dialling: z.boolean(),
  /** The call that asked for it. */
  callUuid: z.string().nullable(),
  updatedAt: z.date(),
});

function toApi(request: CallbackRequest): z.infer<typeof callbackRequestSchema> {
  return {
    id: request.id,
    queueId: request.queueId,
    number: request.number,
    callerName: request.callerName,
    requestedAt: request.requestedAt,
    priority: request.priority,
    status: request.status,
    attempts: request.attempts,
    maxAttempts: request.maxAttempts,
    nextAttemptAt: request.nextAttemptAt,
    lastResult: request.lastResult,
    workerId: request.leaseOwner,
    dialling: request.status === "dialling" && request.dialStartedAt !== null,
    callUuid: request.callUuid,
    updatedAt: request.updatedAt,
  };
}

/**
 * Callback requests: the callers who asked to be called back, still waiting
 * their turn (or being dialled), and those that ended in the last day.
 * Staff read them and may cancel an open one.
 */
export const callbacksRouter = createTRPCRouter({
  list: authedProcedure
    .input(
      z.object({
        view: z.enum(["open", "ended"]),
        queueId: z.string().min(1).max(200).optional(),
      }),
    )
    .output(z.array(callbackRequestSchema))
    .query(async ({ ctx, input }) => {
      const { callbacks } = ctx.services.db;
      const requests =
        input.view === "open"
          ? await callbacks.listOpen(input.queueId ? { queueId: input.queueId } : {})
          : await callbacks.listEnded({
              since: new Date(Date.now() - ENDED_WINDOW_MS),
              limit: ENDED_LIMIT,
              ...(input.queueId ? { queueId: input.queueId } : {}),
            });
      return requests.map(toApi);
    }),

  /**
   * Cancels an open request: it is not dialled (again). One being dialled
   * now is hung up by its worker at its next lease renewal, within a third
   * of `CALLBACK_LEASE_MS`; an ended one is left as it is.
   */
  cancel: authedProcedure
    .input(z.object({ id: z.string().min(1).max(200) }))
    .output(callbackRequestSchema)
    .mutation(async ({ ctx, input }) => toApi(await ctx.services.db.callbacks.cancel(input.id))),
});

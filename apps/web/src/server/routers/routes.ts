import { dialledNumberSchema } from "@ringflow/core/flow";
import { z } from "zod";
import { okSchema, revisionSchema } from "@/lib/schema-helpers";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../trpc/init";

/** A routed number: calls to it run its flow's live version. */
export const routeSchema = z.object({
  number: z.string(),
  flowId: z.string(),
  flowName: z.string(),
  revision: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** Number routes: which flow each dialled number runs. */
export const routesRouter = createTRPCRouter({
  list: authedProcedure
    .output(z.array(routeSchema))
    .query(({ ctx }) => ctx.services.db.routes.list()),

  create: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "number", NOT_FOUND: "flowId" } })
    .input(z.object({ number: dialledNumberSchema, flowId: z.string().min(1, "Choose a flow") }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.routes.create(input);
      return { ok: true as const };
    }),

  update: adminProcedure
    .meta({ fieldOf: { NOT_FOUND: "flowId" } })
    .input(
      z.object({
        number: z.string(),
        flowId: z.string().min(1, "Choose a flow"),
        expectedRevision: revisionSchema,
      }),
    )
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.routes.update(input);
      return { ok: true as const };
    }),

  delete: adminProcedure
    .input(z.object({ number: z.string(), expectedRevision: revisionSchema.optional() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.routes.remove(input.number, {
        expectedRevision: input.expectedRevision,
      });
      return { ok: true as const };
    }),
});

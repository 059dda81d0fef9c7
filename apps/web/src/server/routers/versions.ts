import { z } from "zod";
import { cursorSchema, pageOf } from "@/lib/schema-helpers";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../trpc/init";

/** A published version as listed. */
export const versionSummarySchema = z.object({
  id: z.string(),
  flowId: z.string(),
  version: z.number().int(),
  publishedBy: z.string(),
  publishedAt: z.date(),
  comment: z.string().nullable(),
});

/** Published versions of a flow, newest first. */
export const versionsRouter = createTRPCRouter({
  list: authedProcedure
    .input(
      z.object({
        flowId: z.string(),
        cursor: cursorSchema,
        limit: z.number().int().min(1).max(200).default(50),
      }),
    )
    .output(pageOf(versionSummarySchema))
    .query(({ ctx, input }) => ctx.services.db.versions.page(input)),

  /**
   * Publishes the flow's draft as its next version, live at once for its
   * numbers: refused (BAD_REQUEST, `data.problems`) when validation finds
   * errors. Announced to the workers by the database layer.
   */
  publish: adminProcedure
    .input(
      z.object({
        flowId: z.string(),
        comment: z.string().trim().min(1, "Say what changed").max(500, "At most 500 characters"),
      }),
    )
    .output(versionSummarySchema)
    .mutation(async ({ ctx, input }) => {
      const { graph: _graph, ...summary } = await ctx.services.db.versions.publish({
        flowId: input.flowId,
        comment: input.comment,
        publishedBy: ctx.user.email,
      });
      return summary;
    }),
});

import { flowDraftSchema } from "@ringflow/core/flow";
import { z } from "zod";
import { publishCommentSchema } from "@/features/editor/editor-schema";
import { adminProcedure, authedProcedure } from "../trpc/init";

const versionRefSchema = z.object({ flowId: z.string(), version: z.number().int().min(1) });

/**
 * The editor's procedures on published versions, merged into the versions
 * router: read one version's graph, roll back to one (publish it again as
 * the next version), and today's per-output counts of the live version.
 */
export const versionHistoryProcedures = {
  /** One version's graph, for the read-only view and the diff. */
  get: authedProcedure
    .input(versionRefSchema)
    .output(
      z.object({ id: z.string(), version: z.number().int(), graph: flowDraftSchema }).nullable(),
    )
    .query(async ({ ctx, input }) => {
      const found = await ctx.services.db.versions.get(input);
      return found
        ? { id: found.id, version: found.version, graph: flowDraftSchema.parse(found.graph) }
        : null;
    }),

  /**
   * Publishes version `version` again as the flow's next version, checked by
   * today's rules, in one transaction; the draft is left as it is.
   */
  rollback: adminProcedure
    .input(versionRefSchema.extend({ comment: publishCommentSchema }))
    .output(z.object({ id: z.string(), version: z.number().int() }))
    .mutation(async ({ ctx, input }) => {
      const published = await ctx.services.db.versions.publish({
        flowId: input.flowId,
        fromVersion: input.version,
        comment: input.comment,
        publishedBy: ctx.user.email,
      });
      return { id: published.id, version: published.version };
    }),

  /**
   * How many calls on the flow's live version, started since `since` (the
   * browser's midnight), left each node by each output.
   */
  outputCounts: authedProcedure
    .input(z.object({ flowId: z.string(), since: z.date() }))
    .output(
      z.object({
        version: z.number().int().nullable(),
        counts: z.array(
          z.object({ nodeId: z.string(), output: z.string(), count: z.number().int() }),
        ),
      }),
    )
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const live = (await db.versions.page({ flowId: input.flowId, limit: 1 })).items[0];
      if (!live) return { version: null, counts: [] };
      return {
        version: live.version,
        counts: await db.activity.outputCounts({ versionId: live.id, since: input.since }),
      };
    }),
};

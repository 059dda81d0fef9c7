import { assertPublishable, flowDraftSchema, parseFlowGraph } from "@ringflow/core/flow";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { importDraftInputSchema, saveDraftInputSchema } from "@/features/editor/editor-schema";
import { revisionSchema } from "@/lib/schema-helpers";
import { adminProcedure, authedProcedure } from "../trpc/init";

const savedSchema = z.object({ revision: revisionSchema });

/**
 * The editor's procedures on a flow's draft, merged into the flows router:
 * read it, save it (naming the revision it started from, CONFLICT if
 * someone saved since), and import a file into it.
 */
export const flowDraftProcedures = {
  /** The draft as the editor opens it, with its revision and the live version's number. */
  draft: authedProcedure
    .input(z.object({ id: z.string() }))
    .output(
      z
        .object({
          id: z.string(),
          name: z.string(),
          revision: revisionSchema,
          graph: flowDraftSchema,
          liveVersion: z.object({ id: z.string(), version: z.number().int() }).nullable(),
        })
        .nullable(),
    )
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const flow = await db.flows.get(input.id);
      if (!flow) return null;
      const versions = await db.versions.page({ flowId: flow.id, limit: 1 });
      const live = versions.items[0];
      return {
        id: flow.id,
        name: flow.name,
        revision: flow.revision,
        graph: flowDraftSchema.parse(flow.draftGraph),
        liveVersion: live ? { id: live.id, version: live.version } : null,
      };
    }),

  /** Saves the draft if it is still at `expectedRevision`; CONFLICT otherwise, nothing written. */
  saveDraft: adminProcedure
    .input(saveDraftInputSchema)
    .output(savedSchema)
    .mutation(async ({ ctx, input }) => {
      const flow = await ctx.services.db.flows.saveDraft({
        id: input.id,
        draftGraph: input.graph,
        expectedRevision: input.expectedRevision,
      });
      return { revision: flow.revision };
    }),

  /**
   * Replaces the draft with an imported file when core finds no error in it
   * (the same rule as publishing); otherwise BAD_REQUEST with every problem
   * in `data.problems`, and nothing is written. The stored draft is the
   * file as core reads it (defaults filled in, unknown fields dropped).
   */
  importDraft: adminProcedure
    .input(importDraftInputSchema)
    .output(savedSchema.extend({ graph: flowDraftSchema }))
    .mutation(async ({ ctx, input }) => {
      assertPublishable(input.json);
      const graph = parseFlowGraph(input.json);
      const flow = await ctx.services.db.flows.saveDraft({
        id: input.id,
        draftGraph: graph,
        expectedRevision: input.expectedRevision,
      });
      const stored = flowDraftSchema.safeParse(flow.draftGraph);
      if (!stored.success)
        throw new TRPCError({
          code: "INTERNAL_SERVER_ERROR",
          message: "Stored draft is unreadable",
        });
      return { revision: flow.revision, graph: stored.data };
    }),
};

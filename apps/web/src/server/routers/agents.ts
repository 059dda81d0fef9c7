import type { Agent } from "@ringflow/db";
import { z } from "zod";
import { agentFieldsSchema } from "@/features/agents/agent-schema";
import { okSchema, revisionSchema } from "@/lib/schema-helpers";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../trpc/init";

/** An agent as the API shows them. */
export const agentSchema = agentFieldsSchema.extend({
  id: z.string(),
  /** The user (role `agent`) who signs in as this agent, or null. */
  userId: z.string().nullable(),
  revision: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** A stored agent in the API's shape (wrap-up in seconds). */
export function agentToApi(agent: Agent & { revision: number }): z.infer<typeof agentSchema> {
  const { wrapUpMs, ...rest } = agent;
  return { ...rest, wrapUpSeconds: Math.round(wrapUpMs / 1000) };
}

function toDb({ wrapUpSeconds, ...rest }: z.infer<typeof agentFieldsSchema>) {
  return { ...rest, wrapUpMs: wrapUpSeconds * 1000 };
}

/** Agents: the people who answer, each on one phone (a dial string). */
export const agentsRouter = createTRPCRouter({
  list: authedProcedure
    .output(z.array(agentSchema))
    .query(async ({ ctx }) => (await ctx.services.db.agents.list()).map(agentToApi)),

  create: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "contact" } })
    .input(agentFieldsSchema)
    .output(agentSchema)
    .mutation(async ({ ctx, input }) =>
      agentToApi(await ctx.services.db.agents.create(toDb(input))),
    ),

  update: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "contact" } })
    .input(agentFieldsSchema.extend({ id: z.string(), expectedRevision: revisionSchema }))
    .output(agentSchema)
    .mutation(async ({ ctx, input }) => {
      const { id, expectedRevision, ...fields } = input;
      return agentToApi(
        await ctx.services.db.agents.update({ id, expectedRevision, ...toDb(fields) }),
      );
    }),

  delete: adminProcedure
    .input(z.object({ id: z.string(), expectedRevision: revisionSchema.optional() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.agents.delete(input.id, { expectedRevision: input.expectedRevision });
      return { ok: true as const };
    }),
});

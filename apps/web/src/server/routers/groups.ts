import type { AgentGroup } from "@ringflow/db";
import { z } from "zod";
import { nameSchema, okSchema, revisionSchema } from "@/lib/schema-helpers";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../trpc/init";
import { agentSchema, agentToApi } from "./agents";

/** An agent group with its members in ring order. */
export const groupSchema = z.object({
  id: z.string(),
  name: z.string(),
  members: z.array(agentSchema),
  revision: z.number().int(),
  createdAt: z.date(),
  updatedAt: z.date(),
});

function groupToApi(group: AgentGroup): z.infer<typeof groupSchema> {
  return { ...group, members: group.members.map(agentToApi) };
}

const memberIdsSchema = z
  .array(z.string().min(1))
  .max(500, "At most 500 members")
  .refine((ids) => new Set(ids).size === ids.length, "An agent is listed twice");

/** Agent groups: who a ring group rings, in order. */
export const groupsRouter = createTRPCRouter({
  list: authedProcedure
    .output(z.array(groupSchema))
    .query(async ({ ctx }) => (await ctx.services.db.groups.list()).map(groupToApi)),

  get: authedProcedure
    .input(z.object({ id: z.string() }))
    .output(groupSchema.nullable())
    .query(async ({ ctx, input }) => {
      const group = await ctx.services.db.groups.get(input.id);
      return group ? groupToApi(group) : null;
    }),

  create: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "name" } })
    .input(z.object({ name: nameSchema, agentIds: memberIdsSchema.default([]) }))
    .output(groupSchema)
    .mutation(async ({ ctx, input }) => groupToApi(await ctx.services.db.groups.create(input))),

  /** Renames and/or replaces the members (array order = ring order), in one change. */
  update: adminProcedure
    .meta({ fieldOf: { ALREADY_EXISTS: "name" } })
    .input(
      z.object({
        id: z.string(),
        expectedRevision: revisionSchema,
        name: nameSchema.optional(),
        agentIds: memberIdsSchema.optional(),
      }),
    )
    .output(groupSchema)
    .mutation(async ({ ctx, input }) => groupToApi(await ctx.services.db.groups.update(input))),

  delete: adminProcedure
    .input(z.object({ id: z.string(), expectedRevision: revisionSchema.optional() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.groups.delete(input.id, { expectedRevision: input.expectedRevision });
      return { ok: true as const };
    }),
});

import { FLOW_SCHEMA_VERSION, flowNodeTypes, flowReferences } from "@ringflow/core/flow";
import { z } from "zod";
import { flowFieldsSchema } from "@/features/flows/flow-schema";
import { nameSchema, okSchema, revisionSchema } from "@/lib/schema-helpers";
import { adminProcedure, authedProcedure, createTRPCRouter } from "../trpc/init";

const liveVersionSchema = z.object({
  id: z.string(),
  version: z.number().int(),
  publishedAt: z.date(),
  publishedBy: z.string(),
  comment: z.string().nullable(),
});

/** A flow as the flows list shows it. */
export const flowListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  revision: z.number().int(),
  liveVersion: liveVersionSchema.nullable(),
  numbers: z.array(z.string()),
  createdAt: z.date(),
  updatedAt: z.date(),
});

/** What a flow's page shows of its live version: who published it and what it uses. */
const liveSummarySchema = liveVersionSchema.extend({
  nodeCount: z.number().int(),
  nodesByType: z.array(z.object({ type: z.string(), label: z.string(), count: z.number().int() })),
  queues: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
  agentGroups: z.array(z.object({ id: z.string(), name: z.string().nullable() })),
});

const flowDetailSchema = flowListItemSchema.extend({ live: liveSummarySchema.nullable() });

/** The draft of a new, empty flow: a start node and nothing after it. */
export function blankFlowGraph() {
  return {
    schemaVersion: FLOW_SCHEMA_VERSION,
    nodes: [{ id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: [] } }],
    edges: [],
  };
}

/** Flows: create, rename, duplicate, delete, and what their live versions hold. */
export const flowsRouter = createTRPCRouter({
  list: authedProcedure
    .output(z.array(flowListItemSchema))
    .query(({ ctx }) => ctx.services.db.flows.list()),

  get: authedProcedure
    .input(z.object({ id: z.string() }))
    .output(flowDetailSchema.nullable())
    .query(async ({ ctx, input }) => {
      const { db } = ctx.services;
      const item = (await db.flows.list()).find((flow) => flow.id === input.id);
      if (!item) return null;
      if (!item.liveVersion) return { ...item, live: null };
      const version = await db.versions.getById(item.liveVersion.id);
      if (!version) return { ...item, live: null };
      const counts = new Map<string, number>();
      for (const node of version.graph.nodes)
        counts.set(node.type, (counts.get(node.type) ?? 0) + 1);
      const refs = flowReferences(version.graph);
      const [queues, groups] = await Promise.all([db.queues.list(), db.groups.list()]);
      const queueNames = new Map(queues.map((q) => [q.id, q.name]));
      const groupNames = new Map(groups.map((g) => [g.id, g.name]));
      return {
        ...item,
        live: {
          ...item.liveVersion,
          nodeCount: version.graph.nodes.length,
          nodesByType: [...counts].map(([type, count]) => ({
            type,
            label: flowNodeTypes[type as keyof typeof flowNodeTypes]?.label ?? type,
            count,
          })),
          // A name is null when the flow names something that no longer exists.
          queues: refs.queueIds.map((id) => ({ id, name: queueNames.get(id) ?? null })),
          agentGroups: refs.agentGroupIds.map((id) => ({ id, name: groupNames.get(id) ?? null })),
        },
      };
    }),

  create: adminProcedure
    .input(flowFieldsSchema)
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const flow = await ctx.services.db.flows.create({ ...input, draftGraph: blankFlowGraph() });
      return { id: flow.id };
    }),

  rename: adminProcedure
    .input(flowFieldsSchema.extend({ id: z.string(), expectedRevision: revisionSchema }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.flows.rename(input);
      return { ok: true as const };
    }),

  duplicate: adminProcedure
    .input(z.object({ id: z.string(), name: nameSchema }))
    .output(z.object({ id: z.string() }))
    .mutation(async ({ ctx, input }) => {
      const copy = await ctx.services.db.flows.duplicate(input);
      return { id: copy.id };
    }),

  delete: adminProcedure
    .input(z.object({ id: z.string(), expectedRevision: revisionSchema.optional() }))
    .output(okSchema)
    .mutation(async ({ ctx, input }) => {
      await ctx.services.db.flows.delete(input.id, { expectedRevision: input.expectedRevision });
      return { ok: true as const };
    }),
});

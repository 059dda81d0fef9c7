import { type FlowReferences, flowReferences } from "@ringflow/core/flow";
import type { InUseReference } from "../errors.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { byCodeUnits, fromJsonText } from "./records.js";

/**
 * The flows whose live (newest published) version names `id` among the
 * references `pick` chooses (queues or agent groups), by name. Drafts do not
 * count: only what calls can run now. One query reads every live graph;
 * deleting a queue or group is rare and flows are few.
 */
export async function liveFlowsNaming(
  prisma: RingflowPrismaClient,
  pick: (references: FlowReferences) => readonly string[],
  id: string,
): Promise<InUseReference[]> {
  // Only text columns: raw results need no type mapping on either provider.
  const rows = await prisma.$queryRaw<{ id: string; name: string; graph: string }[]>`
    SELECT f."id" AS "id", f."name" AS "name", v."graph" AS "graph"
    FROM "Flow" f
    JOIN "FlowVersion" v ON v."flowId" = f."id" AND v."number" = f."lastVersion"`;
  return rows
    .filter((row) =>
      pick(flowReferences(fromJsonText(row.graph, `FlowVersion of ${row.id}`))).includes(id),
    )
    .sort((a, b) => byCodeUnits(a.name, b.name) || byCodeUnits(a.id, b.id))
    .map((row) => ({ kind: "flow", id: row.id, name: row.name }));
}

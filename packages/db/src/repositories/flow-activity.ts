import type { RingflowPrismaClient } from "../prisma-client.js";
import { fromJsonText } from "./records.js";

/** How many calls left one node by one output. */
export interface OutputCount {
  nodeId: string;
  output: string;
  count: number;
}

/** What calls did in published flows, read from their traces. */
export interface FlowActivityRepository {
  /**
   * How often calls that ran version `versionId` and started at or after
   * `since` left each node by each output (an output taken twice by one
   * call counts twice), sorted by node then output. Reads the calls' `output`
   * trace steps; steps past the trace cap are not counted.
   */
  outputCounts(input: { versionId: string; since: Date }): Promise<OutputCount[]>;
}

/** Creates the flow activity repository over `prisma`. */
export function createFlowActivityRepository(prisma: RingflowPrismaClient): FlowActivityRepository {
  return {
    async outputCounts({ versionId, since }) {
      // The output is inside each step's JSON text, which SQLite and
      // PostgreSQL query differently; the steps are counted here instead,
      // one narrow row each, found through CallRecord's startedAt index.
      const steps = await prisma.callTraceStep.findMany({
        where: {
          kind: "output",
          nodeId: { not: null },
          trace: { call: { flowVersionId: versionId, startedAt: { gte: since } } },
        },
        select: { nodeId: true, data: true, seq: true, callUuid: true },
      });
      const counts = new Map<string, OutputCount>();
      for (const step of steps) {
        if (step.nodeId === null || step.data === null) continue;
        const data = fromJsonText(step.data, `trace step ${step.callUuid}/${step.seq}`) as {
          output?: unknown;
        } | null;
        if (typeof data?.output !== "string") continue;
        const key = `${step.nodeId}\u0000${data.output}`;
        const entry = counts.get(key);
        if (entry) entry.count++;
        else counts.set(key, { nodeId: step.nodeId, output: data.output, count: 1 });
      }
      return [...counts.values()].sort(
        (a, b) =>
          (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0) ||
          (a.output < b.output ? -1 : a.output > b.output ? 1 : 0),
      );
    },
  };
}

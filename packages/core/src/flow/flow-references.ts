/** The queues and agent groups a flow names, each list sorted and without repeats. */
export interface FlowReferences {
  /** `queueId` of every queue node. */
  queueIds: string[];
  /** `agentGroupId` of queue nodes and of ring group nodes that ring an agent group. */
  agentGroupIds: string[];
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function addId(into: Set<string>, value: unknown): void {
  if (typeof value === "string" && value !== "") into.add(value);
}

/**
 * The queue ids and agent group ids that `graph` names: what must not be
 * deleted while this graph is live. Reads any JSON defensively (a draft, a
 * stored version, garbage): anything that is not a node of the expected
 * shape is skipped, never thrown on. A ring group node counts only when its
 * `targets` are of kind `agentGroup` (a `destinations` node rings no group).
 */
export function flowReferences(graph: unknown): FlowReferences {
  const queueIds = new Set<string>();
  const agentGroupIds = new Set<string>();
  const nodes = record(graph)?.nodes;
  if (Array.isArray(nodes)) {
    for (const node of nodes) {
      const { type, data } = record(node) ?? {};
      const config = record(data);
      if (!config) continue;
      if (type === "queue") {
        addId(queueIds, config.queueId);
        addId(agentGroupIds, config.agentGroupId);
      } else if (type === "ringGroup") {
        const targets = record(config.targets);
        if (targets?.kind === "agentGroup") addId(agentGroupIds, targets.agentGroupId);
      }
    }
  }
  return { queueIds: [...queueIds].sort(), agentGroupIds: [...agentGroupIds].sort() };
}

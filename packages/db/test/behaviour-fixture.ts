import { randomUUID } from "node:crypto";
import { createDemoFlow } from "@ringflow/core/flow";
import type { Db } from "../src/create-db.js";

/**
 * What the behaviour suites share: the open database of
 * `describeRepositories` (read inside tests: it is opened in `beforeAll`).
 */
export interface BehaviourFixture {
  db: Db;
  url: string;
}

/** A value no other test uses. */
export function unique(prefix: string): string {
  return `${prefix}-${randomUUID().slice(0, 8)}`;
}

/** The smallest flow that may be published (two warnings: no numbers, nothing after start). */
export function minimalGraph(label: string) {
  return {
    schemaVersion: 1,
    nodes: [{ id: "start", type: "start", position: { x: 0, y: 0 }, data: { label } }],
    edges: [],
  };
}

/**
 * The demo flow, publishable, with its queue node waiting in `queueId` and
 * its ring group ringing the agent group `agentGroupId` (and, when given,
 * the queue node watching `queueAgentGroupId` for "leave when no agents").
 */
export function graphNaming(names: {
  queueId: string;
  agentGroupId?: string;
  queueAgentGroupId?: string;
}): unknown {
  const flow = createDemoFlow();
  return {
    ...flow,
    nodes: flow.nodes.map((node) => {
      if (node.type === "queue") {
        const data = { ...node.data, queueId: names.queueId };
        return {
          ...node,
          data: names.queueAgentGroupId
            ? { ...data, leaveWhenNoAgents: true, agentGroupId: names.queueAgentGroupId }
            : data,
        };
      }
      if (node.type === "ringGroup" && names.agentGroupId) {
        return {
          ...node,
          data: { ...node.data, targets: { kind: "agentGroup", agentGroupId: names.agentGroupId } },
        };
      }
      return node;
    }),
  };
}

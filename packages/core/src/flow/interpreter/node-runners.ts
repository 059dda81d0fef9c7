import type { FlowNode, FlowNodeOf } from "../flow-graph.js";
import type { FlowNodeType } from "../node-types.js";
import { runAnnounceNode } from "./announce-node.js";
import { runBridgeNode } from "./bridge-node.js";
import { runHangupNode } from "./hangup-node.js";
import { runMenuNode } from "./menu-node.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import { runQueueNode } from "./queue-node.js";
import { runRingGroupNode } from "./ring-group-node.js";
import { runStartNode } from "./start-node.js";
import { runTimeConditionNode } from "./time-condition-node.js";
import { runVoicemailNode } from "./voicemail-node.js";

/**
 * Runs one node of type `T` for the call and says how it left. Throws when
 * the caller hung up meanwhile (the run then ends) or when a port failed.
 */
export type NodeRunner<T extends FlowNodeType> = (
  node: FlowNodeOf<T>,
  context: NodeContext,
) => Promise<NodeResult>;

/**
 * How each node type runs, keyed by the names of `flowNodeTypes`. It lives
 * here rather than on the definitions in `/flow` so the editor's bundle,
 * which imports the definitions, carries none of the interpreter (ring
 * groups, queues, call control); the mapped type still makes a registered
 * type without a runner a compile error.
 */
export const nodeRunners = {
  start: runStartNode,
  announce: runAnnounceNode,
  menu: runMenuNode,
  timeCondition: runTimeConditionNode,
  queue: runQueueNode,
  ringGroup: runRingGroupNode,
  bridge: runBridgeNode,
  voicemail: runVoicemailNode,
  hangup: runHangupNode,
} as const satisfies { readonly [T in FlowNodeType]: NodeRunner<T> };

/** Runs `node` with its type's runner. */
export function runNode(node: FlowNode, context: NodeContext): Promise<NodeResult> {
  // TypeScript cannot relate `nodeRunners[node.type]` to `node`'s own type; the map's mapped type does.
  const run = nodeRunners[node.type] as NodeRunner<FlowNodeType>;
  return run(node, context);
}

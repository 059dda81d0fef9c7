import type { FlowNodeOf } from "../flow-graph.js";
import { isOpenAt } from "../is-open-at.js";
import type { NodeContext, NodeResult } from "./node-context.js";

/**
 * A `timeCondition` node: `open` or `closed` by `isOpenAt` at the clock's
 * time. It leaves the call unanswered, so a closed line can reject a call
 * without answering it.
 */
export async function runTimeConditionNode(
  node: FlowNodeOf<"timeCondition">,
  context: NodeContext,
): Promise<NodeResult> {
  const open = isOpenAt(node.data, new Date(context.clock.now()));
  return { output: open ? "open" : "closed", detail: { timeZone: node.data.timeZone } };
}

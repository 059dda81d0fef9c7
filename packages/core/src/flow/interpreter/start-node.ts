import type { FlowNodeOf } from "../flow-graph.js";
import type { NodeContext, NodeResult } from "./node-context.js";

/** A `start` node: every call leaves by `next` at once, still unanswered. */
export async function runStartNode(
  _node: FlowNodeOf<"start">,
  _context: NodeContext,
): Promise<NodeResult> {
  return { output: "next" };
}

import type { FlowNodeOf } from "../flow-graph.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import { playPrompt } from "./play-prompt.js";

/**
 * An `announce` node: plays the file or speaks the text, placeholders
 * filled, then `next`. A file that will not play is noted in the trace; the
 * call goes on.
 */
export async function runAnnounceNode(
  node: FlowNodeOf<"announce">,
  context: NodeContext,
): Promise<NodeResult> {
  await context.takeChannel();
  const { text, status } = await playPrompt(context, node.data.message);
  return { output: "next", detail: { text, status } };
}

import { HangupCauses } from "../../call-control/hangup-cause.js";
import type { FlowNodeOf } from "../flow-graph.js";
import type { NodeContext, NodeResult } from "./node-context.js";

/** A `hangup` node: gives back the slot, hangs up an unbridged agent, then the caller with the node's cause. */
export async function runHangupNode(
  node: FlowNodeOf<"hangup">,
  context: NodeContext,
): Promise<NodeResult> {
  const { call, state } = context;
  await state.releaseSlot();
  await state.dropLeg(HangupCauses.NormalClearing);
  state.flowHangingUp = true;
  await call.hangup(node.data.cause);
  return { ended: true };
}

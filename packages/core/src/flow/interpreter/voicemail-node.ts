import { CallerHungUpError } from "../../call-control/errors.js";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import type { FlowNodeOf } from "../flow-graph.js";
import type { NodeContext, NodeResult } from "./node-context.js";

/**
 * A `voicemail` node: gives back the slot, hangs up an unbridged agent, lets
 * the caller leave a message (`call.voicemail`), and ends the call.
 */
export async function runVoicemailNode(
  node: FlowNodeOf<"voicemail">,
  context: NodeContext,
): Promise<NodeResult> {
  const { call, state } = context;
  await state.releaseSlot();
  await state.dropLeg(HangupCauses.NormalClearing);
  await context.takeChannel();
  const { mailbox, profile, domain } = node.data;
  try {
    await call.voicemail({ mailbox, profile, ...(domain !== undefined ? { domain } : {}) });
  } catch (error) {
    // Hanging up is how most callers finish a message.
    if (call.signal.aborted || error instanceof CallerHungUpError) state.reachedVoicemail = true;
    throw error;
  }
  state.reachedVoicemail = true;
  return { ended: true };
}

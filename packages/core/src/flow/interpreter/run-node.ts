import { CallerHungUpError } from "../../call-control/errors.js";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import type { FlowNode } from "../flow-graph.js";
import { isOpenAt } from "../is-open-at.js";
import { runBridgeNode } from "./bridge-node.js";
import { runMenuNode } from "./menu-node.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import { playPrompt } from "./play-prompt.js";
import { runQueueNode } from "./queue-node.js";
import { runRingGroupNode } from "./ring-group-node.js";

/**
 * Runs one node for the call and says how it left. Throws when the caller
 * hung up meanwhile (the run then ends) or when a port failed.
 */
export async function runNode(node: FlowNode, context: NodeContext): Promise<NodeResult> {
  const { call, state } = context;
  switch (node.type) {
    case "start":
      return { output: "next" };
    case "timeCondition": {
      const open = isOpenAt(node.data, new Date(context.clock.now()));
      return { output: open ? "open" : "closed", detail: { timeZone: node.data.timeZone } };
    }
    case "announce": {
      await context.takeChannel();
      const { text, status } = await playPrompt(context, node.data.message);
      return { output: "next", detail: { text, status } };
    }
    case "menu":
      return runMenuNode(node, context);
    case "queue":
      return runQueueNode(node, context);
    case "ringGroup":
      return runRingGroupNode(node, context);
    case "bridge":
      return runBridgeNode(node, context);
    case "voicemail": {
      await state.releaseSlot();
      await state.dropLeg(HangupCauses.NormalClearing);
      await context.takeChannel();
      const { mailbox, profile, domain } = node.data;
      try {
        await call.voicemail({ mailbox, profile, ...(domain !== undefined ? { domain } : {}) });
      } catch (error) {
        // Hanging up is how most callers finish a message.
        if (call.signal.aborted || error instanceof CallerHungUpError)
          state.reachedVoicemail = true;
        throw error;
      }
      state.reachedVoicemail = true;
      return { ended: true };
    }
    case "hangup":
      await state.releaseSlot();
      await state.dropLeg(HangupCauses.NormalClearing);
      state.flowHangingUp = true;
      await call.hangup(node.data.cause);
      return { ended: true };
  }
}

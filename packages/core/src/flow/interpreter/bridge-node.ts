import type { BridgeResult } from "../../call-control/call-session.js";
import { CallerHungUpError } from "../../call-control/errors.js";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import { settledWithin } from "../../clock.js";
import type { FlowNodeOf } from "../flow-graph.js";
import type { BridgeData } from "../nodes/bridge.js";
import type { NodeContext, NodeResult } from "./node-context.js";

/**
 * A `bridge` node: connects the caller to the agent leg the last ring group
 * answered (`call.bridge`), or dials a destination from the caller's channel
 * (`call.bridgeDial`). `completed` once the conversation took place and
 * ended; `failed` when no connection was made (the agent hung up before the
 * bridge, the far end was busy...). The agent leg is used up either way and
 * hung up if it is still there, so no agent is left on a dead line.
 */
export async function runBridgeNode(
  node: FlowNodeOf<"bridge">,
  context: NodeContext,
): Promise<NodeResult> {
  await context.takeChannel();
  const { to } = node.data;
  return to.kind === "dial" ? bridgeDial(to, context) : bridgeAnsweredLeg(context);
}

async function bridgeAnsweredLeg(context: NodeContext): Promise<NodeResult> {
  const { call, state } = context;
  const held = state.takeLeg();
  if (!held) {
    state.verdict = "noAnswer";
    return { output: "failed", detail: { reason: "noAnsweredLeg" } };
  }
  const { leg } = held;
  try {
    if (held.gone) {
      state.verdict = "noAnswer";
      return { output: "failed", detail: { reason: "agentHungUp", legUuid: leg.uuid } };
    }
    state.progress({ kind: "bridged", agentContact: leg.destination, at: state.now() });
    let result: BridgeResult;
    try {
      result = await call.bridge(leg.uuid);
    } catch (error) {
      // Both legs were up and answered when they were joined: a caller who
      // hangs up now is ending the conversation, the way most calls end.
      if (isHangUp(error, context)) state.connect(leg.destination, leg.answeredAt);
      throw error;
    }
    if (result.status === "failed") {
      state.verdict = "noAnswer";
      return { output: "failed", detail: { cause: result.cause, legUuid: leg.uuid } };
    }
    state.connect(leg.destination, leg.answeredAt);
    return { output: "completed", detail: { cause: result.cause, agentContact: leg.destination } };
  } finally {
    if (!held.gone) await state.hangUpLeg(leg, HangupCauses.NormalClearing);
    // The slot passes on only once the agent's leg is gone (the agent
    // registry has seen the call end by then), so the next caller never
    // finds this agent still "in call" and goes to the back of the line.
    await settledWithin(context.clock, leg.ended, LEG_END_WAIT_MS);
  }
}

/** Longest a finished bridge waits for the agent's leg to be reported gone. */
const LEG_END_WAIT_MS = 2_000;

async function bridgeDial(
  to: Extract<BridgeData["to"], { kind: "dial" }>,
  context: NodeContext,
): Promise<NodeResult> {
  const { call, state } = context;
  // Connected as soon as the far end answers: a caller who hangs up while
  // talking was answered, not abandoned. The port does not say when the
  // far end answered, so there is no agent contact or answer time to report.
  const result = await call.bridgeDial(to.dialString, {
    timeoutMs: to.timeoutSeconds * 1000,
    onConnected: () => state.connect(null, null),
  });
  if (result.status === "failed") {
    state.verdict = "noAnswer";
    return { output: "failed", detail: { cause: result.cause, dialString: to.dialString } };
  }
  state.connect(null, null);
  return { output: "completed", detail: { cause: result.cause, dialString: to.dialString } };
}

function isHangUp(error: unknown, context: NodeContext): boolean {
  return context.call.signal.aborted || error instanceof CallerHungUpError;
}

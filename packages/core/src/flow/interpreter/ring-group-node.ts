import type { CallInfo } from "../../call-control/call-session.js";
import { CallerHungUpError } from "../../call-control/errors.js";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import { RingGroup } from "../../ring-group/ring-group.js";
import type { RingAttempt } from "../../ring-group/ring-result.js";
import type { FlowNodeOf } from "../flow-graph.js";
import type { RingGroupData } from "../nodes/ring-group.js";
import type { FlowRuntime } from "./flow-runtime.js";
import type { NodeContext, NodeResult } from "./node-context.js";

/**
 * A `ringGroup` node: rings its destinations, or the contacts of an agent
 * group, through `RingGroup.run`. A caller holding a queue slot keeps
 * hearing that queue's hold music meanwhile. The leg that answers is kept,
 * unbridged, for the next bridge node (`answered`); anything else is
 * `noAnswer`. The caller hanging up cancels every leg.
 *
 * Agent legs show the caller's number and name unless the node's
 * `variables` set `origination_caller_id_number` / `_name` themselves.
 */
export async function runRingGroupNode(
  node: FlowNodeOf<"ringGroup">,
  context: NodeContext,
): Promise<NodeResult> {
  const { data } = node;
  const { call, state, runtime } = context;
  // A new ring replaces an agent answered earlier and never bridged.
  await state.dropLeg(HangupCauses.NormalClearing);
  state.verdict = null;
  await context.answer();
  const held = state.slot;
  if (held && context.music.file === null) await context.music.start(held.holdMusic);
  const destinations = await destinationsOf(data, context);
  if (destinations === null) {
    state.verdict = "noAnswer";
    return { output: "noAnswer", detail: { result: "unknownAgentGroup" } };
  }
  const result = await RingGroup.run(runtime.callControl, destinations, data.mode, {
    timeoutMs: data.legTimeoutSeconds * 1000,
    ...(data.totalTimeoutSeconds !== null
      ? { totalTimeoutMs: data.totalTimeoutSeconds * 1000 }
      : {}),
    variables: { ...callerIdOf(call.info), ...data.variables },
    balancer: context.balancer,
    ...(runtime.agents ? { agents: runtime.agents } : {}),
    signal: call.signal,
    clock: context.clock,
    ...(runtime.onError ? { onError: runtime.onError } : {}),
  });
  const attempts = result.attempts.map(describeAttempt);
  if (result.result === "cancelled") throw call.signal.reason ?? new CallerHungUpError("unknown");
  if (result.result !== "answered") {
    state.verdict = "noAnswer";
    return { output: "noAnswer", detail: { result: result.result, attempts } };
  }
  const { leg } = result;
  state.holdLeg(leg);
  state.progress({
    kind: "answered",
    agentContact: leg.destination,
    legUuid: leg.uuid,
    at: leg.answeredAt,
  });
  if (call.signal.aborted) {
    // The caller left as the agent picked up: nobody may be left on the line.
    await state.dropLeg(HangupCauses.OriginatorCancel);
    throw call.signal.reason;
  }
  return {
    output: "answered",
    detail: { agentContact: leg.destination, legUuid: leg.uuid, attempts },
  };
}

/**
 * What a ring group rings: its fixed destinations, or its agent group's
 * contacts through the runtime (`null`: no such group, or no way to ask).
 */
export async function ringTargetsOf(
  data: RingGroupData,
  runtime: Pick<FlowRuntime, "resolveAgentGroup">,
): Promise<readonly string[] | null> {
  const { targets } = data;
  if (targets.kind === "destinations") return targets.destinations;
  return runtime.resolveAgentGroup ? await runtime.resolveAgentGroup(targets.agentGroupId) : null;
}

async function destinationsOf(
  data: RingGroupData,
  context: NodeContext,
): Promise<readonly string[] | null> {
  const { targets } = data;
  if (targets.kind === "destinations") return targets.destinations;
  const { runtime, state } = context;
  const agentGroupId = targets.agentGroupId;
  const contacts = await ringTargetsOf(data, runtime);
  if (contacts === null) {
    const message = runtime.resolveAgentGroup
      ? `agent group ${agentGroupId} does not exist`
      : "the runtime has no resolveAgentGroup to ring agent groups with";
    state.record("error", { detail: { code: "AGENT_GROUP_UNKNOWN", message, agentGroupId } });
  }
  return contacts;
}

function callerIdOf(info: CallInfo): Record<string, string> {
  return {
    ...(info.callerIdNumber !== "" ? { origination_caller_id_number: info.callerIdNumber } : {}),
    ...(info.callerIdName !== "" ? { origination_caller_id_name: info.callerIdName } : {}),
  };
}

function describeAttempt(attempt: RingAttempt): Record<string, unknown> {
  if (attempt.outcome === "skipped") {
    return {
      destination: attempt.destination,
      outcome: "skipped",
      agentId: attempt.agentId,
      reason: attempt.reason,
    };
  }
  return {
    destination: attempt.destination,
    outcome: attempt.outcome,
    cause: attempt.cause,
    rangForMs: attempt.rangForMs,
  };
}

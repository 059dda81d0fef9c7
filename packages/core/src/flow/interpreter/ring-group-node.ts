import { CallerHungUpError } from "../../call-control/errors.js";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import { RingGroup } from "../../ring-group/ring-group.js";
import type { FlowNodeOf } from "../flow-graph.js";
import type { RingGroupData } from "../nodes/ring-group.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import {
  callerIdVariables,
  describeAttempt,
  ringOptionsOf,
  ringTargetsOf,
} from "./ring-options.js";

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
  const targets = await ringTargetsOf(data, runtime);
  if ("unknown" in targets) {
    const detail = { code: "AGENT_GROUP_UNKNOWN", message: targets.unknown };
    state.record("error", { detail: { ...detail, agentGroupId: agentGroupIdOf(data) } });
    state.verdict = "noAnswer";
    return { output: "noAnswer", detail: { result: "unknownAgentGroup" } };
  }
  const result = await RingGroup.run(
    runtime.callControl,
    targets.destinations,
    data.mode,
    ringOptionsOf(data, runtime, {
      callerId: callerIdVariables(call.info.callerIdNumber, call.info.callerIdName),
      balancer: context.balancer,
      clock: context.clock,
      signal: call.signal,
    }),
  );
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

function agentGroupIdOf(data: RingGroupData): string | undefined {
  return data.targets.kind === "agentGroup" ? data.targets.agentGroupId : undefined;
}

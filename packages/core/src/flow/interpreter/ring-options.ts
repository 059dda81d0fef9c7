import type { LoadBalancer } from "../../balancer/load-balancer.js";
import type { CallControl } from "../../call-control/call-control.js";
import type { Clock } from "../../clock.js";
import type { RingGroupOptions } from "../../ring-group/ring-group-options.js";
import type { RingAttempt } from "../../ring-group/ring-result.js";
import type { RingGroupData } from "../nodes/ring-group.js";
import type { FlowRuntime } from "./flow-runtime.js";

/** What ringing a `ringGroup` node's targets needs from the runtime. */
export type RingRuntime = Pick<FlowRuntime, "agents" | "resolveAgentGroup" | "onError"> & {
  readonly callControl: CallControl;
};

/**
 * The destinations of a ring group node: its dial strings, or the contacts
 * of its agent group (`null`, with `why`, when the group is unknown).
 */
export async function ringTargetsOf(
  data: RingGroupData,
  runtime: Pick<FlowRuntime, "resolveAgentGroup">,
): Promise<{ readonly destinations: readonly string[] } | { readonly unknown: string }> {
  const { targets } = data;
  if (targets.kind === "destinations") return { destinations: targets.destinations };
  const { agentGroupId } = targets;
  const contacts = runtime.resolveAgentGroup ? await runtime.resolveAgentGroup(agentGroupId) : null;
  if (contacts !== null) return { destinations: contacts };
  return {
    unknown: runtime.resolveAgentGroup
      ? `agent group ${agentGroupId} does not exist`
      : "the runtime has no resolveAgentGroup to ring agent groups with",
  };
}

/**
 * `RingGroup.run`'s options for a ring group node: its timeouts, its
 * variables over the caller id shown to agents, the runtime's agents, and
 * the run's balancer, clock and signal.
 */
export function ringOptionsOf(
  data: RingGroupData,
  runtime: RingRuntime,
  run: {
    readonly callerId: Readonly<Record<string, string>>;
    readonly balancer: LoadBalancer;
    readonly clock: Clock;
    readonly signal: AbortSignal;
  },
): RingGroupOptions {
  return {
    timeoutMs: data.legTimeoutSeconds * 1000,
    ...(data.totalTimeoutSeconds !== null
      ? { totalTimeoutMs: data.totalTimeoutSeconds * 1000 }
      : {}),
    variables: { ...run.callerId, ...data.variables },
    balancer: run.balancer,
    ...(runtime.agents ? { agents: runtime.agents } : {}),
    signal: run.signal,
    clock: run.clock,
    ...(runtime.onError ? { onError: runtime.onError } : {}),
  };
}

/** The caller id agents see: `origination_caller_id_number` / `_name`, when known. */
export function callerIdVariables(number: string, name: string): Record<string, string> {
  return {
    ...(number !== "" ? { origination_caller_id_number: number } : {}),
    ...(name !== "" ? { origination_caller_id_name: name } : {}),
  };
}

/** A ring attempt as trace details and results show it. */
export function describeAttempt(attempt: RingAttempt): Record<string, unknown> {
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

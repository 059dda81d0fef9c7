import { connectCallback, type FlowRuntime } from "@ringflow/core/interpreter";
import type { CallbackDial, CallbackDialOutcome } from "./callback-dispatcher.js";

/** The channel variable naming the callback request on every leg a callback rings. */
export const CALLBACK_LEG_VARIABLE = "ringflow_callback";

/** What {@link dialCallback} drives. */
export interface DialCallbackOptions {
  /** The worker's switch, agents and balancer, as its calls use them. */
  readonly runtime: Pick<
    FlowRuntime,
    "callControl" | "agents" | "balancer" | "resolveAgentGroup" | "clock" | "onError"
  >;
  /** Hangs up every channel whose `variable` is `value` (FreeSWITCH `hupall <cause> <variable> <value>`). */
  hangupLegsOf(variable: string, value: string): Promise<void>;
  readonly customerRingMs: number;
}

/**
 * One try of a callback through core's `connectCallback`, as the
 * dispatcher acts on it. Every leg it rings carries
 * `ringflow_callback=<request id>` (the agents' through the ring group's
 * variables, the customer's as a `[...]` prefix of the dial string), and
 * a try first hangs up the legs a previous holder of the request left —
 * a killed worker's customer phone would ring on beside the new try.
 */
export async function dialCallback(
  dial: CallbackDial,
  options: DialCallbackOptions,
): Promise<CallbackDialOutcome> {
  const { request, context, signal } = dial;
  const { runtime } = options;
  const ringGroup = context.ringGroup;
  // Counted as an attempt, so a flow with no agents to ring ends failed.
  if (!ringGroup) return { kind: "customerNotReached", result: "noRingGroup" };
  await options
    .hangupLegsOf(CALLBACK_LEG_VARIABLE, request.id)
    .catch((error: unknown) => runtime.onError?.(error));
  signal.throwIfAborted();
  const result = await connectCallback({
    runtime,
    ringGroup: {
      ...ringGroup,
      variables: { ...ringGroup.variables, [CALLBACK_LEG_VARIABLE]: request.id },
    },
    dialString: `[${CALLBACK_LEG_VARIABLE}=${request.id}]${dial.destination}`,
    number: request.number,
    callerName: request.callerName,
    customerRingMs: options.customerRingMs,
    customerLegUuid: dial.customerLeg,
    signal,
  });
  switch (result.status) {
    case "connected":
      return { kind: "completed", agentContact: result.agentContact, talking: result.ended };
    case "customerNoAnswer":
      return { kind: "customerNotReached", result: result.cause };
    case "noAgent":
      return { kind: "noAgent", result: result.reason };
    case "agentLeft":
      return { kind: "noAgent", result: "agentLeft" };
    case "cancelled":
      signal.throwIfAborted();
      return { kind: "noAgent", result: "cancelled" };
  }
}

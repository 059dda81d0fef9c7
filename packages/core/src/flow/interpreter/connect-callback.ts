import { CallControlError } from "../../call-control/errors.js";
import type { HangupCause } from "../../call-control/hangup-cause.js";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import { systemClock } from "../../clock.js";
import { RingGroup } from "../../ring-group/ring-group.js";
import type { FlowGraph, FlowNodeOf } from "../flow-graph.js";
import type { RingGroupData } from "../nodes/ring-group.js";
import type { FlowRuntime } from "./flow-runtime.js";
import { ringTargetsOf } from "./ring-group-node.js";

/** How long the customer's phone rings before the try counts as unanswered. */
const CUSTOMER_RING_MS = 30_000;

/**
 * The ring group a `queue` node's callers are rung through: the first
 * `ringGroup` node on its `acquired` path, passing `announce` nodes. `null`
 * when that path reaches anything else first (the flow has no agents to
 * ring for a callback).
 */
export function ringGroupAfterQueue(flow: FlowGraph, queueNodeId: string): RingGroupData | null {
  const nodes = new Map(flow.nodes.map((node) => [node.id, node]));
  const next = (nodeId: string, output: string) =>
    flow.edges.find((edge) => edge.source === nodeId && edge.sourceHandle === output)?.target;
  let at = next(queueNodeId, "acquired");
  const seen = new Set<string>();
  while (at !== undefined && !seen.has(at)) {
    seen.add(at);
    const node = nodes.get(at);
    if (node?.type === "ringGroup") return (node as FlowNodeOf<"ringGroup">).data;
    if (node?.type !== "announce") return null;
    at = next(at, "next");
  }
  return null;
}

/** What {@link connectCallback} needs. */
export interface ConnectCallbackOptions {
  /** The switch, agent state and balancer, as the worker's calls use them. */
  readonly runtime: Pick<
    FlowRuntime,
    "callControl" | "agents" | "balancer" | "resolveAgentGroup" | "clock" | "onError"
  >;
  /** The ring group the flow rings its queue's callers through ({@link ringGroupAfterQueue}). */
  readonly ringGroup: RingGroupData;
  /** The customer's dial string (e.g. `sofia/gateway/out/+442079460000`). */
  readonly dialString: string;
  /** The number called back, said in the whisper and shown to the agent. */
  readonly number: string;
  readonly callerName?: string | null;
  /** What the agent hears before the customer is on the line. Default "Callback for <number, digit by digit>". */
  readonly whisper?: string;
  /**
   * The uuid to give the customer's leg; default a random one. Naming it
   * beforehand lets whoever takes the callback over after a crash ask the
   * switch about that leg.
   */
  readonly customerLegUuid?: string;
  /** How long the customer's phone may ring; default 30 s. */
  readonly customerRingMs?: number;
  /** Aborting it (the dispatcher stopping) hangs up every leg. */
  readonly signal?: AbortSignal;
}

/**
 * How a callback try went:
 * - `connected`: agent and customer are bridged; `ended` resolves once
 *   either hangs up (the other is hung up then), when the slot may go.
 * - `noAgent`: no agent answered (`reason`: the ring group's result); the
 *   customer was not called, so the try does not count.
 * - `customerNoAnswer`: an agent answered but the customer did not (`cause`);
 *   the agent was released.
 * - `agentLeft`: the agent hung up before the customer answered.
 * - `cancelled`: `signal` aborted.
 */
export type ConnectCallbackResult =
  | {
      readonly status: "connected";
      readonly agentContact: string;
      readonly agentLegUuid: string;
      readonly customerLegUuid: string;
      readonly ended: Promise<void>;
    }
  | { readonly status: "noAgent"; readonly reason: string }
  | { readonly status: "customerNoAnswer"; readonly cause: HangupCause }
  | { readonly status: "agentLeft" }
  | { readonly status: "cancelled" };

/**
 * Makes one callback: rings agents as the flow's ring group would (its
 * mode, timeouts, variables; agent state and load counted), then, once an
 * agent answers, whispers who is being called back to the agent alone
 * (when the switch can speak to a leg: `CallControl.speakTo`) while the
 * customer's phone rings, and bridges the two when the customer answers.
 * The agent leg is released whenever the customer is not reached.
 *
 * @throws CallControlError the switch refused an originate or the bridge
 *   (every leg it started is hung up first).
 */
export async function connectCallback(
  options: ConnectCallbackOptions,
): Promise<ConnectCallbackResult> {
  const { runtime, ringGroup, signal } = options;
  const { callControl } = runtime;
  const clock = runtime.clock ?? systemClock;
  const destinations = await ringTargetsOf(ringGroup, runtime);
  if (destinations === null) return { status: "noAgent", reason: "unknownAgentGroup" };
  const ring = await RingGroup.run(callControl, destinations, ringGroup.mode, {
    timeoutMs: ringGroup.legTimeoutSeconds * 1000,
    ...(ringGroup.totalTimeoutSeconds !== null
      ? { totalTimeoutMs: ringGroup.totalTimeoutSeconds * 1000 }
      : {}),
    variables: {
      origination_caller_id_number: options.number,
      origination_caller_id_name: `Callback ${options.callerName ?? options.number}`,
      ...ringGroup.variables,
    },
    ...(runtime.balancer ? { balancer: runtime.balancer } : {}),
    ...(runtime.agents ? { agents: runtime.agents } : {}),
    ...(signal ? { signal } : {}),
    clock,
    ...(runtime.onError ? { onError: runtime.onError } : {}),
  });
  if (ring.result === "cancelled") return { status: "cancelled" };
  if (ring.result !== "answered") return { status: "noAgent", reason: ring.result };
  const agent = ring.leg;
  const release = (cause: HangupCause) => agent.hangup(cause).catch(runtime.onError ?? (() => {}));
  if (signal?.aborted) {
    await release(HangupCauses.OriginatorCancel);
    return { status: "cancelled" };
  }
  if (callControl.speakTo) {
    const whisper = options.whisper ?? `Callback for ${options.number.split("").join(" ")}`;
    // A whisper that will not play must not lose the callback.
    await callControl.speakTo(agent.uuid, whisper).catch(runtime.onError ?? (() => {}));
  }
  let customer: Awaited<ReturnType<typeof callControl.originate>>;
  try {
    customer = await callControl.originate({
      uuid: options.customerLegUuid ?? globalThis.crypto.randomUUID(),
      destination: options.dialString,
      timeoutMs: options.customerRingMs ?? CUSTOMER_RING_MS,
    });
  } catch (error) {
    await release(HangupCauses.NormalTemporaryFailure);
    throw error;
  }
  const agentGone = agent.ended.then(() => "agentLeft" as const);
  const aborted = new Promise<"cancelled">((resolve) => {
    if (signal?.aborted) resolve("cancelled");
    signal?.addEventListener("abort", () => resolve("cancelled"), { once: true });
  });
  const first = await Promise.race([customer.outcome, agentGone, aborted]);
  if (first === "agentLeft" || first === "cancelled") {
    await customer.hangup(HangupCauses.OriginatorCancel).catch(runtime.onError ?? (() => {}));
    await release(HangupCauses.OriginatorCancel);
    return { status: first };
  }
  if (!first.answered) {
    await release(HangupCauses.NormalClearing);
    return { status: "customerNoAnswer", cause: first.cause };
  }
  try {
    await callControl.bridge(agent.uuid, customer.uuid);
  } catch (error) {
    await customer.hangup(HangupCauses.NormalTemporaryFailure).catch(() => {});
    await release(HangupCauses.NormalTemporaryFailure);
    throw error instanceof CallControlError
      ? error
      : new CallControlError(`bridge of callback legs failed: ${String(error)}`);
  }
  // Two legs bridged from outside stay up when the other leaves: end both.
  const ended = Promise.race([agent.ended, customer.ended]).then(async () => {
    await Promise.all([
      agent.hangup(HangupCauses.NormalClearing).catch(() => {}),
      customer.hangup(HangupCauses.NormalClearing).catch(() => {}),
    ]);
  });
  return {
    status: "connected",
    agentContact: agent.destination,
    agentLegUuid: agent.uuid,
    customerLegUuid: customer.uuid,
    ended,
  };
}

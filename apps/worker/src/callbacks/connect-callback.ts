import { randomUUID } from "node:crypto";
import { type CallControl, HangupCauses } from "@ringflow/core";
import type { AgentRegistry } from "@ringflow/core/agents";
import type { RingGroupData } from "@ringflow/core/flow";
import { type LoadBalancer, RingGroup } from "@ringflow/core/ring-group";
import type { CallbackDial, CallbackDialOutcome } from "./callback-dispatcher.js";

/** What {@link connectCallback} drives: the worker's switch and agent state, as its calls use them. */
export interface CallbackSwitchboard {
  readonly callControl: CallControl;
  readonly agents?: AgentRegistry;
  readonly balancer?: LoadBalancer;
  /** Contacts of an agent group in ring order; `null` when the group does not exist. */
  resolveAgentGroup(groupId: string): Promise<readonly string[] | null>;
  /**
   * Plays `path` (`playback` argument, or `app::args`) to one leg
   * (FreeSWITCH `uuid_broadcast <uuid> <path> aleg`): the whisper.
   */
  broadcast(uuid: string, path: string): Promise<void>;
  /**
   * Hangs up every leg whose channel variable {@link CALLBACK_LEG_VARIABLE}
   * is `requestId` (FreeSWITCH `hupall <cause> <variable> <value>`): the
   * legs a killed worker left ringing or talking for that request.
   */
  hangupLegsOf(requestId: string): Promise<void>;
  /** How long the customer's phone rings. */
  readonly customerRingMs: number;
  /** What the agent hears once they answer (a `uuid_broadcast` path); `null`: nothing. */
  readonly whisper: string | null;
  readonly onError?: (error: unknown) => void;
}

/** The channel variable that names the callback request on each leg a callback rings. */
export const CALLBACK_LEG_VARIABLE = "ringflow_callback";

/** A {@link CallbackDial} with the ring group the flow rings agents with after the queue. */
export interface RingingCallbackDial extends CallbackDial {
  readonly ringGroup: RingGroupData;
}

/**
 * One callback attempt, on the switch: rings agents as the flow's ring
 * group would (same targets, mode and timeouts; only Available and Idle
 * agents, through the agent registry), whispers to the agent who answers
 * (their phone shows "Callback <name>" and the customer's number, and
 * hears `whisper` while the customer rings), calls the customer and
 * bridges the two. The slot is held until both legs are gone
 * (`talking`), as a caller's slot is until they hang up.
 *
 * Kept to this one file so it can move into core beside the queue node.
 */
export async function connectCallback(
  board: CallbackSwitchboard,
  dial: RingingCallbackDial,
): Promise<CallbackDialOutcome & { readonly talking?: Promise<unknown> }> {
  const { request, ringGroup, signal } = dial;
  const { targets } = ringGroup;
  // Whoever held the request before (a killed worker, or one whose lease
  // ran out) may have left an agent or the customer on the line.
  await board.hangupLegsOf(request.id).catch(board.onError);
  const tag = { [CALLBACK_LEG_VARIABLE]: request.id };
  const destinations =
    targets.kind === "destinations"
      ? targets.destinations
      : await board.resolveAgentGroup(targets.agentGroupId);
  if (destinations === null || destinations.length === 0) {
    return { kind: "noAgent", result: "unknownAgentGroup" };
  }
  const rung = await RingGroup.run(board.callControl, destinations, ringGroup.mode, {
    timeoutMs: ringGroup.legTimeoutSeconds * 1000,
    ...(ringGroup.totalTimeoutSeconds !== null
      ? { totalTimeoutMs: ringGroup.totalTimeoutSeconds * 1000 }
      : {}),
    variables: {
      origination_caller_id_number: request.number,
      origination_caller_id_name: `Callback ${request.callerName ?? request.number}`,
      ...ringGroup.variables,
      ...tag,
    },
    ...(board.balancer ? { balancer: board.balancer } : {}),
    ...(board.agents ? { agents: board.agents } : {}),
    signal,
    ...(board.onError ? { onError: board.onError } : {}),
  });
  if (rung.result !== "answered") {
    signal.throwIfAborted();
    return { kind: "noAgent", result: rung.result };
  }
  const agent = rung.leg;
  const dropAgent = () => agent.hangup(HangupCauses.NormalClearing).catch(board.onError);
  try {
    if (board.whisper !== null) {
      // Heard while the customer rings; the bridge cuts it short.
      await board.broadcast(agent.uuid, board.whisper).catch(board.onError);
    }
    signal.throwIfAborted();
    const customer = await board.callControl.originate({
      uuid: randomUUID(),
      destination: dial.destination,
      timeoutMs: board.customerRingMs,
      variables: {
        origination_caller_id_number: request.number,
        ...(request.callerName ? { origination_caller_id_name: request.callerName } : {}),
        ...tag,
      },
    });
    const cancel = () => void customer.hangup(HangupCauses.OriginatorCancel).catch(board.onError);
    signal.addEventListener("abort", cancel, { once: true });
    // The agent giving up while the customer rings ends the attempt too.
    const agentLeft = agent.ended.then(() => ({ answered: false as const, cause: "agentHungUp" }));
    const answer = await Promise.race([customer.outcome, agentLeft]);
    signal.removeEventListener("abort", cancel);
    if (!answer.answered) {
      await customer.hangup(HangupCauses.OriginatorCancel).catch(board.onError);
      signal.throwIfAborted();
      if (answer.cause === "agentHungUp") return { kind: "noAgent", result: "agentHungUp" };
      await dropAgent();
      return { kind: "customerNotReached", result: answer.cause };
    }
    await board.callControl.bridge(agent.uuid, customer.uuid);
    return {
      kind: "completed",
      agentContact: agent.destination,
      talking: Promise.all([agent.ended, customer.ended]),
    };
  } catch (error) {
    await dropAgent();
    throw error;
  }
}

import type { OutboundLeg } from "../../call-control/call-control.js";
import { type HangupCause, HangupCauses } from "../../call-control/hangup-cause.js";
import { systemClock } from "../../clock.js";
import type { QueueSlot } from "../../queue/queue-slot.js";
import { RingGroup } from "../../ring-group/ring-group.js";
import { type AnsweredLeg, outcomeOfCause } from "../../ring-group/ring-result.js";
import { interpolate } from "../interpolate.js";
import type { RingGroupData } from "../nodes/ring-group.js";
import type { Prompt } from "../prompt.js";
import type { FlowRuntime } from "./flow-runtime.js";
import {
  callerIdVariables,
  describeAttempt,
  ringOptionsOf,
  ringTargetsOf,
} from "./ring-options.js";
import { balancerOf } from "./run-flow.js";

/** What an agent hears before the customer is dialled, unless told otherwise: `{number}` is the customer's. */
export const DEFAULT_CALLBACK_WHISPER: Prompt = { kind: "speech", text: "Callback for {number}" };

/** How long the customer's phone rings, unless told otherwise. */
export const DEFAULT_CALLBACK_CUSTOMER_TIMEOUT_MS = 30_000;

/** The customer a stored callback calls back. */
export interface CallbackCustomer {
  /** Their number, as stored: shown to the agent and spoken in the whisper (`{number}`). */
  readonly number: string;
  /** Their name, when known (`{name}` in the whisper, the agent's caller id name). */
  readonly name?: string | null;
  /** The dial string that reaches them, e.g. `sofia/gateway/carrier/5551234`. */
  readonly destination: string;
}

/** What {@link connectCallback} needs. */
export interface ConnectCallbackOptions {
  /**
   * The worker's runtime: its switch, agents, balancer (shared with its
   * calls' ring groups), agent groups, clock and error sink.
   */
  readonly runtime: FlowRuntime;
  /**
   * The queue slot the dispatcher holds for the request. It is neither
   * taken nor given back here; if it is lost (`slot.lost`) the attempt is
   * cut short as if `signal` aborted.
   */
  readonly slot: QueueSlot;
  /** The ring group the flow rings after the queue (see `callbackRingGroupOf`). */
  readonly ringGroup: RingGroupData;
  readonly customer: CallbackCustomer;
  /** Played to the agent only, once they answered; `null` for none. Default {@link DEFAULT_CALLBACK_WHISPER}. */
  readonly whisper?: Prompt | null;
  /** How long the customer's phone rings. Default {@link DEFAULT_CALLBACK_CUSTOMER_TIMEOUT_MS}. */
  readonly customerTimeoutMs?: number;
  /** Channel variables of the customer's leg (e.g. the caller id the customer sees). */
  readonly customerVariables?: Readonly<Record<string, string>>;
  /** Aborting it (the worker stops, the request's lease is lost) hangs up whatever rings or talks. */
  readonly signal?: AbortSignal;
}

/** Why a dialled customer was not reached: the leg's hangup cause, read as ring groups read it. */
export type CustomerNotReachedReason = "noAnswer" | "busy" | "unreachable" | "failed";

/** Why no agent took a callback: the ring group's result, or the agent left before the customer answered. */
export type CallbackNoAgentReason =
  | "noAnswer"
  | "allBusy"
  | "noAgentsAvailable"
  | "unknownAgentGroup"
  | "agentHungUp";

/**
 * How one attempt of a callback ended, for the dispatcher to act on:
 * - `completed`: the customer and an agent were bridged and have finished talking.
 * - `customerNotReached`: an agent answered, the customer did not (no
 *   answer, busy, unreachable, or the switch refused the dial): counts as
 *   an attempt, retried after a backoff. The agent's leg was hung up.
 * - `noAgent`: no agent answered, or the agent hung up before the customer
 *   answered: not the customer's attempt; the request waits its turn again.
 */
export type ConnectCallbackResult =
  | {
      readonly kind: "completed";
      readonly agentContact: string;
      /** When the agent answered and when the customer did (clock ms). */
      readonly agentAnsweredAt: number;
      readonly customerAnsweredAt: number;
      /**
       * Why the conversation ended: the hangup cause of the side that hung
       * up first; `null` when `signal` aborted while they talked — the two
       * are left talking on the switch.
       */
      readonly cause: HangupCause | null;
    }
  | {
      readonly kind: "customerNotReached";
      readonly result: CustomerNotReachedReason;
      /** The customer leg's hangup cause; `null` when the switch refused the dial. */
      readonly cause: HangupCause | null;
      readonly agentContact: string;
    }
  | {
      readonly kind: "noAgent";
      readonly result: CallbackNoAgentReason;
      /** Every agent rung, as ring-group traces show them. */
      readonly attempts: readonly Record<string, unknown>[];
    };

/**
 * Connects a stored callback once its entry holds a queue slot: rings
 * agents as the flow's ring group would (`RingGroup.run` with the node's
 * mode, timeouts, variables and targets, the agent registry and balancer
 * of the runtime; agents see the customer's number as caller id), plays
 * the whisper to the answering agent only (`CallControl.playTo`; skipped
 * when the switch cannot), then dials the customer and bridges the two.
 * Resolves when the attempt is over — after the conversation, for
 * `completed` — with no leg it started left up, except a conversation
 * still going on when `signal` aborts (it resolves at once then, `cause`
 * `null`, and leaves the two talking).
 *
 * @throws `signal.reason` when `signal` aborted (or the slot was lost)
 *   before the two were bridged; every leg it started has been hung up by then.
 * @throws whatever the runtime's balancer or agent registry rejects with
 *   before anything rang (as `RingGroup.run`), or `CallControlError` when
 *   bridging the two legs failed (both are hung up).
 */
export async function connectCallback(
  options: ConnectCallbackOptions,
): Promise<ConnectCallbackResult> {
  const { runtime, ringGroup, customer, slot } = options;
  const signal = options.signal ? AbortSignal.any([options.signal, slot.lost]) : slot.lost;
  signal.throwIfAborted();
  const clock = runtime.clock ?? systemClock;
  const targets = await ringTargetsOf(ringGroup, runtime);
  if ("unknown" in targets) {
    runtime.onError?.(new Error(`callback for ${customer.number}: ${targets.unknown}`));
    return { kind: "noAgent", result: "unknownAgentGroup", attempts: [] };
  }
  const ring = await RingGroup.run(
    runtime.callControl,
    targets.destinations,
    ringGroup.mode,
    ringOptionsOf(ringGroup, runtime, {
      callerId: callerIdVariables(customer.number, customer.name ?? ""),
      balancer: balancerOf(runtime, clock),
      clock,
      signal,
    }),
  );
  if (ring.result === "cancelled") throw signal.reason;
  if (ring.result !== "answered") {
    return { kind: "noAgent", result: ring.result, attempts: ring.attempts.map(describeAttempt) };
  }
  const agent = ring.leg;
  let result: ConnectCallbackResult | undefined;
  try {
    result = await reachCustomer(options, agent, signal);
    return result;
  } finally {
    if (!stillTalking(result)) {
      await hangUpQuietly(agent.hangup(HangupCauses.NormalClearing), runtime);
    }
  }
}

/** A conversation left up on the switch when the signal aborted (see `completed`'s `cause`). */
function stillTalking(result: ConnectCallbackResult | undefined): boolean {
  return result?.kind === "completed" && result.cause === null;
}

async function reachCustomer(
  options: ConnectCallbackOptions,
  agent: AnsweredLeg,
  signal: AbortSignal,
): Promise<ConnectCallbackResult> {
  const { runtime, customer } = options;
  const { callControl } = runtime;
  const agentGone = legGone(agent);
  const whisper = options.whisper === undefined ? DEFAULT_CALLBACK_WHISPER : options.whisper;
  if (whisper !== null && callControl.playTo) {
    try {
      await callControl.playTo(agent.uuid, mediaOf(whisper, customer));
    } catch (error) {
      // The agent still takes the call; they just miss the announcement.
      runtime.onError?.(error);
    }
  }
  if (agentGone.settled) return agentLeft();
  signal.throwIfAborted();
  let leg: OutboundLeg;
  try {
    leg = await callControl.originate({
      uuid: globalThis.crypto.randomUUID(),
      destination: customer.destination,
      timeoutMs: options.customerTimeoutMs ?? DEFAULT_CALLBACK_CUSTOMER_TIMEOUT_MS,
      variables: { ...options.customerVariables },
    });
  } catch {
    return notReached("failed", null, agent);
  }
  const stop = () => void hangUpQuietly(leg.hangup(HangupCauses.OriginatorCancel), runtime);
  const stopOnAbort = () => stop();
  signal.addEventListener("abort", stopOnAbort, { once: true });
  let result: ConnectCallbackResult | undefined;
  try {
    const first = await Promise.race([
      leg.outcome.then((outcome) => ({ kind: "customer", outcome }) as const),
      agentGone.promise.then(() => ({ kind: "agentGone" }) as const),
    ]);
    if (first.kind === "agentGone") {
      stop();
      signal.throwIfAborted();
      return agentLeft();
    }
    const { outcome } = first;
    signal.throwIfAborted();
    if (!outcome.answered) return notReached(reasonOf(outcome.cause), outcome.cause, agent);
    const customerAnsweredAt = runtime.clock?.now() ?? Date.now();
    if (agentGone.settled) {
      stop();
      return agentLeft();
    }
    try {
      await callControl.bridge(agent.uuid, leg.uuid);
    } catch (error) {
      stop();
      throw error;
    }
    // Talking now: a stopping worker must not cut the conversation off.
    signal.removeEventListener("abort", stopOnAbort);
    const aborted = new Promise<null>((resolve) => {
      if (signal.aborted) resolve(null);
      signal.addEventListener("abort", () => resolve(null), { once: true });
    });
    result = {
      kind: "completed",
      agentContact: agent.destination,
      agentAnsweredAt: agent.answeredAt,
      customerAnsweredAt,
      cause: await Promise.race([agent.ended, leg.ended, aborted]),
    };
    return result;
  } finally {
    signal.removeEventListener("abort", stopOnAbort);
    if (!stillTalking(result)) {
      await hangUpQuietly(leg.hangup(HangupCauses.NormalClearing), runtime);
    }
  }
}

function reasonOf(cause: HangupCause): CustomerNotReachedReason {
  const outcome = outcomeOfCause(cause);
  return outcome === "noAnswer" || outcome === "busy" ? outcome : "unreachable";
}

function notReached(
  result: CustomerNotReachedReason,
  cause: HangupCause | null,
  agent: AnsweredLeg,
): ConnectCallbackResult {
  return { kind: "customerNotReached", result, cause, agentContact: agent.destination };
}

function agentLeft(): ConnectCallbackResult {
  return { kind: "noAgent", result: "agentHungUp", attempts: [] };
}

/** Whether a leg has hung up, as a flag and as a promise. */
function legGone(leg: AnsweredLeg): { readonly settled: boolean; readonly promise: Promise<void> } {
  const gone = { settled: false, promise: Promise.resolve() };
  gone.promise = new Promise<void>((resolve) => {
    leg.onHangup(() => {
      gone.settled = true;
      resolve();
    });
  });
  return gone;
}

function mediaOf(whisper: Prompt, customer: CallbackCustomer) {
  const values = { number: customer.number, name: customer.name ?? "" };
  if (whisper.kind === "file") return { file: interpolate(whisper.file, values).text };
  const text = interpolate(whisper.text, values).text;
  return whisper.voice !== undefined ? { text, voice: whisper.voice } : { text };
}

async function hangUpQuietly(hangingUp: Promise<void>, runtime: FlowRuntime): Promise<void> {
  try {
    await hangingUp;
  } catch (error) {
    runtime.onError?.(error);
  }
}

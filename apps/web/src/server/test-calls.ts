import "server-only";
import { RingflowError } from "@ringflow/core";
import { assertPublishable, type FlowGraph } from "@ringflow/core/flow";
import type { Db } from "@ringflow/db";
import {
  type PhoneAnswer,
  phoneAnswerOf,
  type SimControlClient,
  SimControlError,
} from "@ringflow/fs-sim/control-client";
import type { PlaceTestCall } from "@/features/test-calls/test-call-schema";

/** The SIP header that makes a call run a flow's draft (the worker's `TEST_CALLS`). */
export const DRAFT_HEADER = "X-Ringflow-Draft";

/** Test calls need the simulator, and it is not configured or not answering. */
export class SimulatorUnavailableError extends RingflowError {
  readonly code = "SIMULATOR_UNAVAILABLE";
}

/** The simulator refused a test-call request (a channel that has ended, bad input). */
export class TestCallRefusedError extends RingflowError {
  readonly code = "TEST_CALL_REFUSED";
}

/** Whatever the simulator's client threw, as the API's domain errors. */
function refusalOf(error: unknown): unknown {
  if (!(error instanceof SimControlError)) return error;
  if (error.status === 0) return new SimulatorUnavailableError(error.message, { cause: error });
  if (error.status === 404) {
    return new TestCallRefusedError("That call has ended.", { cause: error });
  }
  return new TestCallRefusedError(error.message, { cause: error });
}

async function withSimulator<T>(
  simulator: SimControlClient | null,
  work: (simulator: SimControlClient) => Promise<T>,
): Promise<T> {
  if (!simulator) {
    throw new SimulatorUnavailableError(
      "Test calls need the simulator: run `pnpm dev` without FREESWITCH_ESL_URL (it sets RINGFLOW_SIM_CONTROL_URL).",
    );
  }
  try {
    return await work(simulator);
  } catch (error) {
    throw refusalOf(error);
  }
}

/** A simulated phone as the panel lists it. */
export interface TestPhone {
  readonly id: string;
  /** The agent whose contact is `user/<id>`, if any. */
  readonly agentName: string | null;
  readonly answer: PhoneAnswer | null;
}

/** What the test-call panel offers for a flow. */
export interface TestCallSetup {
  readonly available: boolean;
  /** Why not, when not available. */
  readonly reason: string | null;
  /** Numbers routed to this flow (dialling one runs its live version). */
  readonly numbers: string[];
  readonly phones: TestPhone[];
}

/** The directory users a graph dials by name (`user/1001` anywhere in its settings). */
function usersNamedIn(value: unknown, into = new Set<string>()): Set<string> {
  if (typeof value === "string") {
    const match = /^user\/([^@/\s]+)/.exec(value);
    if (match?.[1]) into.add(match[1]);
  } else if (Array.isArray(value)) {
    for (const item of value) usersNamedIn(item, into);
  } else if (value && typeof value === "object") {
    for (const item of Object.values(value)) usersNamedIn(item, into);
  }
  return into;
}

/**
 * What the panel needs to place test calls on flow `flowId`: the numbers
 * routed to it and the simulator's phones that matter — the agents'
 * (contact `user/<id>`) and those the draft dials by name; every
 * registered phone when none of them is.
 */
export async function testCallSetup(
  db: Db<FlowGraph>,
  simulator: SimControlClient | null,
  flowId: string,
): Promise<TestCallSetup> {
  const [routes, flow] = await Promise.all([db.routes.list(), db.flows.get(flowId)]);
  const numbers = routes.filter((r) => r.flowId === flowId).map((r) => r.number);
  try {
    const [phones, agents] = await withSimulator(simulator, async (sim) =>
      Promise.all([sim.phones(), db.agents.list()]),
    );
    const names = new Map(agents.map((a) => [a.contact, a.name]));
    const wanted = usersNamedIn(flow?.draftGraph);
    const registered = phones.filter((p) => p.registered);
    const relevant = registered.filter((p) => wanted.has(p.id) || names.has(`user/${p.id}`));
    return {
      available: true,
      reason: null,
      numbers,
      phones: (relevant.length > 0 ? relevant : registered)
        .map((p) => ({
          id: p.id,
          agentName: names.get(`user/${p.id}`) ?? null,
          answer: phoneAnswerOf(p),
        }))
        .sort((a, b) => a.id.localeCompare(b.id, undefined, { numeric: true })),
    };
  } catch (error) {
    if (!(error instanceof SimulatorUnavailableError)) throw error;
    return { available: false, reason: error.message, numbers, phones: [] };
  }
}

/**
 * Places a test call through the simulator. `draft`: the call carries
 * {@link DRAFT_HEADER}, so the worker runs the flow's draft whatever the
 * number — held first to the publishing rule, so a draft with errors is
 * refused here with its problems. `live`: the number must be routed to
 * this flow.
 *
 * @throws {FlowNotPublishableError} when the draft has errors.
 */
export async function placeTestCall(
  db: Db<FlowGraph>,
  simulator: SimControlClient | null,
  request: PlaceTestCall,
): Promise<{ callUuid: string }> {
  const flow = await db.flows.get(request.flowId);
  if (!flow) throw new TestCallRefusedError("That flow no longer exists.");
  if (request.run === "draft") assertPublishable(flow.draftGraph);
  else {
    const route = await db.routes.get(request.number);
    if (route?.flowId !== flow.id) {
      throw new TestCallRefusedError(
        `${request.number} does not run this flow: route it on the Numbers page, or test the draft.`,
      );
    }
  }
  const callUuid = await withSimulator(simulator, (sim) =>
    sim.placeCall({
      from: request.from,
      fromName: "Test call",
      to: request.number,
      ...(request.run === "draft" ? { headers: { [DRAFT_HEADER]: flow.id } } : {}),
    }),
  );
  return { callUuid };
}

/** The caller on test call `callUuid` presses `digits`. */
export function pressKeys(simulator: SimControlClient | null, callUuid: string, digits: string) {
  return withSimulator(simulator, (sim) => sim.pressKeys(callUuid, digits));
}

/** The caller hangs test call `callUuid` up. */
export function hangUpTestCall(simulator: SimControlClient | null, callUuid: string) {
  return withSimulator(simulator, (sim) => sim.hangUp(callUuid, "NORMAL_CLEARING"));
}

/** Scripts simulated phone `phoneId`: answers, does not answer, or is busy on every ring. */
export async function setTestPhone(
  simulator: SimControlClient | null,
  phoneId: string,
  answer: PhoneAnswer,
): Promise<void> {
  await withSimulator(simulator, (sim) => sim.setPhone(phoneId, answer));
}

/** Where a test call is on the switch. */
export interface TestCallLine {
  /** `ringing` | `early` | `answered` (by the flow), `ended` once its channel is gone. */
  readonly state: "ringing" | "early" | "answered" | "ended";
  /** The simulated phone it is bridged to, if any. */
  readonly bridgedTo: string | null;
}

/** The test call's channel as the simulator has it now. */
export async function testCallLine(
  simulator: SimControlClient | null,
  callUuid: string,
): Promise<TestCallLine> {
  const channels = await withSimulator(simulator, (sim) => sim.channels());
  const channel = channels.find((c) => c.uuid === callUuid);
  if (!channel || channel.answerState === "hangup") return { state: "ended", bridgedTo: null };
  const peer = channel.bridgedTo ? channels.find((c) => c.uuid === channel.bridgedTo) : undefined;
  const state =
    channel.answerState === "answered" || channel.answerState === "early"
      ? channel.answerState
      : "ringing";
  return { state, bridgedTo: peer?.dialedUser ?? null };
}

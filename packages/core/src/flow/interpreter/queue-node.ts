import { HangupCauses } from "../../call-control/hangup-cause.js";
import { QueueAbortedError, QueueFullError, QueueTimeoutError } from "../../queue/errors.js";
import type { FlowNodeOf } from "../flow-graph.js";
import { isVipCaller, resolvePriority } from "../resolve-priority.js";
import { anyoneLoggedIn, watchLogouts } from "./agent-presence.js";
import { attendWhileWaiting, type CallbackOffer } from "./attend-while-waiting.js";
import type { CallbackRequestInput } from "./callback-requests.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import { onQueueJoin } from "./queue-joins.js";

/**
 * A `queue` node: gives back any slot the call holds (slot scope), then
 * waits in the queue's line with hold music and periodic position
 * announcements until it gets a slot (`acquired`, kept for the nodes that
 * follow), the queue gives up (`timeout`), the line is full (`full`), or
 * nobody of the agent group is logged in, on arrival or while waiting
 * (`noAgents`). A caller who hangs up leaves the line at once.
 *
 * `timeoutSeconds` bounds the call's whole stay in the queue: a call that
 * comes back to the same queue after `acquired` (its ring group found
 * nobody, and the flow queues it again) keeps the time it has already
 * spent since it first joined, ringing included; once that is used up it
 * leaves by `timeout` at once. Leaving by any other output ends the stay,
 * so a caller who chooses to wait again gets the full time.
 */
export async function runQueueNode(
  node: FlowNodeOf<"queue">,
  context: NodeContext,
): Promise<NodeResult> {
  const { data } = node;
  const { state, runtime } = context;
  await state.releaseSlot();
  // An agent who answered earlier must not sit in silence through a whole wait.
  await state.dropLeg(HangupCauses.NormalClearing);
  state.queueId = data.queueId;
  state.verdict = null;
  const nobodyLeft = new AbortController();
  let stopWatching = () => {};
  try {
    if (data.leaveWhenNoAgents && data.agentGroupId !== undefined) {
      const groupId = data.agentGroupId;
      if (runtime.agents) {
        stopWatching = await watchLogouts(
          runtime.agents,
          groupId,
          () => nobodyLeft.abort(),
          (error) => state.error(error, { during: "agentPresence", agentGroupId: groupId }),
        );
      }
      const present = await anyoneLoggedIn(runtime, groupId);
      if (present === null) state.note("agentPresenceUnknown", { agentGroupId: groupId });
      if (present === false) {
        state.verdict = "noAnswer";
        return { output: "noAgents", detail: { agentGroupId: groupId, whileWaiting: false } };
      }
    }
    return await waitForSlot(node, context, nobodyLeft.signal);
  } finally {
    stopWatching();
  }
}

async function waitForSlot(
  node: FlowNodeOf<"queue">,
  context: NodeContext,
  nobodyLeft: AbortSignal,
): Promise<NodeResult> {
  const { data } = node;
  const { call, state, queue } = context;
  const { queueId } = data;
  const stayedSince = state.queueStays.get(queueId) ?? state.now();
  state.queueStays.delete(queueId);
  let timeoutMs: number | undefined;
  if (data.timeoutSeconds !== null) {
    timeoutMs = data.timeoutSeconds * 1000 - (state.now() - stayedSince);
    if (timeoutMs <= 0) {
      state.verdict = "timeout";
      return { output: "timeout", detail: { waitMs: 0, stayedMs: state.now() - stayedSince } };
    }
  }
  await context.answer();
  await context.music.start(data.holdMusic);
  const priority = resolvePriority(data, call.info.callerIdNumber);
  let joined = false;
  let onJoined = (_at: number) => {};
  const joinedAt = new Promise<number>((resolve) => {
    onJoined = resolve;
  });
  const stopListening = onQueueJoin(queue, queueId, call.info.uuid, (event) => {
    joined = true;
    onJoined(event.at);
    state.enqueuedAt ??= event.at;
    state.progress({
      kind: "enqueued",
      queueId,
      at: event.at,
      priority: event.priority,
      vip: isVipCaller(data, call.info.callerIdNumber),
    });
    // Stamped with the queue's own join time, the one its waits are counted
    // from: a second read of the clock could be a millisecond later.
    state.note(
      "enqueued",
      { queueId, priority: event.priority, position: event.position },
      event.at,
    );
  });
  // Aborted once a callback is stored: the caller leaves the line.
  const leaving = new AbortController();
  const waiting = queue.slot(queueId, {
    itemId: call.info.uuid,
    maxConcurrent: data.maxConcurrent,
    priority,
    signal: AbortSignal.any([call.signal, nobodyLeft, leaving.signal]),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(data.maxWaiting !== null ? { maxWaiting: data.maxWaiting } : {}),
  });
  const offer = callbackOfferOf(node, context, priority, joinedAt);
  const attending = attendWhileWaiting(data, context, waiting, offer, leaving);
  try {
    const slot = await waiting;
    const stored = await attending;
    if (stored) {
      // Granted while the request was being stored: the caller is owed a
      // callback and leaves anyway; the slot goes to the next in line.
      await slot.release();
      return leftForCallback(context, queueId, stored, slot.waitMs);
    }
    state.queueStays.set(queueId, stayedSince);
    state.holdSlot(slot, data.holdMusic);
    state.acquiredAt = slot.acquiredAt;
    state.addWait(slot.waitMs);
    state.progress({ kind: "acquired", queueId, at: slot.acquiredAt, waitMs: slot.waitMs });
    return { output: "acquired", detail: { waitMs: slot.waitMs, priority } };
  } catch (error) {
    if (error instanceof QueueFullError) {
      state.verdict = "timeout";
      return { output: "full", detail: { maxWaiting: error.maxWaiting } };
    }
    if (error instanceof QueueTimeoutError) {
      state.addWait(error.waitedMs);
      state.verdict = "timeout";
      return { output: "timeout", detail: { waitMs: error.waitedMs } };
    }
    if (error instanceof QueueAbortedError && joined) {
      const stored = await attending;
      if (stored && !call.signal.aborted) {
        return leftForCallback(context, queueId, stored, error.waitedMs);
      }
      state.addWait(error.waitedMs);
      if (!call.signal.aborted) {
        state.verdict = "noAnswer";
        return { output: "noAgents", detail: { waitMs: error.waitedMs, whileWaiting: true } };
      }
      state.progress({ kind: "abandoned", queueId, at: state.now(), waitMs: error.waitedMs });
    }
    throw error;
  } finally {
    stopListening();
    await attending;
  }
}

/** The caller's request is stored and they have left the line: out by `callback`. */
function leftForCallback(
  context: NodeContext,
  queueId: string,
  request: CallbackRequestInput,
  waitMs: number,
): NodeResult {
  const { state } = context;
  state.addWait(waitMs);
  // Served another way: the flow's goodbye and hang-up do not make it abandoned.
  state.verdict = "noAnswer";
  state.progress({
    kind: "callbackRequested",
    queueId,
    at: state.now(),
    waitMs,
    number: request.number,
  });
  return { output: "callback", detail: { waitMs, number: request.number } };
}

/** The node's callback offer, when it makes one and the runtime can store it. */
function callbackOfferOf(
  node: FlowNodeOf<"queue">,
  context: NodeContext,
  priority: number,
  joinedAt: Promise<number>,
): CallbackOffer | null {
  const { callbacks } = context.runtime;
  if (node.data.callbackOfferSeconds === null || !callbacks) return null;
  return { callbacks, nodeId: node.id, priority, joinedAt };
}

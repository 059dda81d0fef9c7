import { HangupCauses } from "../../call-control/hangup-cause.js";
import { sleep } from "../../clock.js";
import { QueueAbortedError, QueueFullError, QueueTimeoutError } from "../../queue/errors.js";
import type { FlowNodeOf } from "../flow-graph.js";
import type { QueueData } from "../nodes/queue.js";
import { isVipCaller, resolvePriority } from "../resolve-priority.js";
import { anyoneLoggedIn, watchLogouts } from "./agent-presence.js";
import type { CallbackRequestInput } from "./flow-runtime.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import { callbackDue, OFFER_CHECK_SECONDS, offerCallback } from "./offer-callback.js";
import { fillPrompt, playPrompt } from "./play-prompt.js";

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
  const { call, state, queue, joins } = context;
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
  const stopListening = joins.on(queueId, call.info.uuid, (event) => {
    joined = true;
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
  // Aborted once a callback request is stored: the request has the place now.
  const leftForCallback = new AbortController();
  const waiting = queue.slot(queueId, {
    itemId: call.info.uuid,
    maxConcurrent: data.maxConcurrent,
    priority,
    signal: AbortSignal.any([call.signal, nobodyLeft, leftForCallback.signal]),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(data.maxWaiting !== null ? { maxWaiting: data.maxWaiting } : {}),
  });
  let callback: CallbackRequestInput | null = null;
  const offer = async (signal: AbortSignal): Promise<boolean> => {
    const request = await offerCallback(node, context, { priority, signal });
    if (request === null) return false;
    callback = request;
    leftForCallback.abort();
    return true;
  };
  const announcing = announceWhileWaiting(data, context, waiting, offer);
  try {
    const slot = await waiting;
    if (callback !== null) {
      // Granted while the request was being stored: the caller chose the callback.
      await slot.release();
      return leaveForCallback(callback, slot.waitMs, context);
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
    if (error instanceof QueueAbortedError && callback !== null && !call.signal.aborted) {
      return leaveForCallback(callback, error.waitedMs, context);
    }
    if (error instanceof QueueAbortedError && joined) {
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
    await announcing;
  }
}

/** The caller's request is stored: they leave the line, and this call, by `callback`. */
function leaveForCallback(
  request: CallbackRequestInput,
  waitMs: number,
  context: NodeContext,
): NodeResult {
  const { state } = context;
  state.addWait(waitMs);
  state.verdict = "callback";
  state.progress({ kind: "callbackRequested", queueId: request.queueId, at: state.now(), waitMs });
  return { output: "callback", detail: { number: request.number, waitMs } };
}

/**
 * Every `announceEverySeconds` of hold music, interrupts it to tell the
 * caller their position and estimated wait, then resumes it; with
 * `announceOnlyWhenChanged`, an announcement that would say what the last
 * one said is skipped (the music plays on). Stops (cutting an announcement
 * short) as soon as `waiting` settles, so an agent never hears its end.
 */
async function announceWhileWaiting(
  data: QueueData,
  context: NodeContext,
  waiting: Promise<unknown>,
  offer: (signal: AbortSignal) => Promise<boolean>,
): Promise<void> {
  const offers = data.callbackOfferSeconds !== null && context.runtime.callbacks !== undefined;
  // Without announcements, a callback is still offered at this interval.
  const everySeconds = data.announceEverySeconds ?? (offers ? OFFER_CHECK_SECONDS : null);
  if (everySeconds === null) return;
  let offered = false;
  const { call, state, queue, music, clock } = context;
  const over = new AbortController();
  waiting.then(
    () => over.abort(),
    () => over.abort(),
  );
  const signal = AbortSignal.any([over.signal, call.signal]);
  let lastText: string | null = null;
  for (;;) {
    try {
      await sleep(clock, everySeconds * 1000, signal);
    } catch {
      return;
    }
    if (signal.aborted) return;
    let text: string;
    try {
      // Only while still in line: the slot may have been granted a moment ago.
      if ((await queue.position(data.queueId, call.info.uuid)) === null) continue;
      if (offers && !offered && (await callbackDue(data, context))) {
        // Offered once: a caller who said no is not asked again in this wait.
        offered = true;
        await music.stop();
        if (signal.aborted) return;
        if (await offer(signal)) return;
        if (signal.aborted) return;
        await music.start(data.holdMusic);
        continue;
      }
      if (data.announceEverySeconds === null) continue;
      text = await fillPrompt(context, data.announcement);
    } catch (error) {
      if (call.signal.aborted) return;
      state.error(error, { during: "announcement" });
      continue;
    }
    if (signal.aborted) return;
    if (data.announceOnlyWhenChanged && text === lastText) {
      state.note("announcementSkipped", { reason: "unchanged" });
      continue;
    }
    await music.stop();
    if (signal.aborted) return;
    try {
      const played = await playPrompt(context, data.announcement, { signal, text });
      lastText = text;
      state.note("announcement", { text: played.text, status: played.status });
    } catch (error) {
      if (call.signal.aborted) return;
      state.error(error, { during: "announcement" });
    }
    if (signal.aborted) return;
    await music.start(data.holdMusic);
  }
}

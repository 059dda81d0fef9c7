import { sleep } from "../../clock.js";
import type { QueueData } from "../nodes/queue.js";
import { CALLBACK_OFFER_RECHECK_MS, offerCallback } from "./callback-offer.js";
import type { CallbackRequestInput, CallbackRequests } from "./callback-requests.js";
import type { NodeContext } from "./node-context.js";
import { fillPrompt, playPrompt } from "./play-prompt.js";

/** What {@link attendWhileWaiting} needs to offer a callback. */
export interface CallbackOffer {
  readonly callbacks: CallbackRequests;
  readonly nodeId: string;
  readonly priority: number;
  /** Resolves when the caller is in line, with the queue's join time. */
  readonly joinedAt: Promise<number>;
}

/**
 * Keeps the caller company while `waiting` has not settled: offers the
 * node's callback (see {@link offerCallback}) once the caller is in line and
 * again every {@link CALLBACK_OFFER_RECHECK_MS} (or announcement) while the
 * estimate is not above its threshold, until it is made once; and every
 * `announceEverySeconds` of hold music, interrupts it to tell the caller
 * their position and estimated wait, then resumes it; with
 * `announceOnlyWhenChanged`, an announcement that would say what the last
 * one said is skipped (the music plays on). Stops (cutting a prompt short)
 * as soon as `waiting` settles, so an agent never hears its end.
 *
 * Resolves with the stored request once the caller accepted a callback
 * (after aborting `leaving`, which takes the caller out of the line), or
 * `null`.
 */
export async function attendWhileWaiting(
  data: QueueData,
  context: NodeContext,
  waiting: Promise<unknown>,
  offer: CallbackOffer | null,
  leaving: AbortController,
): Promise<CallbackRequestInput | null> {
  const { announceEverySeconds } = data;
  if (announceEverySeconds === null && !offer) return null;
  const { call, music, clock } = context;
  const over = new AbortController();
  waiting.then(
    () => over.abort(),
    () => over.abort(),
  );
  const signal = AbortSignal.any([over.signal, call.signal]);
  let lastText: string | null = null;
  let offering = offer;
  const everyMs = announceEverySeconds === null ? null : announceEverySeconds * 1000;
  let announceAt = everyMs === null ? Number.POSITIVE_INFINITY : clock.now() + everyMs;
  if (offering) {
    const stopped = new Promise<void>((resolve) => {
      if (signal.aborted) resolve();
      signal.addEventListener("abort", () => resolve(), { once: true });
    });
    await Promise.race([offering.joinedAt, stopped]);
  }
  for (;;) {
    if (signal.aborted) return null;
    if (offering) {
      const joinedAt = await offering.joinedAt;
      const place = {
        queueId: data.queueId,
        nodeId: offering.nodeId,
        joinedAt,
        priority: offering.priority,
      };
      const outcome = await offerCallback(data, context, offering.callbacks, place, signal);
      if (outcome.kind === "stored") {
        leaving.abort();
        return outcome.request;
      }
      if (outcome.kind === "stopped") return null;
      if (outcome.kind !== "notYet") {
        offering = null;
        await music.start(data.holdMusic);
      }
    }
    const nextOfferAt = offering
      ? clock.now() + CALLBACK_OFFER_RECHECK_MS
      : Number.POSITIVE_INFINITY;
    const wakeAt = Math.min(announceAt, nextOfferAt);
    if (wakeAt === Number.POSITIVE_INFINITY) return null;
    try {
      await sleep(clock, Math.max(0, wakeAt - clock.now()), signal);
    } catch {
      return null;
    }
    if (signal.aborted) return null;
    if (clock.now() < announceAt || everyMs === null) continue;
    await announce(data, context, signal, lastText).then((text) => {
      if (text !== null) lastText = text;
    });
    announceAt = clock.now() + everyMs;
  }
}

/**
 * One announcement of position and estimated wait, unless the caller is no
 * longer in line or it would repeat the last one (`announceOnlyWhenChanged`).
 * Returns the text played, or `null` when nothing was.
 */
async function announce(
  data: QueueData,
  context: NodeContext,
  signal: AbortSignal,
  lastText: string | null,
): Promise<string | null> {
  const { call, state, queue, music } = context;
  let text: string;
  try {
    // Only while still in line: the slot may have been granted a moment ago.
    if ((await queue.position(data.queueId, call.info.uuid)) === null) return null;
    text = await fillPrompt(context, data.announcement);
  } catch (error) {
    if (!call.signal.aborted) state.error(error, { during: "announcement" });
    return null;
  }
  if (signal.aborted) return null;
  if (data.announceOnlyWhenChanged && text === lastText) {
    state.note("announcementSkipped", { reason: "unchanged" });
    return null;
  }
  await music.stop();
  if (signal.aborted) return null;
  let played: string | null = null;
  try {
    const result = await playPrompt(context, data.announcement, { signal, text });
    played = text;
    state.note("announcement", { text: result.text, status: result.status });
  } catch (error) {
    if (call.signal.aborted) return null;
    state.error(error, { during: "announcement" });
  }
  if (signal.aborted) return played;
  await music.start(data.holdMusic);
  return played;
}

import type { QueueData } from "../nodes/queue.js";
import type { CallbackRequestInput, CallbackRequests } from "./callback-requests.js";
import type { NodeContext } from "./node-context.js";
import { estimateWaitMs } from "./play-prompt.js";
import { promptForKeys } from "./prompt-for-keys.js";

/** How long the caller has to press 1 after the offer. */
export const CALLBACK_OFFER_KEY_TIMEOUT_MS = 5_000;
/** How long the caller has to start keying the number to call back, and between two digits. */
export const CALLBACK_NUMBER_TIMEOUT_MS = 8_000;
const CALLBACK_DIGIT_TIMEOUT_MS = 4_000;
/** Between two looks at the estimate while it is below the offer threshold (when no announcement comes sooner). */
export const CALLBACK_OFFER_RECHECK_MS = 30_000;

/** Where the caller stands in line: what a stored callback keeps. */
export interface CallbackPlace {
  readonly queueId: string;
  readonly nodeId: string;
  /** When the caller joined this line (the queue's `enqueued` time). */
  readonly joinedAt: number;
  readonly priority: number;
}

/**
 * How an offer went: `notYet` (the estimate is not above the threshold, or
 * unknown), `declined` (no 1, or no number to call), `failed` (the request
 * could not be stored: the caller keeps waiting), `stored` (the caller may
 * leave the line), `stopped` (`signal` aborted: a slot came, or the caller
 * hung up).
 */
export type CallbackOfferOutcome =
  | { readonly kind: "notYet" | "declined" | "failed" | "stopped" }
  | { readonly kind: "stored"; readonly request: CallbackRequestInput };

/**
 * Offers a callback to a caller waiting in a queue node's line when its
 * estimated wait is above `callbackOfferSeconds`: plays `callbackPrompt`
 * (1 accepts), then `callbackNumberPrompt` (1 keeps the caller's own
 * number, or digits ended by `#`, two tries), and stores the request
 * through `callbacks`. The hold music is stopped for the offer and left
 * stopped; the caller stays in line throughout. `signal` (a slot came, the
 * caller hung up) cuts the prompts short, but a request being stored is
 * waited for: once stored, the caller is owed a callback.
 */
export async function offerCallback(
  data: QueueData,
  context: NodeContext,
  callbacks: CallbackRequests,
  place: CallbackPlace,
  signal: AbortSignal,
): Promise<CallbackOfferOutcome> {
  const { call, state, music } = context;
  const threshold = data.callbackOfferSeconds;
  if (threshold === null) return { kind: "declined" };
  let estimate: number | null;
  try {
    estimate = await estimateWaitMs(context, place.queueId);
  } catch (error) {
    if (signal.aborted) return { kind: "stopped" };
    state.error(error, { during: "callbackOffer" });
    return { kind: "notYet" };
  }
  if (signal.aborted) return { kind: "stopped" };
  if (estimate === null || estimate <= threshold * 1000) return { kind: "notYet" };
  await music.stop();
  if (signal.aborted) return { kind: "stopped" };
  state.note("callbackOffered", { estimatedWaitMs: estimate });
  let number: string | null;
  try {
    const accepted = await promptForKeys(context, data.callbackPrompt, {
      minDigits: 1,
      maxDigits: 1,
      tries: 1,
      timeoutMs: CALLBACK_OFFER_KEY_TIMEOUT_MS,
      terminators: "none",
      regex: "1",
      signal,
    });
    if (signal.aborted) return { kind: "stopped" };
    if (accepted.status !== "collected" || accepted.digits !== "1") {
      state.note("callbackDeclined", { status: accepted.status });
      return { kind: "declined" };
    }
    number = await askForNumber(data, context, signal);
  } catch (error) {
    // Cut short by a slot or a hang-up: nothing was asked of the store.
    if (signal.aborted) return { kind: "stopped" };
    throw error;
  }
  if (signal.aborted) return { kind: "stopped" };
  if (number === null) {
    state.note("callbackDeclined", { status: "noNumber" });
    return { kind: "declined" };
  }
  const request: CallbackRequestInput = {
    queueId: place.queueId,
    number,
    callerName: call.info.callerIdName === "" ? null : call.info.callerIdName,
    callUuid: call.info.uuid,
    requestedAt: place.joinedAt,
    priority: place.priority,
    maxAttempts: data.callbackMaxAttempts,
    retryAfterMs: data.callbackRetrySeconds * 1000,
    flowNodeId: place.nodeId,
    flowVersionId: context.flowVersionId,
  };
  try {
    await callbacks.request(request);
  } catch (error) {
    state.error(error, { during: "callbackRequest", queueId: place.queueId });
    return { kind: "failed" };
  }
  state.note("callbackStored", { number, requestedAt: place.joinedAt });
  return { kind: "stored", request };
}

/** The number to call back: the caller's own (1), or keyed in and ended by `#`; `null` when none came. */
async function askForNumber(
  data: QueueData,
  context: NodeContext,
  signal: AbortSignal,
): Promise<string | null> {
  const own = context.call.info.callerIdNumber;
  const ownUsable = /^\+?[0-9]{3,32}$/.test(own);
  const result = await promptForKeys(context, data.callbackNumberPrompt, {
    minDigits: 1,
    maxDigits: 20,
    tries: 2,
    timeoutMs: CALLBACK_NUMBER_TIMEOUT_MS,
    digitTimeoutMs: CALLBACK_DIGIT_TIMEOUT_MS,
    terminators: "#",
    // 1 alone keeps the caller's number (when there is one); anything else is a number.
    regex: ownUsable ? "^(1|[0-9]{3,20})$" : "^[0-9]{3,20}$",
    signal,
  });
  if (result.status !== "collected") return null;
  return result.digits === "1" && ownUsable ? own : result.digits;
}

import type { FlowNodeOf } from "../flow-graph.js";
import type { QueueData } from "../nodes/queue.js";
import type { CallbackRequestInput } from "./flow-runtime.js";
import type { NodeContext } from "./node-context.js";
import { fillPrompt, playPrompt } from "./play-prompt.js";

/** Without announcements, how often a waiting caller's estimate is checked for a callback offer. */
export const OFFER_CHECK_SECONDS = 30;

/** What `play_and_get_digits` plays when the prompt itself was spoken beforehand. */
const SILENCE = "silence_stream://250";
/** How long the caller has to answer the offer, and to confirm or key a number. */
const ANSWER_TIMEOUT_MS = 8000;
/** A number keyed in: 3 to 20 digits (the `#` that ends it is not part of it). */
const KEYED_NUMBER = /^[0-9]{3,20}$/;

/** True when the caller's estimated wait in `data.queueId` is over the node's `callbackOfferSeconds`. */
export async function callbackDue(data: QueueData, context: NodeContext): Promise<boolean> {
  const threshold = data.callbackOfferSeconds;
  if (threshold === null) return false;
  const { runtime, queue, call } = context;
  const estimateMs = runtime.estimateWaitMs
    ? await runtime.estimateWaitMs(data.queueId, call.info.uuid)
    : await queue.estimatedWaitMs(data.queueId, call.info.uuid);
  return estimateMs !== null && estimateMs > threshold * 1000;
}

/**
 * Offers a waiting caller a callback: the offer (1 accepts, anything else or
 * silence keeps them waiting), then the number — 1 confirms the caller's
 * own, or they key another ending with `#` — and stores the request through
 * the runtime's `callbacks` port. Returns the stored request; `null` when
 * the caller declined, gave no usable number, `signal` aborted (their slot
 * came: the offer stops at once), or the request could not be stored (noted
 * in the trace; the caller keeps their place).
 */
export async function offerCallback(
  node: FlowNodeOf<"queue">,
  context: NodeContext,
  options: { readonly priority: number; readonly signal: AbortSignal },
): Promise<CallbackRequestInput | null> {
  const { data } = node;
  const { call, state, runtime } = context;
  const { signal } = options;
  const callbacks = runtime.callbacks;
  if (!callbacks || signal.aborted) return null;
  state.note("callbackOffered", { queueId: data.queueId });
  const choice = await ask(context, data.callbackPrompt, signal, {
    maxDigits: 1,
    terminators: "none",
  });
  if (choice !== "1") {
    state.note("callbackDeclined", { digits: choice });
    return null;
  }
  const own = call.info.callerIdNumber;
  const confirm = await ask(context, data.callbackConfirmPrompt, signal, {
    maxDigits: 20,
    terminators: "#",
    variables: { callback_number: spokenDigits(own) },
  });
  const number = confirm === "1" && own !== "" ? own : confirm;
  if (number === null || (number !== own && !KEYED_NUMBER.test(number))) {
    state.note("callbackDeclined", { digits: confirm, reason: "noNumber" });
    return null;
  }
  if (signal.aborted) return null;
  const request: CallbackRequestInput = {
    queueId: data.queueId,
    number,
    callerName: call.info.callerIdName || null,
    callUuid: call.info.uuid,
    requestedAt: state.enqueuedAt ?? state.now(),
    priority: options.priority,
    maxAttempts: data.callbackMaxAttempts,
    retryAfterMs: data.callbackRetrySeconds * 1000,
    flowNodeId: node.id,
  };
  try {
    await callbacks.request(request);
  } catch (error) {
    state.error(error, { during: "callbackRequest", queueId: data.queueId });
    return null;
  }
  state.note("callbackRequested", { queueId: data.queueId, number });
  return request;
}

/**
 * Speaks or plays `prompt`, then collects keys; the digits, or `null` on
 * silence or when `signal` aborted (the prompt is cut short).
 */
async function ask(
  context: NodeContext,
  prompt: QueueData["callbackPrompt"],
  signal: AbortSignal,
  keys: {
    readonly maxDigits: number;
    readonly terminators: string;
    readonly variables?: Record<string, string>;
  },
): Promise<string | null> {
  const { call } = context;
  const text = await fillPrompt(context, prompt, keys.variables);
  if (signal.aborted) return null;
  await playPrompt(context, prompt, { signal, text });
  if (signal.aborted) return null;
  try {
    const result = await call.collectDigits({
      prompt: SILENCE,
      minDigits: 1,
      maxDigits: keys.maxDigits,
      tries: 1,
      timeoutMs: ANSWER_TIMEOUT_MS,
      terminators: keys.terminators,
      signal,
    });
    return result.status === "collected" ? result.digits : null;
  } catch (error) {
    if (signal.aborted) return null;
    throw error;
  }
}

/** A number as a speech engine should read it: digit by digit. */
function spokenDigits(number: string): string {
  return number.split("").join(" ");
}

import type { CallSession, PlaybackStatus } from "../../call-control/call-session.js";
import type { Queue } from "../../queue/queue.js";
import { formatEstimatedWait, interpolate, placeholdersIn } from "../interpolate.js";
import { type Prompt, promptTemplate } from "../prompt.js";
import type { CallState } from "./call-state.js";
import type { FlowRuntime } from "./flow-runtime.js";

/** What playing a prompt needs from the call. */
export interface PromptContext {
  readonly call: CallSession;
  readonly state: CallState;
  readonly queue: Queue;
  /** For its `estimateWaitMs`, when the host gives one. */
  readonly runtime?: Pick<FlowRuntime, "estimateWaitMs">;
}

/**
 * The text of a prompt (its file path, or the words to speak) with its
 * placeholders filled: the caller's channel variables, `{caller_id_number}`,
 * `{caller_id_name}`, `{destination_number}`, and `{position}` / `{ewt}` in
 * the queue the call waits in or last waited in (empty when it is not in
 * line), and any `extra` values the caller of this function adds. Missing
 * placeholders are noted in the trace.
 */
export async function fillPrompt(
  context: PromptContext,
  prompt: Prompt,
  extra: Readonly<Record<string, string>> = {},
): Promise<string> {
  const { call, state } = context;
  const template = promptTemplate(prompt);
  const { text, missing } = interpolate(template, {
    ...call.info.variables,
    ...extra,
    caller_id_number: call.info.callerIdNumber,
    caller_id_name: call.info.callerIdName,
    destination_number: call.info.destinationNumber,
    ...(await placeInLine(context, template)),
  });
  if (missing.length > 0) state.note("placeholdersMissing", { missing });
  return text;
}

/**
 * Plays a prompt, placeholders filled ({@link fillPrompt}): a file through
 * `call.play`, text through `call.speak`. The trace notes what was played
 * (`prompt`, the file or the words, placeholders filled) or that it would
 * not play (`playbackFailed`; the call carries on). Returns what was played and how.
 */
export async function playPrompt(
  context: PromptContext,
  prompt: Prompt,
  options: {
    readonly signal?: AbortSignal;
    /** The prompt's text already filled by {@link fillPrompt} (not filled again). */
    readonly text?: string;
  } = {},
): Promise<{ readonly text: string; readonly status: PlaybackStatus }> {
  const { call, state } = context;
  const text = options.text ?? (await fillPrompt(context, prompt));
  const signal = options.signal;
  let status: PlaybackStatus;
  if (prompt.kind === "file") {
    status = await call.play(text, signal ? { signal } : {});
  } else {
    status = await call.speak(text, {
      ...(signal ? { signal } : {}),
      ...(prompt.voice !== undefined ? { voice: prompt.voice } : {}),
    });
  }
  const what = { [prompt.kind === "file" ? "file" : "text"]: text };
  if (status === "notFound" || status === "error")
    state.note("playbackFailed", { status, ...what });
  else state.note("prompt", { status, ...what });
  return { text, status };
}

/** `position` and `ewt` of the call in its queue's line, when the template asks for them. */
async function placeInLine(
  context: PromptContext,
  template: string,
): Promise<{ position?: number; ewt?: string }> {
  const { state, queue, call, runtime } = context;
  const wanted = placeholdersIn(template);
  const queueId = state.queueId;
  if (queueId === null || !(wanted.includes("position") || wanted.includes("ewt"))) return {};
  try {
    const [position, ewtMs] = await Promise.all([
      queue.position(queueId, call.info.uuid),
      runtime?.estimateWaitMs
        ? runtime.estimateWaitMs(queueId, call.info.uuid)
        : queue.estimatedWaitMs(queueId, call.info.uuid),
    ]);
    return {
      ...(position !== null ? { position } : {}),
      ...(ewtMs !== null ? { ewt: formatEstimatedWait(ewtMs / 1000) } : {}),
    };
  } catch (error) {
    state.error(error, { during: "placeInLine", queueId });
    return {};
  }
}

import type { CollectDigitsResult } from "../../call-control/call-session.js";
import type { FlowNodeOf } from "../flow-graph.js";
import type { MenuData } from "../nodes/menu.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import { fillPrompt, playPrompt } from "./play-prompt.js";

/** What `play_and_get_digits` plays when the prompt itself was spoken beforehand. */
const SILENCE = "silence_stream://250";

/**
 * A `menu` node: asks for one key, `retries + 1` times at most, and leaves
 * by the key's output, `timeout` (no key on the last try) or `invalid` (a
 * key not on the menu on the last try).
 *
 * A sound-file prompt goes to the switch's `play_and_get_digits` in one go,
 * so callers may key in while it plays. A spoken prompt is spoken first and
 * the key collected after it, try by try (text cannot be a
 * `play_and_get_digits` prompt); keys pressed while it is spoken are not seen.
 */
export async function runMenuNode(
  node: FlowNodeOf<"menu">,
  context: NodeContext,
): Promise<NodeResult> {
  const { data } = node;
  await context.takeChannel();
  const keys = data.options.map((option) => option.digit);
  const native = data.prompt.kind === "file" && (data.invalidPrompt?.kind ?? "file") === "file";
  const result = native
    ? await collectWithFile(data, keys, context)
    : await collectAfterSpeech(data, keys, context);
  if (result.status === "collected") {
    return keys.includes(result.digits)
      ? { output: result.digits, detail: { digits: result.digits } }
      : { output: "invalid", detail: { digits: result.digits } };
  }
  return result.status === "invalid"
    ? { output: "invalid", detail: { digits: result.digits } }
    : { output: "timeout" };
}

function collectOptions(data: MenuData, keys: readonly string[]) {
  return {
    minDigits: 1,
    maxDigits: 1,
    timeoutMs: data.timeoutSeconds * 1000,
    // One key is the whole entry; `#` may be a menu key, so none ends it.
    terminators: "none",
    regex: `[${keys.join("")}]`,
  };
}

async function collectWithFile(
  data: MenuData,
  keys: readonly string[],
  context: NodeContext,
): Promise<CollectDigitsResult> {
  const prompt = await fillPrompt(context, data.prompt);
  const invalidPrompt = data.invalidPrompt
    ? await fillPrompt(context, data.invalidPrompt)
    : undefined;
  return context.call.collectDigits({
    ...collectOptions(data, keys),
    prompt,
    ...(invalidPrompt !== undefined ? { invalidPrompt } : {}),
    tries: data.retries + 1,
  });
}

async function collectAfterSpeech(
  data: MenuData,
  keys: readonly string[],
  context: NodeContext,
): Promise<CollectDigitsResult> {
  let result: CollectDigitsResult = { status: "timeout" };
  for (let attempt = 0; attempt <= data.retries; attempt++) {
    await playPrompt(context, data.prompt);
    result = await context.call.collectDigits({
      ...collectOptions(data, keys),
      prompt: SILENCE,
      tries: 1,
    });
    if (result.status === "collected") return result;
    if (result.status === "invalid" && data.invalidPrompt)
      await playPrompt(context, data.invalidPrompt);
  }
  return result;
}

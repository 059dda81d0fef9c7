import type { CollectDigitsOptions, CollectDigitsResult } from "../../call-control/call-session.js";
import type { Prompt } from "../prompt.js";
import { fillPrompt, type PromptContext, playPrompt } from "./play-prompt.js";

/** What `play_and_get_digits` plays when the prompt itself was spoken beforehand. */
const SILENCE = "silence_stream://250";

/** How {@link promptForKeys} collects: `collectDigits`' options, with prompts as flows write them. */
export type PromptForKeysOptions = Omit<CollectDigitsOptions, "prompt" | "invalidPrompt"> & {
  /** Played after an entry that does not match `regex`, before the next try. */
  readonly invalidPrompt?: Prompt | undefined;
};

/**
 * Plays `prompt` and collects keys, `tries` times at most (placeholders
 * filled). A sound-file prompt (and invalid prompt) goes to the switch's
 * `play_and_get_digits` in one go, so callers may key in while it plays.
 * A spoken prompt is spoken first and the keys collected after it, try by
 * try (text cannot be a `play_and_get_digits` prompt); keys pressed while
 * it is spoken are not seen.
 */
export async function promptForKeys(
  context: PromptContext,
  prompt: Prompt,
  options: PromptForKeysOptions,
): Promise<CollectDigitsResult> {
  const { invalidPrompt, ...collect } = options;
  const { call } = context;
  if (prompt.kind === "file" && (invalidPrompt?.kind ?? "file") === "file") {
    const invalid = invalidPrompt ? await fillPrompt(context, invalidPrompt) : undefined;
    return call.collectDigits({
      ...collect,
      prompt: await fillPrompt(context, prompt),
      ...(invalid !== undefined ? { invalidPrompt: invalid } : {}),
    });
  }
  const signal = collect.signal;
  let result: CollectDigitsResult = { status: "timeout" };
  for (let attempt = 0; attempt < collect.tries; attempt++) {
    await playPrompt(context, prompt, signal ? { signal } : {});
    result = await call.collectDigits({ ...collect, prompt: SILENCE, tries: 1 });
    if (result.status === "collected") return result;
    if (result.status === "invalid" && invalidPrompt) {
      await playPrompt(context, invalidPrompt, signal ? { signal } : {});
    }
  }
  return result;
}

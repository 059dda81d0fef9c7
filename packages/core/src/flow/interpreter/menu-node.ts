import type { FlowNodeOf } from "../flow-graph.js";
import type { MenuData } from "../nodes/menu.js";
import type { NodeContext, NodeResult } from "./node-context.js";
import { promptForKeys } from "./prompt-for-keys.js";

/**
 * A `menu` node: asks for one key, `retries + 1` times at most, and leaves
 * by the key's output, `timeout` (no key on the last try) or `invalid` (a
 * key not on the menu on the last try).
 *
 * The prompt is played and the key collected by {@link promptForKeys}: a
 * sound file lets callers key in while it plays, a spoken prompt does not.
 */
export async function runMenuNode(
  node: FlowNodeOf<"menu">,
  context: NodeContext,
): Promise<NodeResult> {
  const { data } = node;
  await context.takeChannel();
  const keys = data.options.map((option) => option.digit);
  const result = await promptForKeys(context, data.prompt, {
    ...collectOptions(data, keys),
    invalidPrompt: data.invalidPrompt,
    tries: data.retries + 1,
  });
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

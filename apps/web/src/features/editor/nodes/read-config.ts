import { type FlowNodeType, flowNodeTypes, type NodeData } from "@ringflow/core/flow";

/**
 * A node's config for its summary: parsed (defaults filled) when valid, as
 * written otherwise. Summaries read it defensively: a field may be missing
 * or wrong while the admin is still filling the node in.
 */
export function readConfig<T extends FlowNodeType>(
  type: T,
  data: Record<string, unknown>,
): Partial<NodeData<T>> {
  // Configs are immutable and shared between renders: parse each once.
  let read = cache.get(data);
  if (read === undefined) {
    const parsed = flowNodeTypes[type].dataSchema.safeParse(data);
    read = parsed.success ? (parsed.data as Record<string, unknown>) : data;
    cache.set(data, read);
  }
  return read as Partial<NodeData<T>>;
}

const cache = new WeakMap<Record<string, unknown>, Record<string, unknown>>();

/** A prompt in a few words: the file's name or the start of the text. */
export function describePrompt(prompt: unknown): string {
  if (typeof prompt !== "object" || prompt === null) return "No message yet";
  const p = prompt as { kind?: unknown; file?: unknown; text?: unknown };
  if (p.kind === "file")
    return typeof p.file === "string" && p.file !== "" ? `▶ ${p.file}` : "No file yet";
  if (typeof p.text === "string" && p.text.trim() !== "") return `“${p.text.trim()}”`;
  return "No text yet";
}

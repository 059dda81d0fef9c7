import { z } from "zod";
import type { FlowOutput } from "./node-type.js";
import { getNodeType } from "./node-types.js";

/**
 * The outputs of a node whose config may still be incomplete, as the editor
 * draws its handles: a queue whose id is not chosen yet still has `acquired`
 * and `timeout`. With a valid config they are exactly `nodeOutputs`'.
 * Otherwise each top-level field that breaks its schema is read as its
 * default (or as written, when it has none) and the outputs computed from
 * that; `undefined` when even that fails (a menu whose `options` is not a
 * list) or the type is unknown. Ids are unique (first wins), so a menu with a
 * key listed twice still gives one handle per key.
 *
 * The validator judges edges only against a valid config's outputs (see
 * `unknownOutput`), so a handle drawn from a repaired config is checked
 * again once the config is fixed.
 */
export function draftNodeOutputs(type: string, data: unknown): readonly FlowOutput[] | undefined {
  const definition = getNodeType(type);
  if (!definition) return undefined;
  const parsed = definition.dataSchema.safeParse(data);
  let config: unknown = parsed.success ? parsed.data : undefined;
  if (!parsed.success) {
    if (!(definition.dataSchema instanceof z.ZodObject)) return undefined;
    const raw = typeof data === "object" && data !== null ? (data as Record<string, unknown>) : {};
    const repaired: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(
      definition.dataSchema.shape as Record<string, z.ZodType>,
    )) {
      const value = field.safeParse(raw[key]);
      if (value.success) {
        repaired[key] = value.data;
        continue;
      }
      const fallback = field.safeParse(undefined);
      repaired[key] = fallback.success ? fallback.data : raw[key];
    }
    config = repaired;
  }
  let outputs: readonly FlowOutput[];
  try {
    outputs = definition.outputs(config);
  } catch {
    return undefined;
  }
  const seen = new Set<string>();
  return outputs.filter((output) => {
    if (typeof output.id !== "string" || seen.has(output.id)) return false;
    seen.add(output.id);
    return true;
  });
}

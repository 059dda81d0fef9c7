import type { FlowProblem } from "../src/flow/validate/flow-problem.js";
import { validateFlow } from "../src/flow/validate/validate-flow.js";

/** A node as `[id, type, data?]`; without data the type's entry in the valid-data table is used. */
export type NodeSpec = [string, string, Record<string, unknown>?];

/**
 * Returns a builder of flow documents for validator tests: nodes as
 * `[id, type, data?]` (type "dial" is a bridge whose data dials a fixed
 * string), edges as "source.handle->target" with id "source.handle".
 * `validData` gives each type data that passes its schema, so a test
 * changes only what it is about.
 */
export function flowBuilder(validData: Record<string, Record<string, unknown>>) {
  return (nodes: NodeSpec[], edges: string[]) => ({
    schemaVersion: 1,
    nodes: nodes.map(([id, type, data], i) => ({
      id,
      type: type === "dial" ? "bridge" : type,
      position: { x: i * 200, y: 0 },
      data: data ?? validData[type] ?? {},
    })),
    edges: edges.map((spec) => {
      const [from = "", target = ""] = spec.split("->");
      const dot = from.indexOf(".");
      const source = from.slice(0, dot);
      const sourceHandle = from.slice(dot + 1);
      return { id: `${source}.${sourceHandle}`, source, sourceHandle, target };
    }),
  });
}

/** The problems `validateFlow` reports for `json` with the given code. */
export function problems(json: unknown, code: FlowProblem["code"]): FlowProblem[] {
  return validateFlow(json).filter((p) => p.code === code);
}

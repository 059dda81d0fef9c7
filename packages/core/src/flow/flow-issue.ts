import type { z } from "zod";

/** A location in the flow JSON, from its root: `["nodes", 3, "data", "queueId"]`. */
export type FlowPath = readonly (string | number)[];

/** One thing wrong with a flow's JSON, located by path and, when known, by node or edge id. */
export interface FlowIssue {
  readonly path: FlowPath;
  readonly message: string;
  /** The node the path lies in, when the node has a readable id. */
  readonly nodeId?: string;
  /** The edge the path lies in, when the edge has a readable id. */
  readonly edgeId?: string;
}

function idAt(list: unknown, index: unknown): string | undefined {
  if (!Array.isArray(list) || typeof index !== "number") return undefined;
  const element: unknown = list[index];
  if (typeof element !== "object" || element === null) return undefined;
  const id = (element as { id?: unknown }).id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

/** Turns a zod issue on a flow document into a {@link FlowIssue}, reading ids from `input`. */
export function flowIssueFrom(
  issue: z.core.$ZodIssue,
  input: unknown,
  prefix: FlowPath = [],
): FlowIssue {
  const path = [
    ...prefix,
    ...issue.path.map((key) => (typeof key === "symbol" ? String(key) : key)),
  ];
  const root =
    typeof input === "object" && input !== null ? (input as Record<string, unknown>) : {};
  const nodeId = path[0] === "nodes" ? idAt(root.nodes, path[1]) : undefined;
  const edgeId = path[0] === "edges" ? idAt(root.edges, path[1]) : undefined;
  return {
    path,
    message: issue.message,
    ...(nodeId !== undefined && { nodeId }),
    ...(edgeId !== undefined && { edgeId }),
  };
}

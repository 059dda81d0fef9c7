import { RingflowError } from "../errors.js";
import { type FlowGraph, flowGraphSchema } from "./flow-graph.js";
import { type FlowIssue, flowIssueFrom } from "./flow-issue.js";

/** Flow JSON that is not a well-formed flow: wrong shape, unknown node type or invalid config. */
export class FlowParseError extends RingflowError {
  readonly code = "FLOW_INVALID";

  constructor(
    /** Every problem found, each located by path (and node or edge id when readable). */
    readonly issues: readonly FlowIssue[],
  ) {
    const first = issues[0];
    const where = first && first.path.length > 0 ? ` at ${first.path.join(".")}` : "";
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : "";
    super(`invalid flow${where}: ${first?.message ?? "unknown problem"}${more}`);
  }
}

/**
 * Reads a flow from untrusted JSON (a database row, a request, a file):
 * checks its shape and every node's config, fills in defaults and drops
 * unknown fields.
 *
 * It does not judge the graph (a missing start, dangling edges...): that is
 * `validateFlow`'s job, run before a flow is published.
 *
 * @throws {FlowParseError} listing every issue found.
 */
export function parseFlowGraph(json: unknown): FlowGraph {
  const result = flowGraphSchema.safeParse(json);
  if (!result.success) {
    throw new FlowParseError(result.error.issues.map((issue) => flowIssueFrom(issue, json)));
  }
  return result.data;
}

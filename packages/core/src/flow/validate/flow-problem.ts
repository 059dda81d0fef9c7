import type { FlowPath } from "../flow-issue.js";

/** How bad a problem is: errors block publishing, warnings do not. */
export type FlowProblemSeverity = "error" | "warning";

/**
 * Every problem `validateFlow` reports, by code, with its fixed severity.
 * The editor keys off `code` (and `nodeId` / `edgeId` / `path`), never off
 * the message.
 */
export const flowProblemCodes = {
  /** The document is not a flow: `schemaVersion`, `nodes` or `edges` missing or wrong, or too many elements. */
  malformedFlow: { severity: "error", summary: "Not a flow document" },
  /** A node lacks a usable `id`, `type` or `position`, or its `data` is not an object. */
  malformedNode: { severity: "error", summary: "Malformed node" },
  /** An edge lacks a usable `id`, `source`, `sourceHandle` or `target`. */
  malformedEdge: { severity: "error", summary: "Malformed edge" },
  /** Two nodes share an id; reported on the later one, which is otherwise ignored. */
  duplicateNodeId: { severity: "error", summary: "Duplicate node id" },
  /** Two edges share an id; reported on the later one, which is otherwise ignored. */
  duplicateEdgeId: { severity: "error", summary: "Duplicate edge id" },
  /** The flow has no `start` node. */
  missingStart: { severity: "error", summary: "No start node" },
  /** More than one `start` node; reported on each one after the first. */
  multipleStarts: { severity: "error", summary: "More than one start node" },
  /** A node's `type` is not a known node type. */
  unknownNodeType: { severity: "error", summary: "Unknown node type" },
  /** A node's config breaks its type's schema; one problem per issue, `path` pointing at the field. */
  invalidNodeConfig: { severity: "error", summary: "Invalid node settings" },
  /** An edge's `source` is not a node of the flow. */
  edgeSourceMissing: { severity: "error", summary: "Edge from a missing node" },
  /** An edge's `target` is not a node of the flow. */
  edgeTargetMissing: { severity: "error", summary: "Edge to a missing node" },
  /** An edge leaves from an output its source node does not have (e.g. a menu key since removed). */
  unknownOutput: { severity: "error", summary: "Edge from an unknown output" },
  /** An edge leaves a terminal node (voicemail, hangup). */
  edgeFromTerminal: { severity: "error", summary: "Edge from a node that ends the call" },
  /** An edge ends at the start node, which takes no input. */
  edgeIntoStart: { severity: "error", summary: "Edge into the start node" },
  /** An output has more than one edge; reported on each edge after the first. */
  outputConnectedTwice: { severity: "error", summary: "Output connected twice" },
  /** An output has no edge: a call leaving through it is hung up. */
  unconnectedOutput: { severity: "warning", summary: "Unconnected output (hangs up)" },
  /** No path from the start leads to this node. */
  unreachableNode: { severity: "warning", summary: "Unreachable node" },
  /** A bridge of the answered leg can be reached without a ring group having just answered. */
  bridgeWithoutAnsweredLeg: { severity: "error", summary: "Bridge without an answered leg" },
  /** After a ring group's `answered`, some path ends or rings again without bridging the agent. */
  answeredLegNotBridged: { severity: "warning", summary: "Answered agent never connected" },
  /** The node is on a loop with no announcement, menu or queue: the call would spin. */
  loopWithoutWait: { severity: "error", summary: "Loop that never waits" },
  /** The start node lists no numbers, so no call can reach the flow. */
  noNumbers: { severity: "warning", summary: "No numbers" },
  /** A `{placeholder}` that is not built in: it is read from the channel variable of that name, "" when unset. */
  unknownPlaceholder: { severity: "warning", summary: "Unknown placeholder" },
  /** A queue's VIP priority is not lower than its normal priority, so VIP callers gain nothing. */
  vipPriorityNotHigher: { severity: "warning", summary: "VIP priority not ahead" },
  /** Two queue nodes of one queue id disagree on `maxConcurrent`; the queue's limit then depends on who joined last. */
  inconsistentQueueSettings: { severity: "warning", summary: "Queue settings differ" },
} as const satisfies Record<
  string,
  { readonly severity: FlowProblemSeverity; readonly summary: string }
>;

/** A problem code; see {@link flowProblemCodes} for each one's meaning and severity. */
export type FlowProblemCode = keyof typeof flowProblemCodes;

/** One problem found in a flow, placed so the editor can show it on the canvas. */
export interface FlowProblem {
  readonly severity: FlowProblemSeverity;
  readonly code: FlowProblemCode;
  /** For people; may change wording at any time. */
  readonly message: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  /**
   * Where in the flow JSON, from its root. For a node's config the field is
   * `path.slice(3)`: `["nodes", 2, "data", "queueId"]` is `queueId` of `nodes[2]`.
   */
  readonly path?: FlowPath;
}

/** True when nothing in `problems` is an error: the flow may be published. */
export function isPublishable(problems: readonly FlowProblem[]): boolean {
  return problems.every((p) => p.severity !== "error");
}

/** Collects problems, taking each code's severity from the code table. */
export class ProblemList {
  readonly problems: FlowProblem[] = [];

  add(
    code: FlowProblemCode,
    message: string,
    where: { nodeId?: string; edgeId?: string; path?: FlowPath } = {},
  ): void {
    this.problems.push({ severity: flowProblemCodes[code].severity, code, message, ...where });
  }
}

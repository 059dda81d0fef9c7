/**
 * The flow graph: the JSON format call flows are stored in, its node types,
 * the pure helpers their behaviour rests on, and the validation that decides
 * whether a flow may be published. One schema, shared by the editor, the API
 * and the worker.
 *
 * A flow is `{ schemaVersion: 1, nodes, edges }`. Each edge leaves a node by
 * a named output (`sourceHandle`) and enters another node; a call follows
 * exactly one edge per output, and an output without an edge hangs up.
 *
 * **Slot scope** (for the interpreter). A `queue` node's slot is taken when
 * the call leaves by `acquired` and held while the call runs through the
 * nodes after it (ring group, bridge, announcements...). It is released when
 * the call ends, when it reaches a `voicemail` or `hangup` node, or when it
 * reaches another `queue` node (including the same one again: the caller
 * rejoins the line). Leaving a queue by `timeout`, `full` or `noAgents`
 * never held a slot.
 *
 * **Visit cap.** The interpreter stops a call after
 * {@link DEFAULT_MAX_NODE_VISITS} node visits unless configured otherwise.
 *
 * @packageDocumentation
 */

export {
  type ConnectableFlow,
  type ConnectionEnd,
  type ConnectionRefusal,
  type ConnectionRefusalCode,
  checkConnection,
  connectionEndOf,
  type EdgeEnds,
  edgeRefusals,
  type NewConnection,
} from "./connection-rules.js";
export { createDemoFlow } from "./demo-flow.js";
export {
  type DiffableEdge,
  type DiffableFlow,
  type DiffableNode,
  type DiffableNote,
  diffFlows,
  type ElementChange,
  type ElementDiff,
  type FlowDiff,
} from "./diff-flows.js";
export { draftNodeOutputs } from "./draft-node-outputs.js";
export { dialStringSchema, resourceIdSchema } from "./fields.js";
export {
  FLOW_SCHEMA_VERSION,
  type FlowDraft,
  type FlowEdge,
  type FlowGraph,
  type FlowGraphInput,
  type FlowNode,
  type FlowNodeOf,
  type FlowNote,
  type FlowPosition,
  flowDraftSchema,
  flowEdgeSchema,
  flowGraphSchema,
  flowNodeSchema,
  flowNoteSchema,
  MAX_FLOW_EDGES,
  MAX_FLOW_NODES,
  MAX_FLOW_NOTES,
} from "./flow-graph.js";
export { type FlowReferences, flowReferences } from "./flow-references.js";
export { builtInPlaceholders, placeholdersIn } from "./interpolate.js";
export { isOpenAt } from "./is-open-at.js";
export { describeNode } from "./node-name.js";
export {
  type FlowOutput,
  type NodeCategory,
  type NodeIconName,
  type NodeTypeDefinition,
  nodeCategories,
  nodeIconNames,
} from "./node-type.js";
export {
  type FlowNodeType,
  flowNodeTypeNames,
  flowNodeTypes,
  getNodeType,
  isFlowNodeType,
  type NodeData,
  type NodeDataInput,
  nodeOutputs,
} from "./node-types.js";
export type { AnnounceData } from "./nodes/announce.js";
export type { BridgeData } from "./nodes/bridge.js";
export {
  type HangupData,
  hangupNodeCauses,
} from "./nodes/hangup.js";
export type { MenuData } from "./nodes/menu.js";
export type { QueueData } from "./nodes/queue.js";
export {
  type RingGroupData,
  type RingGroupNodeMode,
  ringGroupNodeModes,
} from "./nodes/ring-group.js";
export { dialledNumberSchema, type StartData } from "./nodes/start.js";
export {
  isValidTimeZone,
  type OpeningRange,
  type TimeConditionData,
  type Weekday,
  weekdays,
} from "./nodes/time-condition.js";
export type { VoicemailData } from "./nodes/voicemail.js";
export { FlowParseError, parseFlowGraph } from "./parse-flow-graph.js";
export { type Prompt, promptSchema, promptTemplate } from "./prompt.js";
export {
  assertPublishable,
  type FlowAnnouncer,
  FlowNotPublishableError,
  type FlowPublished,
} from "./publish-check.js";
export {
  type CallPath,
  callPathFromTrace,
  type NodeVisit,
  type PathStep,
} from "./trace-path.js";
export {
  type FlowProblem,
  type FlowProblemCode,
  type FlowProblemSeverity,
  flowProblemCodes,
  isPublishable,
} from "./validate/flow-problem.js";
export { validateFlow } from "./validate/validate-flow.js";

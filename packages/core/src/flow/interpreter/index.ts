export {
  CALL_OUTCOMES,
  type CallOutcome,
  type CallProgress,
  type CallReport,
  type FlowTraceStep,
} from "./call-report.js";
export { FlowGraphError, FlowVisitLimitError } from "./errors.js";
export type { FlowRuntime, RunFlowOptions } from "./flow-runtime.js";
export { runFlow } from "./run-flow.js";

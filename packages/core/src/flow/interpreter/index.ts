/**
 * @packageDocumentation
 * The flow interpreter: `runFlow` walks a published flow for one call
 * through the `CallSession` and `CallControl` ports, with the runtime's
 * queue, balancer and agent registry, and reports the call's progress,
 * outcome and trace.
 */

export { DEFAULT_MAX_NODE_VISITS } from "../visit-limit.js";
export type { CallProgress, CallReport, FlowTraceStep } from "./call-report.js";
export {
  type ConnectCallbackOptions,
  type ConnectCallbackResult,
  callbackItemId,
  connectCallback,
  isCallbackItemId,
  ringGroupAfterQueue,
} from "./connect-callback.js";
export { FlowGraphError, FlowVisitLimitError } from "./errors.js";
export type {
  CallbackRequestInput,
  CallbackRequests,
  FlowRuntime,
  RunFlowOptions,
} from "./flow-runtime.js";
export { runFlow } from "./run-flow.js";

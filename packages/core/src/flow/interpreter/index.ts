/**
 * @packageDocumentation
 * The flow interpreter: `runFlow` walks a published flow for one call
 * through the `CallSession` and `CallControl` ports, with the runtime's
 * queue, balancer and agent registry, and reports the call's progress,
 * outcome and trace.
 */

export { DEFAULT_MAX_NODE_VISITS } from "../visit-limit.js";
export type { CallProgress, CallReport, FlowTraceStep } from "./call-report.js";
export type { CallbackRequestInput, CallbackRequests } from "./callback-requests.js";
export {
  type CallbackCustomer,
  type CallbackNoAgentReason,
  type ConnectCallbackOptions,
  type ConnectCallbackResult,
  type CustomerNotReachedReason,
  connectCallback,
  DEFAULT_CALLBACK_CUSTOMER_TIMEOUT_MS,
  DEFAULT_CALLBACK_WHISPER,
} from "./connect-callback.js";
export { FlowGraphError, FlowVisitLimitError } from "./errors.js";
export type { FlowRuntime, RunFlowOptions } from "./flow-runtime.js";
export { runFlow } from "./run-flow.js";

/**
 * @packageDocumentation
 * The flow interpreter. A worker builds one `FlowEngine` from its
 * `FlowRuntime` (queue, switch, balancer, agent registry) and hands it each
 * call: `engine.run({ flow, call })` walks a published flow for that call
 * through the `CallSession` and `CallControl` ports and reports the call's
 * progress, outcome and trace. The engine keeps what the worker's calls
 * share (the default balancer, the queue's join subscription) until
 * `engine.close()`. `connectCallback` makes a stored callback without a
 * caller's channel.
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
export { FlowEngineClosedError, FlowGraphError, FlowVisitLimitError } from "./errors.js";
export { FlowEngine } from "./flow-engine.js";
export type {
  CallbackRequestInput,
  CallbackRequests,
  FlowRunOptions,
  FlowRuntime,
} from "./flow-runtime.js";

import { RingflowError } from "../../errors.js";

/**
 * A call visited more nodes than the runtime's `maxNodeVisits`: the flow
 * loops without end (validation cannot see every such loop). The call is
 * hung up; the error shows in its trace.
 */
export class FlowVisitLimitError extends RingflowError {
  readonly code = "FLOW_VISIT_LIMIT";

  constructor(
    /** The visits allowed per call. */
    readonly limit: number,
  ) {
    super(`the call visited more than ${limit} nodes; the flow probably loops without end`);
  }
}

/**
 * The flow cannot be run as far as the call got: no start node, or an edge
 * to a node that does not exist (`validateFlow` refuses to publish both).
 */
export class FlowGraphError extends RingflowError {
  readonly code = "FLOW_GRAPH";
}

/**
 * `FlowEngine.run` was called after the engine was closed: the host
 * is running a call on an engine it already shut down.
 */
export class FlowEngineClosedError extends RingflowError {
  readonly code = "FLOW_ENGINE_CLOSED";

  constructor() {
    super("the flow engine is closed");
  }
}

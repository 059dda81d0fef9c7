import { context, type Span, SpanStatusCode, trace } from "@opentelemetry/api";
import type { CallInfo } from "../../call-control/call-session.js";
import { RingflowError } from "../../errors.js";
import type { CallOutcome } from "./call-report.js";

const SCOPE = "@ringflow/core";

/**
 * Spans of one call through `@opentelemetry/api` (no-ops until an SDK
 * registers a TracerProvider): `flow.call` for the whole call and a child
 * `flow.node` per node visit.
 */
export class FlowTelemetry {
  private readonly callSpan: Span;

  constructor(info: CallInfo) {
    this.callSpan = trace.getTracer(SCOPE).startSpan("flow.call", {
      attributes: { "call.uuid": info.uuid, "call.destination_number": info.destinationNumber },
    });
  }

  /** Starts the span of one node visit, a child of the call's span. */
  startNode(nodeId: string, nodeType: string): Span {
    return trace
      .getTracer(SCOPE)
      .startSpan(
        "flow.node",
        { attributes: { "flow.node.id": nodeId, "flow.node.type": nodeType } },
        trace.setSpan(context.active(), this.callSpan),
      );
  }

  /** Ends a node's span with the output it took, or as failed. */
  endNode(span: Span, result: { output?: string; error?: unknown }): void {
    if (result.output !== undefined) span.setAttribute("flow.node.output", result.output);
    if (result.error !== undefined) fail(span, result.error);
    span.end();
  }

  /** Ends the call's span with its outcome. */
  endCall(outcome: CallOutcome, error: unknown): void {
    this.callSpan.setAttribute("call.outcome", outcome);
    if (error !== undefined) fail(this.callSpan, error);
    this.callSpan.end();
  }
}

function fail(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof RingflowError ? error.code : String(error),
  });
}

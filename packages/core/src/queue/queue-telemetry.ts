import {
  type Counter,
  type Histogram,
  metrics,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { RingflowError } from "../errors.js";

/** Instrumentation scope of everything core reports. */
const SCOPE = "@ringflow/core";

/** Values of the `op` attribute of `ringflow.queue.operations`. */
export type QueueOperation = "acquire" | "release" | "timeout" | "abandon";

/**
 * The queue's metrics and spans, through `@opentelemetry/api`: no-ops until
 * an SDK registers providers. The meter is looked up when the queue is built
 * (the metrics API has no late-binding proxy), so register a MeterProvider
 * before creating a `Queue`; spans bind late and work either way.
 */
export class QueueTelemetry {
  private readonly tracer: Tracer = trace.getTracer(SCOPE);
  private readonly operations: Counter;
  private readonly waitDuration: Histogram;

  constructor() {
    const meter = metrics.getMeter(SCOPE);
    this.operations = meter.createCounter("ringflow.queue.operations", {
      description: "Queue slot operations, by outcome (attribute op).",
      unit: "{operation}",
    });
    this.waitDuration = meter.createHistogram("ringflow.queue.wait_duration", {
      description: "Time entries spent in line before acquiring, timing out or abandoning.",
      unit: "s",
    });
  }

  /** Starts the `queue.wait_and_acquire` span of one entry. */
  startWait(queueId: string, itemId: string): Span {
    return this.tracer.startSpan("queue.wait_and_acquire", {
      attributes: { "queue.id": queueId, "queue.item_id": itemId },
    });
  }

  /** Ends a wait span as failed. */
  failWait(span: Span, error: unknown): void {
    if (error instanceof Error) span.recordException(error);
    span.setStatus({
      code: SpanStatusCode.ERROR,
      message: error instanceof RingflowError ? error.code : String(error),
    });
    span.end();
  }

  /** Counts an operation; for the end of a wait, also records how long it was. */
  record(op: QueueOperation, queueId: string, waitMs?: number): void {
    const attributes = { op, "queue.id": queueId };
    this.operations.add(1, attributes);
    if (waitMs !== undefined) this.waitDuration.record(waitMs / 1000, attributes);
  }
}

import {
  type Attributes,
  type Counter,
  type Histogram,
  INVALID_SPAN_CONTEXT,
  metrics,
  ProxyTracerProvider,
  type Span,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { RingflowError } from "../errors.js";

/** Instrumentation scope of everything core reports. */
const SCOPE = "@ringflow/core";

/** What every span is while no tracing SDK is registered: its methods do nothing. */
const nothingRecorded: Span = trace.wrapSpanContext(INVALID_SPAN_CONTEXT);

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
  /** Attribute sets by queue id and operation: built once, not on every operation. */
  private readonly attributes = new Map<string, Record<QueueOperation, Attributes>>();
  /** The last queue's sets: most runs of operations are on one queue. */
  private lastQueueId: string | undefined;
  private lastSets: Record<QueueOperation, Attributes> | undefined;

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
    // No tracing SDK registered (yet: spans bind late, so this is asked each
    // time): a shared span that records nothing, instead of a new one.
    const provider = trace.getTracerProvider();
    if (provider instanceof ProxyTracerProvider && !provider.getDelegateTracer(SCOPE)) {
      return nothingRecorded;
    }
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
    const attributes = this.attributesOf(op, queueId);
    this.operations.add(1, attributes);
    if (waitMs !== undefined) this.waitDuration.record(waitMs / 1000, attributes);
  }

  private attributesOf(op: QueueOperation, queueId: string): Attributes {
    if (queueId === this.lastQueueId && this.lastSets) return this.lastSets[op];
    let sets = this.attributes.get(queueId);
    if (!sets) {
      const of = (name: QueueOperation) => Object.freeze({ op: name, "queue.id": queueId });
      sets = {
        acquire: of("acquire"),
        release: of("release"),
        timeout: of("timeout"),
        abandon: of("abandon"),
      };
      // Bounded: a process that sees many queue ids keeps the latest 1,000.
      if (this.attributes.size >= 1_000) this.attributes.clear();
      this.attributes.set(queueId, sets);
    }
    this.lastQueueId = queueId;
    this.lastSets = sets;
    return sets[op];
  }
}

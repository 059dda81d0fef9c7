import {
  type Attributes,
  type Context,
  type Counter,
  createNoopMeter,
  type Exception,
  type Histogram,
  INVALID_SPAN_CONTEXT,
  type Meter,
  metrics,
  type Span,
  type SpanAttributeValue,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";

// A tiny MeterProvider and TracerProvider registered through the API, so
// core's telemetry tests need no OpenTelemetry SDK.

/** One value added to a counter or recorded by a histogram. */
export interface Measurement {
  readonly instrument: string;
  readonly value: number;
  readonly attributes: Attributes | undefined;
}

/** A span that keeps what was done to it. */
export class RecordedSpan implements Span {
  readonly attributes: Record<string, SpanAttributeValue> = {};
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly exceptions: Exception[] = [];
  ended = false;

  constructor(
    readonly name: string,
    options: SpanOptions | undefined,
    readonly parent: Span | undefined,
  ) {
    Object.assign(this.attributes, options?.attributes);
  }

  spanContext() {
    return INVALID_SPAN_CONTEXT;
  }
  setAttribute(key: string, value: SpanAttributeValue) {
    this.attributes[key] = value;
    return this;
  }
  setAttributes(attributes: Attributes) {
    Object.assign(this.attributes, attributes);
    return this;
  }
  addEvent() {
    return this;
  }
  addLink() {
    return this;
  }
  addLinks() {
    return this;
  }
  setStatus(status: SpanStatus) {
    this.status = status;
    return this;
  }
  updateName() {
    return this;
  }
  end() {
    this.ended = true;
  }
  isRecording() {
    return !this.ended;
  }
  recordException(exception: Exception) {
    this.exceptions.push(exception);
  }
}

/** What the recording providers saw; `clear()` empties both lists in place. */
export interface TelemetryRecord {
  readonly measurements: Measurement[];
  readonly spans: RecordedSpan[];
  clear(): void;
  /** Unregisters the providers (`metrics.disable()`, `trace.disable()`). */
  uninstall(): void;
}

/**
 * Registers recording meter and tracer providers globally. Instruments are
 * taken when a component is built, so install before building it.
 */
export function installRecordingTelemetry(): TelemetryRecord {
  const measurements: Measurement[] = [];
  const spans: RecordedSpan[] = [];
  const meter: Meter = Object.assign(Object.create(createNoopMeter()) as Meter, {
    createCounter: (instrument: string): Counter => ({
      add: (value, attributes) => measurements.push({ instrument, value, attributes }),
    }),
    createHistogram: (instrument: string): Histogram => ({
      record: (value, attributes) => measurements.push({ instrument, value, attributes }),
    }),
  });
  const tracer = {
    startSpan(name: string, options?: SpanOptions, context?: Context) {
      const span = new RecordedSpan(name, options, context && trace.getSpan(context));
      spans.push(span);
      return span;
    },
    startActiveSpan() {
      throw new Error("core starts no active spans");
    },
  } as Tracer;
  metrics.setGlobalMeterProvider({ getMeter: () => meter });
  trace.setGlobalTracerProvider({ getTracer: () => tracer });
  return {
    measurements,
    spans,
    clear() {
      measurements.length = 0;
      spans.length = 0;
    },
    uninstall() {
      metrics.disable();
      trace.disable();
    },
  };
}

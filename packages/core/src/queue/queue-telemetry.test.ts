import {
  type Attributes,
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
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../testing/manual-clock.js";
import { QueueAbortedError, QueueTimeoutError } from "./errors.js";
import { InMemoryBackend } from "./in-memory-backend.js";
import { Queue } from "./queue.js";

// A tiny MeterProvider and TracerProvider registered through the API, so the
// test needs no OpenTelemetry SDK.

interface Measurement {
  readonly instrument: string;
  readonly value: number;
  readonly attributes: Attributes | undefined;
}
let measurements: Measurement[] = [];

const meter: Meter = Object.assign(Object.create(createNoopMeter()) as Meter, {
  createCounter: (instrument: string): Counter => ({
    add: (value, attributes) => measurements.push({ instrument, value, attributes }),
  }),
  createHistogram: (instrument: string): Histogram => ({
    record: (value, attributes) => measurements.push({ instrument, value, attributes }),
  }),
});

class RecordedSpan implements Span {
  readonly attributes: Record<string, SpanAttributeValue> = {};
  status: SpanStatus = { code: SpanStatusCode.UNSET };
  readonly exceptions: Exception[] = [];
  ended = false;

  constructor(
    readonly name: string,
    options: SpanOptions | undefined,
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

let spans: RecordedSpan[] = [];
const tracer = {
  startSpan(name: string, options?: SpanOptions) {
    const span = new RecordedSpan(name, options);
    spans.push(span);
    return span;
  },
  startActiveSpan() {
    throw new Error("the queue starts no active spans");
  },
} as Tracer;

describe("Queue telemetry through @opentelemetry/api", () => {
  let clock: ManualClock;
  let queue: Queue;

  beforeAll(() => {
    metrics.setGlobalMeterProvider({ getMeter: () => meter });
    trace.setGlobalTracerProvider({ getTracer: () => tracer });
  });

  afterAll(() => {
    metrics.disable();
    trace.disable();
  });

  beforeEach(() => {
    measurements = [];
    spans = [];
    clock = new ManualClock();
    // The meter is taken when the queue is built: after the provider is registered.
    queue = new Queue(new InMemoryBackend({ clock }));
  });

  it("counts acquire and release, records the wait in seconds, and spans the wait", async () => {
    const first = await queue.slot("sales", { itemId: "a" });
    const second = queue.slot("sales", { itemId: "b" });
    await clock.advance(1500);
    await first.release();
    await (await second).release();
    expect(measurements).toEqual([
      {
        instrument: "ringflow.queue.operations",
        value: 1,
        attributes: { op: "acquire", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.wait_duration",
        value: 0,
        attributes: { op: "acquire", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.operations",
        value: 1,
        attributes: { op: "release", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.operations",
        value: 1,
        attributes: { op: "acquire", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.wait_duration",
        value: 1.5,
        attributes: { op: "acquire", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.operations",
        value: 1,
        attributes: { op: "release", "queue.id": "sales" },
      },
    ]);
    expect(spans.map((s) => [s.name, s.attributes, s.ended, s.status.code])).toEqual([
      [
        "queue.wait_and_acquire",
        { "queue.id": "sales", "queue.item_id": "a" },
        true,
        SpanStatusCode.UNSET,
      ],
      [
        "queue.wait_and_acquire",
        { "queue.id": "sales", "queue.item_id": "b" },
        true,
        SpanStatusCode.UNSET,
      ],
    ]);
  });

  it("counts a timeout and an abandon with their waits, and marks their spans failed", async () => {
    const held = await queue.slot("sales", { itemId: "a" });
    measurements = [];
    const hangUp = new AbortController();
    // Expectations attach now: the rejections happen while the clock advances.
    const timingOut = expect(
      queue.slot("sales", { itemId: "slow", timeoutMs: 2000 }),
    ).rejects.toBeInstanceOf(QueueTimeoutError);
    const leaving = expect(
      queue.slot("sales", { itemId: "gone", signal: hangUp.signal }),
    ).rejects.toBeInstanceOf(QueueAbortedError);
    await clock.advance(500);
    hangUp.abort();
    await leaving;
    await clock.advance(1500);
    await timingOut;
    expect(measurements).toEqual([
      {
        instrument: "ringflow.queue.operations",
        value: 1,
        attributes: { op: "abandon", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.wait_duration",
        value: 0.5,
        attributes: { op: "abandon", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.operations",
        value: 1,
        attributes: { op: "timeout", "queue.id": "sales" },
      },
      {
        instrument: "ringflow.queue.wait_duration",
        value: 2,
        attributes: { op: "timeout", "queue.id": "sales" },
      },
    ]);
    const failed = spans.filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.map((s) => [s.attributes["queue.item_id"], s.status.message, s.ended])).toEqual([
      ["slow", "QUEUE_TIMEOUT", true],
      ["gone", "QUEUE_ABORTED", true],
    ]);
    expect(failed.every((s) => s.exceptions.length === 1)).toBe(true);
    await held.release();
  });
});

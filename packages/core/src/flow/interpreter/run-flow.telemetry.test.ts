import {
  type Context,
  type Exception,
  INVALID_SPAN_CONTEXT,
  type Span,
  type SpanAttributeValue,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  trace,
} from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest } from "../../../test/flow-harness.js";

// A TracerProvider registered through the API, so the test needs no SDK.
class RecordedSpan implements Span {
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
  setAttributes() {
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

const spans: RecordedSpan[] = [];
const tracer = {
  startSpan(name: string, options?: SpanOptions, context?: Context) {
    const span = new RecordedSpan(name, options, context && trace.getSpan(context));
    spans.push(span);
    return span;
  },
  startActiveSpan() {
    throw new Error("the interpreter starts no active spans");
  },
} as Tracer;

describe("runFlow telemetry through @opentelemetry/api", () => {
  beforeAll(() => {
    trace.setGlobalTracerProvider({ getTracer: () => tracer });
  });

  afterAll(() => {
    trace.disable();
  });

  it("spans the call and, inside it, each node with the output it took or its error", async () => {
    const { clock, start } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        hello: { type: "announce", data: { message: { kind: "speech", text: "Hi" } } },
      },
      [["start", "next", "hello"]],
    );
    const { call, report } = start(flow);
    call.failNext("speak");
    await drive(clock, report);
    const [callSpan, ...nodeSpans] = spans;
    expect(callSpan).toMatchObject({
      name: "flow.call",
      ended: true,
      attributes: {
        "call.uuid": "call-1",
        "call.destination_number": "7000",
        "call.outcome": "failed",
      },
      status: { code: SpanStatusCode.ERROR, message: "CALL_CONTROL" },
    });
    expect(
      nodeSpans.map((s) => [s.name, s.attributes, s.status.code, s.parent === callSpan, s.ended]),
    ).toEqual([
      [
        "flow.node",
        { "flow.node.id": "start", "flow.node.type": "start", "flow.node.output": "next" },
        SpanStatusCode.UNSET,
        true,
        true,
      ],
      [
        "flow.node",
        { "flow.node.id": "hello", "flow.node.type": "announce" },
        SpanStatusCode.ERROR,
        true,
        true,
      ],
    ]);
  });
});

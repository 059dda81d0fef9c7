import { SpanStatusCode } from "@opentelemetry/api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest } from "../../../test/flow-harness.js";
import { installRecordingTelemetry, type TelemetryRecord } from "../../../test/telemetry.js";

describe("FlowEngine.run telemetry through @opentelemetry/api", () => {
  let telemetry: TelemetryRecord;

  beforeAll(() => {
    telemetry = installRecordingTelemetry();
  });

  afterAll(() => {
    telemetry.uninstall();
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
    const [callSpan, ...nodeSpans] = telemetry.spans;
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

import { SpanStatusCode } from "@opentelemetry/api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { installRecordingTelemetry, type TelemetryRecord } from "../../test/telemetry.js";
import { ManualClock } from "../testing/manual-clock.js";
import { QueueAbortedError, QueueTimeoutError } from "./errors.js";
import { InMemoryBackend } from "./in-memory-backend.js";
import { Queue } from "./queue.js";

describe("Queue telemetry through @opentelemetry/api", () => {
  let clock: ManualClock;
  let queue: Queue;

  let telemetry: TelemetryRecord;

  beforeAll(() => {
    telemetry = installRecordingTelemetry();
  });

  afterAll(() => {
    telemetry.uninstall();
  });

  beforeEach(() => {
    telemetry.clear();
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
    expect(telemetry.measurements).toEqual([
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
    expect(telemetry.spans.map((s) => [s.name, s.attributes, s.ended, s.status.code])).toEqual([
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
    telemetry.clear();
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
    expect(telemetry.measurements).toEqual([
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
    const failed = telemetry.spans.filter((s) => s.status.code === SpanStatusCode.ERROR);
    expect(failed.map((s) => [s.attributes["queue.item_id"], s.status.message, s.ended])).toEqual([
      ["slow", "QUEUE_TIMEOUT", true],
      ["gone", "QUEUE_ABORTED", true],
    ]);
    expect(failed.every((s) => s.exceptions.length === 1)).toBe(true);
    await held.release();
  });
});

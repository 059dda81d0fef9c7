import { afterEach, describe, expect, it } from "vitest";
import { drive } from "../../test/drive.js";
import { installRecordingTelemetry, type TelemetryRecord } from "../../test/telemetry.js";
import { FakeCallControl } from "../testing/fake-call-control.js";
import { ManualClock } from "../testing/manual-clock.js";
import { RingGroup } from "./ring-group.js";
import { RingMode } from "./ring-mode.js";

afterEach(() => {
  telemetry?.uninstall();
});
let telemetry: TelemetryRecord | undefined;

describe("RingGroup metrics", () => {
  it("counts operations and results by result through @opentelemetry/api", async () => {
    telemetry = installRecordingTelemetry();
    const clock = new ManualClock();
    const fake = new FakeCallControl({ clock });
    fake.script("user/1001", { kind: "answer", afterMs: 10 }).script("user/1002", { kind: "busy" });
    await drive(clock, RingGroup.run(fake, ["user/1001"], RingMode.Parallel, { clock }));
    await drive(clock, RingGroup.run(fake, ["user/1002"], RingMode.Sequential, { clock }));
    expect(telemetry.measurements).toEqual([
      { instrument: "ringflow.ring_group.operations", value: 1, attributes: { mode: "parallel" } },
      {
        instrument: "ringflow.ring_group.results",
        value: 1,
        attributes: { mode: "parallel", result: "answered" },
      },
      {
        instrument: "ringflow.ring_group.operations",
        value: 1,
        attributes: { mode: "sequential" },
      },
      {
        instrument: "ringflow.ring_group.results",
        value: 1,
        attributes: { mode: "sequential", result: "allBusy" },
      },
    ]);
  });
});

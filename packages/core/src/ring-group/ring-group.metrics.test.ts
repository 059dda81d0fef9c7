import { type Meter, type MeterProvider, metrics } from "@opentelemetry/api";
import { afterEach, describe, expect, it } from "vitest";
import { drive } from "../../test/drive.js";
import { FakeCallControl } from "../testing/fake-call-control.js";
import { ManualClock } from "../testing/manual-clock.js";
import { RingGroup } from "./ring-group.js";
import { RingMode } from "./ring-mode.js";

/** A meter provider that records what is added to each counter. */
function recordingProvider() {
  const added: { counter: string; value: number; attributes: unknown }[] = [];
  const meter = {
    createCounter: (counter: string) => ({
      add: (value: number, attributes?: unknown) => added.push({ counter, value, attributes }),
    }),
  } as unknown as Meter;
  const provider: MeterProvider = { getMeter: () => meter };
  return { provider, added };
}

afterEach(() => {
  metrics.disable();
});

describe("RingGroup metrics", () => {
  it("counts operations and results by result through @opentelemetry/api", async () => {
    const { provider, added } = recordingProvider();
    metrics.setGlobalMeterProvider(provider);
    const clock = new ManualClock();
    const fake = new FakeCallControl({ clock });
    fake.script("user/1001", { kind: "answer", afterMs: 10 }).script("user/1002", { kind: "busy" });
    await drive(clock, RingGroup.run(fake, ["user/1001"], RingMode.Parallel, { clock }));
    await drive(clock, RingGroup.run(fake, ["user/1002"], RingMode.Sequential, { clock }));
    expect(added).toEqual([
      { counter: "ringflow.ring_group.operations", value: 1, attributes: { mode: "parallel" } },
      {
        counter: "ringflow.ring_group.results",
        value: 1,
        attributes: { mode: "parallel", result: "answered" },
      },
      { counter: "ringflow.ring_group.operations", value: 1, attributes: { mode: "sequential" } },
      {
        counter: "ringflow.ring_group.results",
        value: 1,
        attributes: { mode: "sequential", result: "allBusy" },
      },
    ]);
  });
});

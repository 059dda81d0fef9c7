import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { setUpFlowTest } from "../../../test/flow-harness.js";
import { InMemoryLoadBalancer } from "../../balancer/in-memory-load-balancer.js";
import type { LoadBalancer } from "../../balancer/load-balancer.js";
import { createDemoFlow } from "../demo-flow.js";

/** A balancer whose counts cannot be given back: the ring group's background work fails. */
function failingBalancer(): LoadBalancer {
  const inner = new InMemoryLoadBalancer();
  const broken = <T extends { release(): Promise<void> }>(reservation: T): T => ({
    ...reservation,
    release: () => Promise.reject(new Error("cannot give the count back")),
  });
  return {
    reserve: async (destination) => broken(await inner.reserve(destination)),
    reserveLeastBusy: async (candidates) => {
      const reservation = await inner.reserveLeastBusy(candidates);
      return reservation && broken(reservation);
    },
    load: (destinations) => inner.load(destinations),
    close: () => inner.close(),
  };
}

describe("FlowEngine.run: background failures", () => {
  it("go to runtime.onError, and the call goes on", async () => {
    const errors: unknown[] = [];
    const { clock, start, switchboard } = setUpFlowTest({
      runtime: { balancer: failingBalancer(), onError: (error) => errors.push(error) },
    });
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 5000 });
    switchboard.script("user/1002", { kind: "ring" });
    switchboard.script("user/1003", { kind: "busy" });
    const caller = start(createDemoFlow());
    const report = await drive(clock, caller.report);
    expect(report.outcome).toBe("answered");
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.every((e) => e instanceof Error && e.message === "cannot give the count back"),
    ).toBe(true);
  });
});

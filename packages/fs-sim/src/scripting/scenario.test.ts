import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock/manual-clock.js";
import { FsSim } from "../fs-sim.js";
import { applyScenario } from "./apply-scenario.js";
import { scenarioSchema } from "./scenario.js";

describe("scenario files", () => {
  it("rejects unknown fields and applies users, extensions and scheduled callers", async () => {
    expect(() => scenarioSchema.parse({ users: { "1001": { answer: 1 } } })).toThrow();
    const clock = new ManualClock();
    const sim = await FsSim.start({ port: 0, clock });
    try {
      const scenario = scenarioSchema.parse({
        users: { "1001": { behaviour: { answerAfterMs: 500 } }, "1050": { registered: false } },
        dialplan: [{ match: "5000", actions: [{ app: "park" }] }],
        callers: [{ at: 1000, repeat: 2, every: 1000, from: "5551234", to: "5000" }],
      });
      applyScenario(sim, scenario);
      expect(sim.users.get("1050")?.registered).toBe(false);
      await clock.advance(900);
      expect(sim.channels()).toEqual([]);
      await clock.advance(200);
      expect(sim.channels().map((c) => c.destinationNumber)).toEqual(["5000"]);
      await clock.advance(1000);
      expect(sim.channels()).toHaveLength(2);
      expect(sim.channels().every((c) => c.state === "CS_EXECUTE")).toBe(true);
    } finally {
      await sim.stop();
    }
  });
});

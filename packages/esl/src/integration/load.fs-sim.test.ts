import { describe, expect, it } from "vitest";
import { eventually, liveChannels, startRig } from "../../test/sim-rig.js";

const CALLS = 500;

describe("load", () => {
  it(`carries ${CALLS} concurrent outbound sessions: each answered, played and hung up`, async () => {
    // Ten times faster than real time: the prompts are short either way.
    const rig = await startRig({ timeScale: 10 });
    try {
      let answered = 0;
      let releaseAll!: () => void;
      const allUp = new Promise<void>((resolve) => {
        releaseAll = resolve;
      });
      const app = await rig.serveCalls(async (call) => {
        await call.answer();
        answered++;
        if (answered === CALLS) releaseAll();
        // Every call waits here until all of them are up at once.
        await allUp;
        const played = await call.play("tone_stream://%(500,0,440)");
        await call.hangup();
        return { played, ended: await call.ended };
      });
      const calls = Array.from({ length: CALLS }, (_, i) =>
        rig.sim.placeCall({ from: String(5_550_000 + i), to: app.extension }),
      );
      const handled = Promise.all(calls.map(() => app.next()));

      await allUp;
      const up = liveChannels(rig.sim);
      expect(up).toHaveLength(CALLS);
      expect(up.every((c) => c.answerState === "answered")).toBe(true);
      expect(app.server.sessionCount).toBe(CALLS);

      const outcomes = await handled;
      expect(
        outcomes.filter((o) => o.played === "played" && o.ended === "NORMAL_CLEARING"),
      ).toHaveLength(CALLS);
      const results = await Promise.all(calls.map((c) => c.result));
      expect(results.filter((r) => r.answered && r.hangupCause === "NORMAL_CLEARING")).toHaveLength(
        CALLS,
      );
      expect(rig.sim.channels()).toEqual([]);
      await eventually(() => app.server.sessionCount === 0, { what: "every session closed" });
      expect(rig.errors).toEqual([]);
    } finally {
      await rig.close();
    }
  }, 120_000);
});

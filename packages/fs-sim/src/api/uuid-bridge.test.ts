import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock/manual-clock.js";
import { FsSim } from "../fs-sim.js";
import { command, login, type RawClient } from "../testing/raw-client.js";

// What becomes of the uuid_bridge originator when the far end hangs up: the
// end of switch_ivr_multi_threaded_bridge (switch_ivr_bridge.c) applies
// park_after_bridge / hangup_after_bridge to it, then
// uuid_bridge_on_soft_execute sends it back to CS_EXECUTE unless parked.
describe("uuid_bridge: the originator after the far end hangs up", () => {
  let sim: FsSim;
  let clock: ManualClock;
  let c: RawClient;

  beforeEach(async () => {
    clock = new ManualClock();
    sim = await FsSim.start({ port: 0, clock });
    c = await login(sim.port);
  });
  afterEach(async () => {
    c.close();
    await sim.stop();
  });

  async function bridgedPair(variable?: string): Promise<{ a: string; b: string }> {
    const a = "aaaaaaaa-0000-4000-8000-000000000001";
    const b = "bbbbbbbb-0000-4000-8000-000000000002";
    const vars = variable ? `,${variable}` : "";
    for (const [uuid, more] of [
      [a, vars],
      [b, ""],
    ] as const) {
      const r = await command(c, `api originate {origination_uuid=${uuid}${more}}null/x &park()`);
      expect(r.body).toBe(`+OK ${uuid}\n`);
    }
    expect((await command(c, `api uuid_bridge ${a} ${b}`)).body).toBe(`+OK ${b}\n`);
    await clock.advance(100);
    expect(sim.channel(a)?.bridgedTo).toBe(b);
    expect((await command(c, `api uuid_kill ${b}`)).body).toBe("+OK\n");
    await clock.advance(100);
    return { a, b };
  }

  it("parks it with park_after_bridge", async () => {
    const { a } = await bridgedPair("park_after_bridge=true");
    expect(sim.channel(a)).toMatchObject({ state: "CS_PARK", answerState: "answered" });
    expect(sim.channel(a)?.hangupCause).toBeUndefined();
  });

  it("hangs it up with the far end's cause with hangup_after_bridge", async () => {
    const ended = sim.waitForChannel(
      (ch) => ch.uuid === "aaaaaaaa-0000-4000-8000-000000000001" && ch.hangupCause !== undefined,
    );
    await bridgedPair("hangup_after_bridge=true");
    expect((await ended).hangupCause).toBe("NORMAL_CLEARING");
  });

  it("otherwise returns it to CS_EXECUTE, where nothing is left to run", async () => {
    const ended = sim.waitForChannel(
      (ch) => ch.uuid === "aaaaaaaa-0000-4000-8000-000000000001" && ch.hangupCause !== undefined,
    );
    await bridgedPair();
    expect(await ended).toMatchObject({ hangupCause: "NORMAL_CLEARING", state: "CS_EXECUTE" });
  });
});

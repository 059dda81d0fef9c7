import { afterEach, describe, expect, it } from "vitest";
import type { SimClock, TimerHandle } from "../clock/clock.js";
import { ManualClock } from "../clock/manual-clock.js";
import { FsSim } from "../fs-sim.js";
import { command, header, login, type RawClient } from "../testing/raw-client.js";

/** A clock whose timers all fire `lateMs` after they were due, as on a busy machine. */
class LateClock implements SimClock {
  constructor(
    readonly inner: ManualClock,
    private readonly lateMs: number,
  ) {}
  now(): number {
    return this.inner.now();
  }
  setTimeout(callback: () => void, ms: number): TimerHandle {
    return this.inner.setTimeout(callback, ms + this.lateMs);
  }
}

const HOLD_MUSIC = "tone_stream://%(1000,0,350);loops=-1";

describe("scripted caller hangups", () => {
  let sim: FsSim | undefined;
  let c: RawClient | undefined;
  afterEach(async () => {
    c?.close();
    await sim?.stop();
  });

  async function start(clock: SimClock): Promise<RawClient> {
    sim = await FsSim.start({ port: 0, clock });
    // 700 ms of silence before the hold music: the caller only hears the music.
    sim.dialplan.add("4100", [
      { app: "answer" },
      { app: "sleep", arg: "700" },
      { app: "playback", arg: HOLD_MUSIC },
    ]);
    c = await login(sim.port);
    await command(c, "event plain CHANNEL_EXECUTE_COMPLETE");
    return c;
  }

  async function heardOffset(client: RawClient): Promise<string | undefined> {
    const done = await client.until(
      (m) =>
        header(m, "Event-Name") === "CHANNEL_EXECUTE_COMPLETE" &&
        header(m, "Application") === "playback",
    );
    return header(done.hit, "variable_playback_last_offset_pos");
  }

  it("hangupAfterHeardMs counts only the audio the caller heard, not the time before it", async () => {
    const clock = new ManualClock();
    const client = await start(clock);
    const call = sim?.placeCall({ from: "5551234", to: "4100", hangupAfterHeardMs: 1980 });
    await clock.advance(5000);
    // 1980 ms of 8 kHz audio, in whole 20 ms frames.
    expect(await heardOffset(client)).toBe("15840");
    expect((await call?.result)?.hangupCause).toBe("NORMAL_CLEARING");
  });

  it("hangupAfterMs counts from the call's start", async () => {
    const clock = new ManualClock();
    const client = await start(clock);
    sim?.placeCall({ from: "5551234", to: "4100", hangupAfterMs: 1980 });
    await clock.advance(5000);
    const offset = Number(await heardOffset(client));
    expect(offset).toBeLessThan(15840 - 700 * 8 + 1);
  });

  it("audio stops at the instant the BYE was due, however late its timer fires", async () => {
    const inner = new ManualClock();
    const client = await start(new LateClock(inner, 37));
    sim?.placeCall({ from: "5551234", to: "4100", hangupAfterHeardMs: 1980 });
    await inner.advance(6000);
    expect(await heardOffset(client)).toBe("15840");
  });
});

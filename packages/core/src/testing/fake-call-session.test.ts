import { describe, expect, it } from "vitest";
import { CallControlError, CallerHungUpError } from "../call-control/errors.js";
import { FakeCallControl } from "./fake-call-control.js";
import { FakeCallSession } from "./fake-call-session.js";
import { ManualClock } from "./manual-clock.js";

function setUp() {
  const clock = new ManualClock();
  const fake = new FakeCallControl({ clock });
  const call = new FakeCallSession({
    clock,
    callControl: fake,
    uuid: "caller",
    media: (source) =>
      source.kind === "speech"
        ? source.text.length * 100
        : source.file === "moh"
          ? "endless"
          : 3000,
  });
  return { clock, fake, call, t0: clock.now() };
}

/** Settles into `box` as soon as the promise does, so a test can see when. */
function track<T>(promise: Promise<T>): { value?: T; error?: unknown } {
  const box: { value?: T; error?: unknown } = {};
  promise.then(
    (value) => {
      box.value = value;
    },
    (error: unknown) => {
      box.error = error;
    },
  );
  return box;
}

describe("FakeCallSession", () => {
  it("plays for the scripted length, and is interrupted by its signal", async () => {
    const { clock, call, t0 } = setUp();
    const spoken = track(call.speak("Hello"));
    await clock.advance(499);
    expect(spoken.value).toBeUndefined();
    await clock.advance(1);
    expect(spoken.value).toBe("played");
    const stop = new AbortController();
    const music = track(call.play("moh", { signal: stop.signal }));
    await clock.advance(60_000);
    stop.abort();
    await clock.advance(0);
    expect(music.value).toBe("interrupted");
    expect(call.operations.map((o) => [o.op, o.at - t0, (o.endedAt ?? 0) - t0, o.result])).toEqual([
      ["speak", 0, 500, "played"],
      ["play", 500, 60_500, "interrupted"],
    ]);
  });

  it("rejects a second operation while one runs, as the switch would have queued it for ever", async () => {
    const { call } = setUp();
    void call.play("moh");
    await expect(call.speak("Hi")).rejects.toThrow("speak started while play is still running");
  });

  it("ends every pending and later operation with CallerHungUpError once the caller hangs up", async () => {
    const { clock, call, fake, t0 } = setUp();
    const music = track(call.play("moh"));
    call.hangUpAfter(2000, "ORIGINATOR_CANCEL");
    await clock.advance(2000);
    expect(call.signal.aborted).toBe(true);
    expect(music.error).toBeInstanceOf(CallerHungUpError);
    expect(await call.ended).toBe("ORIGINATOR_CANCEL");
    expect(call.endedWith).toEqual({ at: t0 + 2000, cause: "ORIGINATOR_CANCEL" });
    await expect(call.answer()).rejects.toBeInstanceOf(CallerHungUpError);
    expect(fake.channel("caller")).toMatchObject({ state: "ended", cause: "ORIGINATOR_CANCEL" });
  });

  it("collects keys try by try: prompt, then the scripted press, invalid keys counted", async () => {
    const { clock, call, t0 } = setUp();
    call.pressKeys({ digits: "9", afterMs: 500 }, "silence", { digits: "2", afterMs: 1000 });
    const options = {
      prompt: "menu.wav",
      invalidPrompt: "bad.wav",
      minDigits: 1,
      maxDigits: 1,
      tries: 3,
      timeoutMs: 5000,
      regex: "[12]",
    };
    const first = track(call.collectDigits(options));
    // 3 s prompt + 0.5 s; 3 s "bad"; 3 s prompt + 5 s silence; 3 s prompt + 1 s.
    await clock.advance(18_499);
    expect(first.value).toBeUndefined();
    await clock.advance(1);
    expect(first.value).toEqual({ status: "collected", digits: "2" });
    call.pressKeys({ digits: "7" });
    // The invalid prompt plays after a wrong key on the last try too.
    const second = call.collectDigits({ ...options, tries: 1 });
    await clock.advance(6000);
    expect(await second).toEqual({ status: "invalid", digits: "7" });
    const third = call.collectDigits({ ...options, tries: 2 });
    await clock.advance(16_000);
    expect(await third).toEqual({ status: "timeout" });
    expect(call.operationsOf("collectDigits").map((o) => (o.endedAt ?? 0) - t0)).toEqual([
      18_500, 24_500, 40_500,
    ]);
  });

  it("bridges a fake agent leg until the agent hangs up, and stays up afterwards", async () => {
    const { clock, call, fake } = setUp();
    fake.script("user/1001", { kind: "answer", afterMs: 100, hangupAfterMs: 30_000 });
    const leg = await fake.originate({
      uuid: "agent",
      destination: "user/1001",
      timeoutMs: 10_000,
    });
    await clock.advance(100);
    expect(await leg.outcome).toEqual({ answered: true });
    const bridged = track(call.bridge("agent"));
    await clock.advance(0);
    expect(fake.channel("caller")?.bridgedTo).toBe("agent");
    await clock.advance(30_000);
    expect(bridged.value).toEqual({ status: "completed", cause: "NORMAL_CLEARING" });
    expect(fake.channel("caller")).toMatchObject({ state: "answered", bridgedTo: null });
    expect(fake.eventsOf("unbridge")).toEqual([
      { type: "unbridge", at: clock.now(), uuid: "caller", from: "agent" },
    ]);
    expect(call.signal.aborted).toBe(false);
    expect(await call.bridge("agent")).toEqual({
      status: "failed",
      cause: "NORMAL_TEMPORARY_FAILURE",
    });
  });

  it("ends the agent's leg, and rejects the bridge, when the caller hangs up during it", async () => {
    const { clock, call, fake } = setUp();
    fake.script("user/1001", { kind: "answer", afterMs: 0 });
    await fake.originate({ uuid: "agent", destination: "user/1001", timeoutMs: 10_000 });
    await clock.advance(0);
    const bridged = track(call.bridge("agent"));
    await clock.advance(5000);
    call.hangUp();
    await clock.advance(0);
    expect(bridged.error).toBeInstanceOf(CallerHungUpError);
    expect(fake.channel("agent")).toMatchObject({ state: "ended", cause: "NORMAL_CLEARING" });
  });

  it("dials through the fake switch: answered and talked, busy, or cancelled when the caller leaves", async () => {
    const { clock, call, fake } = setUp();
    fake.script(
      "user/2000",
      { kind: "answer", afterMs: 2000, hangupAfterMs: 10_000 },
      { kind: "busy", afterMs: 1000 },
      { kind: "ring" },
    );
    const talked = track(call.bridgeDial("user/2000", { timeoutMs: 20_000 }));
    await clock.advance(12_000);
    expect(talked.value).toEqual({ status: "completed", cause: "NORMAL_CLEARING" });
    const busy = track(call.bridgeDial("user/2000"));
    await clock.advance(1000);
    expect(busy.value).toEqual({ status: "failed", cause: "USER_BUSY" });
    const ringing = track(call.bridgeDial("user/2000"));
    await clock.advance(3000);
    call.hangUp();
    await clock.advance(0);
    expect(ringing.error).toBeInstanceOf(CallerHungUpError);
    expect(fake.channels().at(-1)).toMatchObject({
      destination: "user/2000",
      state: "ended",
      cause: "ORIGINATOR_CANCEL",
    });
  });

  it("fails the next operation of a kind when told to, and records hang-ups and variables", async () => {
    const { call, fake } = setUp();
    call.failNext("answer");
    await expect(call.answer()).rejects.toBeInstanceOf(CallControlError);
    await call.answer();
    await call.setVariable("queue", "sales");
    expect(call.variables).toEqual({ queue: "sales" });
    await call.hangup("USER_BUSY");
    expect(fake.channel("caller")).toMatchObject({ state: "ended", cause: "USER_BUSY" });
    expect(call.operations.map((o) => [o.op, o.result])).toEqual([
      ["answer", { error: "-ERR answer failed (scripted)" }],
      ["answer", undefined],
      ["setVariable", undefined],
      ["hangup", undefined],
    ]);
    expect(call.answeredAt).not.toBeNull();
  });
});

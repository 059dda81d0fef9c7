import { randomUUID } from "node:crypto";
import type { LegOutcome } from "@ringflow/core";
import { ManualClock } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import {
  channelHangup,
  driveUntil,
  driveUntilTrue,
  liveChannels,
  type SimRig,
  startRig,
} from "../../test/sim-rig.js";
import { EslInvalidArgumentError } from "../errors.js";
import type { EslEvent } from "../esl-event.js";

// Through FreeswitchCallControl and EslConnection against fs-sim over real
// TCP, on a manual clock: the switch's timers (phones answering, originate
// timeouts) move only when the test drives them.

let rig: SimRig;
let clock: ManualClock;

async function setUp(): Promise<void> {
  clock = new ManualClock();
  rig = await startRig({ clock });
}

afterEach(async () => {
  expect(rig.errors).toEqual([]);
  await rig.close();
});

describe("originate through FreeswitchCallControl", () => {
  it("rings a phone that answers, then hangs the leg up", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 2000 } });
    const uuid = randomUUID();
    const leg = await rig.control.originate({
      uuid,
      destination: "user/1001",
      timeoutMs: 20_000,
      variables: { origination_caller_id_name: "Support, 2nd line", ringflow_group: "a=b c" },
    });
    const ringing = rig.sim.channel(uuid);
    expect(ringing).toMatchObject({ dialedUser: "1001", answerState: "ringing" });
    // Commas, spaces and `=` survive the switch's three tokenizer passes.
    expect(ringing?.variables).toMatchObject({
      origination_caller_id_name: "Support, 2nd line",
      ringflow_group: "a=b c",
      originate_timeout: "20",
      ignore_early_media: "true",
    });

    const started = clock.now();
    expect(await driveUntil(clock, leg.outcome)).toEqual({ answered: true });
    expect(clock.now() - started).toBeGreaterThanOrEqual(2000);
    expect(clock.now() - started).toBeLessThan(2100);
    // Parked by `&park()`: the park app runs (CS_EXECUTE) until told otherwise.
    expect(rig.sim.channel(uuid)).toMatchObject({
      answerState: "answered",
      callState: "ACTIVE",
      state: "CS_EXECUTE",
      variables: { current_application: "park" },
    });

    const gone = channelHangup(rig.sim, (c) => c.uuid === uuid);
    await leg.hangup();
    expect((await gone).hangupCause).toBe("NORMAL_CLEARING");
    expect(await driveUntil(clock, leg.ended)).toBe("NORMAL_CLEARING");
    expect(rig.sim.channels()).toEqual([]);
  });

  it("speaks to an answered leg alone with uuid_broadcast, spaces and all (a callback's whisper)", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 1000 } });
    const uuid = randomUUID();
    const leg = await rig.control.originate({ uuid, destination: "user/1001", timeoutMs: 20_000 });
    expect(await driveUntil(clock, leg.outcome)).toEqual({ answered: true });
    await rig.control.speakTo(uuid, "Callback for 0 7 7 | it's Ada");
    await driveUntilTrue(
      clock,
      () => rig.sim.channel(uuid)?.variables.current_application === "speak",
    );
    expect(rig.sim.channel(uuid)?.variables.current_application_data).toBe(
      "Callback for 0 7 7 it s Ada",
    );
    await expect(rig.control.speakTo(randomUUID(), "nobody")).rejects.toThrow(/uuid_broadcast/);
    await leg.hangup();
    await driveUntil(clock, leg.ended);
  });

  it("parks an answered leg for at most 120 s: a leg whose worker died before bridging it is not left up for ever", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 1000 } });
    const uuid = randomUUID();
    const leg = await rig.control.originate({ uuid, destination: "user/1001", timeoutMs: 20_000 });
    expect(rig.sim.channel(uuid)?.variables.park_timeout).toBe("120:ALLOTTED_TIMEOUT");
    expect(await driveUntil(clock, leg.outcome)).toEqual({ answered: true });
    const answeredAt = clock.now();
    // Nobody bridges it (its worker is gone): the switch ends it.
    expect(await driveUntil(clock, leg.ended)).toBe("ALLOTTED_TIMEOUT");
    expect(clock.now() - answeredAt).toBeGreaterThanOrEqual(119_000);
    expect(clock.now() - answeredAt).toBeLessThanOrEqual(121_000);
  });

  it("reports busy, no answer, unregistered and unknown users with the switch's causes", async () => {
    await setUp();
    rig.sim.users.set("1002", { behaviour: { busyAfterMs: 500 } });
    rig.sim.users.set("1003", { behaviour: { ringAfterMs: 0 } });
    const ring = (destination: string, timeoutMs = 3000) =>
      rig.control.originate({ uuid: randomUUID(), destination, timeoutMs });
    const busy = await ring("user/1002");
    const silent = await ring("user/1003");
    const unregistered = await ring("user/1019");
    const unknown = await ring("user/9999");
    const legs = [busy, silent, unregistered, unknown];
    // Only the two registered phones get a channel.
    expect(rig.sim.channels().map((c) => c.uuid)).toEqual([busy.uuid, silent.uuid]);

    const started = clock.now();
    const silentEnd = channelHangup(rig.sim, (c) => c.uuid === silent.uuid);
    const outcomes = await driveUntil(clock, Promise.all(legs.map((l) => l.outcome)));
    expect(outcomes).toEqual<LegOutcome[]>([
      { answered: false, cause: "USER_BUSY" },
      { answered: false, cause: "NO_ANSWER" },
      { answered: false, cause: "USER_NOT_REGISTERED" },
      { answered: false, cause: "SUBSCRIBER_ABSENT" },
    ]);
    // originate_timeout=3: the switch gave up on the silent phone after 3 s.
    expect((await silentEnd).hangupCause).toBe("NO_ANSWER");
    expect(clock.now() - started).toBeGreaterThanOrEqual(3000);
    expect(await driveUntil(clock, Promise.all(legs.map((l) => l.ended)))).toEqual([
      "USER_BUSY",
      "NO_ANSWER",
      "USER_NOT_REGISTERED",
      "SUBSCRIBER_ABSENT",
    ]);
    expect(rig.sim.channels()).toEqual([]);
  });

  it("rings several legs in parallel: the first answer wins, the others are cancelled with LOSE_RACE", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 2000 } });
    rig.sim.users.set("1002", { behaviour: { answerAfterMs: 4000 } });
    rig.sim.users.set("1003", { behaviour: { ringAfterMs: 0 } });
    const legs = await Promise.all(
      ["user/1001", "user/1002", "user/1003"].map((destination) =>
        rig.control.originate({ uuid: randomUUID(), destination, timeoutMs: 20_000 }),
      ),
    );
    const [first, ...others] = legs as [(typeof legs)[0], ...typeof legs];
    expect(liveChannels(rig.sim).map((c) => c.answerState)).toEqual([
      "ringing",
      "ringing",
      "ringing",
    ]);
    const winner = await driveUntil(
      clock,
      Promise.race(legs.map((leg) => leg.outcome.then((o) => (o.answered ? leg : null)))),
    );
    expect(winner).toBe(first);

    const losers = others.map((leg) => channelHangup(rig.sim, (c) => c.uuid === leg.uuid));
    await Promise.all(others.map((leg) => leg.hangup("LOSE_RACE")));
    expect((await Promise.all(losers)).map((c) => c.hangupCause)).toEqual([
      "LOSE_RACE",
      "LOSE_RACE",
    ]);
    expect(await driveUntil(clock, Promise.all(others.map((l) => l.outcome)))).toEqual([
      { answered: false, cause: "LOSE_RACE" },
      { answered: false, cause: "LOSE_RACE" },
    ]);
    // 1002 would have answered at 4 s: nothing of it may come back.
    await clock.advance(5000);
    expect(liveChannels(rig.sim).map((c) => c.uuid)).toEqual([first.uuid]);

    await first.hangup();
    expect(await driveUntil(clock, Promise.all(legs.map((l) => l.ended)))).toEqual([
      "NORMAL_CLEARING",
      "LOSE_RACE",
      "LOSE_RACE",
    ]);
  });

  it("cancels a ringing leg with the cause given (ORIGINATOR_CANCEL)", async () => {
    await setUp();
    rig.sim.users.set("1003", { behaviour: { ringAfterMs: 0 } });
    const leg = await rig.control.originate({
      uuid: randomUUID(),
      destination: "user/1003",
      timeoutMs: 20_000,
    });
    await clock.advance(1000);
    const gone = channelHangup(rig.sim, (c) => c.uuid === leg.uuid);
    await leg.hangup(); // while ringing the default is ORIGINATOR_CANCEL
    expect((await gone).hangupCause).toBe("ORIGINATOR_CANCEL");
    expect(await driveUntil(clock, leg.outcome)).toEqual({
      answered: false,
      cause: "ORIGINATOR_CANCEL",
    });
    expect(await driveUntil(clock, leg.ended)).toBe("ORIGINATOR_CANCEL");
  });

  it("refuses a multi-leg dial string, whose extra legs it could not follow", async () => {
    await setUp();
    for (const destination of [
      "user/1001,user/1002",
      "user/1001|user/1002",
      "user/1001:_:user/1002",
    ]) {
      await expect(
        rig.control.originate({ uuid: randomUUID(), destination, timeoutMs: 20_000 }),
      ).rejects.toBeInstanceOf(EslInvalidArgumentError);
    }
    expect(rig.sim.channels()).toEqual([]);
  });
});

describe("the switch's own parallel ring", () => {
  it("a `,` dial string through the originate API hangs the loser up with LOSE_RACE", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 1000 } });
    rig.sim.users.set("1002", { behaviour: { ringAfterMs: 0 } });
    await rig.connection.subscribe(["CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE"]);
    const a = randomUUID();
    const b = randomUUID();
    const seen: EslEvent[] = [];
    rig.connection.onChannelEvent(a, (event) => seen.push(event));
    rig.connection.onChannelEvent(b, (event) => seen.push(event));
    const loser = channelHangup(rig.sim, (c) => c.uuid === b);

    const result = rig.connection.bgapi(
      `originate {ignore_early_media=true}[origination_uuid=${a}]user/1001,[origination_uuid=${b}]user/1002 &park()`,
    );
    expect(await driveUntil(clock, result)).toBe(`+OK ${a}\n`);
    expect((await loser).hangupCause).toBe("LOSE_RACE");
    await driveUntilTrue(clock, () => seen.some((e) => e.name === "CHANNEL_HANGUP_COMPLETE"));
    expect(seen.map((e) => [e.uniqueId === a ? "a" : "b", e.name, e.hangupCause])).toEqual([
      ["a", "CHANNEL_CREATE", undefined],
      ["b", "CHANNEL_CREATE", undefined],
      ["a", "CHANNEL_ANSWER", undefined],
      ["b", "CHANNEL_HANGUP_COMPLETE", "LOSE_RACE"],
    ]);
    expect(liveChannels(rig.sim)).toMatchObject([{ uuid: a, answerState: "answered" }]);
    expect(await rig.connection.hangup(a)).toBe(true);
    expect(await rig.connection.hangup(b)).toBe(false);
  });
});

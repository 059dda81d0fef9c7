import { randomUUID } from "node:crypto";
import { CallerHungUpError } from "@ringflow/core";
import { ManualClock } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import { channelHangup, driveUntil, type SimRig, startRig } from "../../test/sim-rig.js";
import type { EslCallSession } from "../esl-call-session.js";
import type { EslEvent } from "../esl-event.js";
import { CALL_SESSION_EVENTS } from "../esl-outbound-session.js";
import { listen } from "../esl-server.js";
import { FreeswitchCallControl } from "../freeswitch-call-control.js";

// Calls the simulator hands to this package's outbound-socket server
// (`listen`), driven through EslCallSession / EslOutboundSession, with agent
// legs from FreeswitchCallControl; fs-sim runs on a manual clock.

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

/** What a completed app reports: name, data, Application-UUID, response. */
function completion(event: EslEvent): [string?, string?, string?, string?] {
  return [
    event.application,
    event.header("Application-Data"),
    event.applicationUuid,
    event.applicationResponse,
  ];
}

/** Answers, plays a tone and collects one digit (the caller presses it at 700 ms). */
async function answerPlayAndCollect(call: EslCallSession) {
  await call.answer();
  const played = await call.play("tone_stream://%(500,0,440)");
  const digits = await call.collectDigits({
    prompt: "silence_stream://100",
    minDigits: 1,
    maxDigits: 1,
    tries: 1,
    timeoutMs: 2000,
  });
  return { played, digits };
}

describe("event format", () => {
  it("drives a call the same with myevents json as with plain events", async () => {
    await setUp();
    const app = await rig.serveCalls(
      async (call, session) => {
        const names: string[] = [];
        session.onEvent((event) => names.push(event.name ?? ""));
        const { played, digits } = await answerPlayAndCollect(call);
        await call.hangup();
        return { played, digits, ended: await call.ended, names, info: call.info };
      },
      "7150",
      { eventFormat: "json" },
    );
    const caller = rig.sim.placeCall({
      from: "5551234",
      to: app.extension,
      dtmf: [{ at: 700, digits: "7" }],
    });
    const result = await driveUntil(clock, app.next());
    expect(result).toMatchObject({
      played: "played",
      digits: { status: "collected", digits: "7" },
      ended: "NORMAL_CLEARING",
      info: { uuid: caller.uuid, destinationNumber: "7150", callerIdNumber: "5551234" },
    });
    expect(result.names).toEqual(
      expect.arrayContaining(["CHANNEL_ANSWER", "CHANNEL_EXECUTE_COMPLETE", "CHANNEL_HANGUP"]),
    );
  });
});

describe("events", () => {
  it("with events: CALL_SESSION_EVENTS a session is sent only those, and a call with a bridge runs as with all", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 1500 } });
    const app = await rig.serveCalls(
      async (call, session) => {
        const names = new Set<string>();
        session.onEvent((event) => names.add(event.name));
        const { played, digits } = await answerPlayAndCollect(call);
        const bridged = await call.bridgeDial("user/1001");
        await call.hangup();
        return { played, digits, bridged, ended: await call.ended, names: [...names] };
      },
      "7151",
      { eventFormat: "json", events: CALL_SESSION_EVENTS },
    );
    rig.sim.placeCall({ from: "5551234", to: app.extension, dtmf: [{ at: 700, digits: "7" }] });
    const result = await driveUntil(clock, app.next());
    expect(result).toMatchObject({
      played: "played",
      digits: { status: "collected", digits: "7" },
      bridged: { status: "completed" },
      ended: "NORMAL_CLEARING",
    });
    expect(result.names.filter((name) => !CALL_SESSION_EVENTS.includes(name))).toEqual([]);
    expect(result.names).toEqual(
      expect.arrayContaining(["CHANNEL_EXECUTE_COMPLETE", "CHANNEL_BRIDGE", "CHANNEL_UNBRIDGE"]),
    );
  });

  it("refuses to listen with a name that is not an event name, before any call", async () => {
    await expect(
      listen({ port: 0, events: ["CHANNEL_BRIDGE", "x|.*"] }, () => undefined),
    ).rejects.toThrow(RangeError);
  });
});

describe("bridging", () => {
  it("uuid_bridges an outbound caller to an answered parked leg until the agent hangs up", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 2000, hangupAfterMs: 5000 } });
    const agent = randomUUID();
    const app = await rig.serveCalls(async (call) => {
      await call.answer();
      const leg = await rig.control.originate({
        uuid: agent,
        destination: "user/1001",
        timeoutMs: 20_000,
      });
      const outcome = await leg.outcome;
      const bridge = await call.bridge(leg.uuid);
      // park_after_bridge: the caller is still ours once the agent is gone.
      const afterwards = await call.play("ivr/ivr-thank_you_for_calling.wav");
      await call.hangup();
      return { outcome, bridge, afterwards, agentEnded: await leg.ended };
    });
    const caller = rig.sim.placeCall({ from: "5551234", to: app.extension });

    const bridged = await driveUntil(
      clock,
      rig.sim.waitForChannel((c) => c.uuid === caller.uuid && c.bridgedTo === agent),
    );
    expect(bridged.answerState).toBe("answered");
    expect(rig.sim.channel(agent)).toMatchObject({
      bridgedTo: caller.uuid,
      answerState: "answered",
    });

    expect(await driveUntil(clock, app.next())).toEqual({
      outcome: { answered: true },
      bridge: { status: "completed", cause: "NORMAL_CLEARING" },
      afterwards: "played",
      agentEnded: "NORMAL_CLEARING",
    });
    expect(await driveUntil(clock, caller.result)).toMatchObject({
      answered: true,
      hangupCause: "NORMAL_CLEARING",
      bridgedTo: agent,
    });
    expect(rig.sim.channels()).toEqual([]);
  });

  it("with outboundLegEventsOnly, the control connection hears its legs and not the callers", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 1000 } });
    const control = new FreeswitchCallControl(rig.connection, { outboundLegEventsOnly: true });
    control.onError((error) => rig.errors.push(error));
    const heard: Array<[string, string | undefined]> = [];
    rig.connection.onEvent((event) => heard.push([event.name, event.uniqueId]));
    const agent = randomUUID();
    const app = await rig.serveCalls(async (call) => {
      await call.answer();
      const leg = await control.originate({
        uuid: agent,
        destination: "user/1001",
        timeoutMs: 20_000,
      });
      const outcome = await leg.outcome;
      const bridge = await call.bridge(leg.uuid);
      await call.hangup();
      return { outcome, bridge, agentEnded: await leg.ended };
    });
    const caller = rig.sim.placeCall({ from: "5551234", to: app.extension });
    expect(await driveUntil(clock, app.next())).toMatchObject({
      outcome: { answered: true },
      bridge: { status: "completed" },
      agentEnded: "NORMAL_CLEARING",
    });
    await driveUntil(clock, caller.result);
    expect(heard).toEqual(
      expect.arrayContaining([
        ["CHANNEL_ANSWER", agent],
        ["CHANNEL_HANGUP_COMPLETE", agent],
        ["BACKGROUND_JOB", undefined],
      ]),
    );
    expect(heard.filter(([, uuid]) => uuid === caller.uuid)).toEqual([]);
  });

  it("bridgeDial to a busy agent fails with USER_BUSY and keeps the caller up (continue_on_fail)", async () => {
    await setUp();
    rig.sim.users.set("1002", { behaviour: { busyAfterMs: 500 } });
    const app = await rig.serveCalls(async (call) => {
      await call.answer();
      const bridge = await call.bridgeDial("user/1002", { timeoutMs: 10_000 });
      const caller = rig.sim.channel(call.info.uuid);
      const afterwards = await call.play("ivr/ivr-please_try_again.wav");
      await call.hangup();
      return { bridge, callerAfterBridge: caller?.answerState, afterwards };
    });
    const agentEnd = channelHangup(rig.sim, (c) => c.dialedUser === "1002");
    const caller = rig.sim.placeCall({ from: "5551234", to: app.extension });

    expect(await driveUntil(clock, app.next())).toEqual({
      bridge: { status: "failed", cause: "USER_BUSY" },
      callerAfterBridge: "answered",
      afterwards: "played",
    });
    expect((await agentEnd).hangupCause).toBe("USER_BUSY");
    expect(await driveUntil(clock, caller.result)).toMatchObject({
      answered: true,
      hangupCause: "NORMAL_CLEARING",
    });
  });

  it("bridgeDial to an agent who answers completes when the agent hangs up", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 2000, hangupAfterMs: 5000 } });
    const app = await rig.serveCalls(async (call) => {
      await call.answer();
      const bridge = await call.bridgeDial("user/1001", { timeoutMs: 10_000 });
      const callerAfterBridge = rig.sim.channel(call.info.uuid)?.answerState;
      await call.hangup();
      return { bridge, callerAfterBridge };
    });
    const caller = rig.sim.placeCall({ from: "5551234", to: app.extension });
    expect(await driveUntil(clock, app.next())).toEqual({
      bridge: { status: "completed", cause: "NORMAL_CLEARING" },
      callerAfterBridge: "answered",
    });
    expect((await driveUntil(clock, caller.result)).hangupCause).toBe("NORMAL_CLEARING");
  });
});

describe("the caller hangs up while an agent rings", () => {
  it("the switch cancels the agent's leg with ORIGINATOR_CANCEL and the session reports the hangup", async () => {
    await setUp();
    rig.sim.users.set("1003", { behaviour: { ringAfterMs: 0 } });
    const app = await rig.serveCalls(async (call) => {
      await call.answer();
      const failure = await call.bridgeDial("user/1003", { timeoutMs: 30_000 }).then(
        () => undefined,
        (error: unknown) => error,
      );
      return { failure, ended: await call.ended, aborted: call.signal.aborted };
    });
    const agentEnd = channelHangup(rig.sim, (c) => c.dialedUser === "1003");
    const caller = rig.sim.placeCall({ from: "5551234", to: app.extension, hangupAfterMs: 3000 });

    const handled = await driveUntil(clock, app.next());
    expect(handled.failure).toBeInstanceOf(CallerHungUpError);
    expect(handled).toMatchObject({ ended: "NORMAL_CLEARING", aborted: true });
    expect((await agentEnd).hangupCause).toBe("ORIGINATOR_CANCEL");
    expect((await driveUntil(clock, caller.result)).hangupCause).toBe("NORMAL_CLEARING");
    expect(rig.sim.channels()).toEqual([]);
  });
});

describe("execute ordering", () => {
  const steps: Array<[string, string | undefined]> = [
    ["answer", undefined],
    ["set", "ringflow_a=1"],
    ["playback", "tone_stream://%(300,0,440)"],
    ["set", "ringflow_b=2"],
    ["playback", "silence_stream://200"],
    ["set", "ringflow_c=done"],
  ];

  it("event-locked executes sent back to back on a session complete in order, each with its own Application-UUID", async () => {
    await setUp();
    const app = await rig.serveCalls(async (_call, session) => {
      const started: string[] = [];
      session.onEvent((event) => {
        if (event.name === "CHANNEL_EXECUTE" && event.applicationUuid)
          started.push(event.applicationUuid);
      });
      const order: number[] = [];
      const done = steps.map(([name, arg], i) =>
        session.execute(name, arg, { eventLock: true }).then((event) => {
          order.push(i);
          return event;
        }),
      );
      const events = await Promise.all(done);
      await session.hangup();
      return { order, completions: events.map(completion), started };
    });
    const caller = rig.sim.placeCall({ from: "5551234", to: app.extension });
    const { order, completions, started } = await driveUntil(clock, app.next());

    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(completions.map(([name, data]) => [name, data])).toEqual(steps);
    expect(completions.map((c) => c[3])).toEqual([
      "_none_",
      "_none_",
      "FILE PLAYED",
      "_none_",
      "FILE PLAYED",
      "_none_",
    ]);
    const uuids = completions.map((c) => c[2]);
    expect(new Set(uuids).size).toBe(steps.length);
    // The switch started them in the order they were sent, with the ids we sent.
    expect(started).toEqual(uuids);
    expect((await driveUntil(clock, caller.result)).hangupCause).toBe("NORMAL_CLEARING");
  });

  it("without event-lock a set sent during a playback runs inside it, and each execute still gets its own completion", async () => {
    await setUp();
    const app = await rig.serveCalls(async (_call, session) => {
      await session.execute("answer");
      const order: string[] = [];
      const track = (name: string, sent: Promise<EslEvent>) =>
        sent.then((event) => {
          order.push(name);
          return event;
        });
      const [playback, set] = await Promise.all([
        track("playback", session.execute("playback", "tone_stream://%(1000,0,440)")),
        track("set", session.execute("set", "ringflow_during=yes")),
      ]);
      await session.hangup();
      return { order, playback: completion(playback), set: completion(set) };
    });
    rig.sim.placeCall({ from: "5551234", to: app.extension });
    const { order, playback, set } = await driveUntil(clock, app.next());
    expect(order).toEqual(["set", "playback"]);
    expect(playback.slice(0, 2)).toEqual(["playback", "tone_stream://%(1000,0,440)"]);
    expect(playback[3]).toBe("FILE PLAYED");
    expect(set.slice(0, 2)).toEqual(["set", "ringflow_during=yes"]);
    expect(set[2]).not.toBe(playback[2]);
  });

  it("EslCallSession runs operations issued back to back one after another", async () => {
    await setUp();
    const app = await rig.serveCalls(async (call) => {
      const order: string[] = [];
      const step = <T>(name: string, work: Promise<T>) =>
        work.then((value) => {
          order.push(name);
          return value;
        });
      const results = await Promise.all([
        step("answer", call.answer()),
        step("play 1", call.play("tone_stream://%(500,0,440)")),
        step("set", call.setVariable("ringflow_x", "1")),
        step("play 2", call.play("silence_stream://300")),
      ]);
      await call.hangup();
      return { order, results };
    });
    rig.sim.placeCall({ from: "5551234", to: app.extension });
    expect(await driveUntil(clock, app.next())).toEqual({
      order: ["answer", "play 1", "set", "play 2"],
      results: [undefined, "played", undefined, "played"],
    });
  });

  it("event-locked executes on a parked leg over the inbound connection complete in order", async () => {
    await setUp();
    rig.sim.users.set("1001", { behaviour: { answerAfterMs: 500 } });
    const leg = await rig.control.originate({
      uuid: randomUUID(),
      destination: "user/1001",
      timeoutMs: 10_000,
    });
    expect(await driveUntil(clock, leg.outcome)).toEqual({ answered: true });
    const inbound = steps.slice(1);
    const order: number[] = [];
    const done = inbound.map(([name, arg], i) =>
      rig.connection.execute(name, arg, { uuid: leg.uuid, eventLock: true }).then((event) => {
        order.push(i);
        return event;
      }),
    );
    const events = await driveUntil(clock, Promise.all(done));
    expect(order).toEqual([0, 1, 2, 3, 4]);
    expect(events.map((e) => [e.application, e.header("Application-Data")])).toEqual(inbound);
    expect(events.every((e) => e.uniqueId === leg.uuid)).toBe(true);
    expect(new Set(events.map((e) => e.applicationUuid)).size).toBe(inbound.length);
    await leg.hangup();
    expect(await driveUntil(clock, leg.ended)).toBe("NORMAL_CLEARING");
  });
});

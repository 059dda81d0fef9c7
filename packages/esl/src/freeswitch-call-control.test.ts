import { CallControlError, type OriginateRequest, type OutboundLeg } from "@ringflow/core";
import { ManualClock } from "@ringflow/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  acceptInbound,
  apiResponse,
  commandReply,
  FakeSwitch,
  type SwitchPeer,
} from "../test/fake-switch.js";
import { type RecordedMessage, Recording, rewriteEvent, substitute } from "../test/transcripts.js";
import { connect, type EslConnection } from "./esl-connection.js";
import { FreeswitchCallControl } from "./freeswitch-call-control.js";

const run06 = new Recording("06-user-answer.jsonl");
const run07 = new Recording("07-user-no-answer.jsonl");
const run08 = new Recording("08-user-busy-and-absent.jsonl");
const run09 = new Recording("09-parallel-lose-race.jsonl");
const run12 = new Recording("12-uuid-commands.jsonl");

const LEG_06 = "06a00000-0000-4000-8000-000000000006";
const LEG_07 = "07b00000-0000-4000-8000-000000000007";
const LOSER_09 = "09b00000-0000-4000-8000-000000000009";
const RECORDED_JOB_07 = "923c38d4-2a8e-4cf6-9168-a612429aa681";
const SUBSCRIBED = [
  "CHANNEL_CREATE",
  "CHANNEL_ANSWER",
  "CHANNEL_HANGUP",
  "CHANNEL_HANGUP_COMPLETE",
];
const NO_SUCH_CHANNEL = run12.replyTo("inbound-1", "api uuid_kill 12f");
const KILLED = run12.replyTo("inbound-1", "api uuid_kill 12a");

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function setUp(options: { clock?: ManualClock; reconnect?: boolean } = {}): Promise<{
  fake: FakeSwitch;
  peer: SwitchPeer;
  connection: EslConnection;
  control: FreeswitchCallControl;
}> {
  const fake = await FakeSwitch.start();
  cleanups.push(() => fake.close());
  const connecting = connect({
    port: fake.port,
    password: "ClueCon",
    clock: options.clock,
    reconnect: options.reconnect ? { initialDelayMs: 100 } : false,
    random: () => 0,
  });
  const peer = await fake.nextPeer();
  await acceptInbound(peer);
  const connection = await connecting;
  connection.onError(() => undefined);
  cleanups.push(() => connection.disconnect());
  return { fake, peer, connection, control: new FreeswitchCallControl(connection) };
}

/** The leg's recorded events that this call control subscribes to. */
function legEvents(recording: Recording, uuid: string): RecordedMessage[] {
  return recording.events("inbound-1", { names: SUBSCRIBED, uniqueId: uuid });
}

function named(messages: RecordedMessage[], name: string): RecordedMessage[] {
  return messages.filter((m) => m.event?.get("Event-Name") === name);
}

/** FreeSWITCH's bgapi reply (recorded in 07) for the client's Job-UUID. */
function bgapiReply(jobUuid: string): string {
  return substitute(run07.replyTo("inbound-1", "bgapi originate"), RECORDED_JOB_07, jobUuid);
}

/** 07's BACKGROUND_JOB, re-addressed to `jobUuid` with the API output `body`. */
function backgroundJob(jobUuid: string, body: string): string {
  const recorded = run07.event("inbound-1", { names: ["BACKGROUND_JOB"] });
  return rewriteEvent(recorded, { "Job-UUID": jobUuid }, body);
}

/** Answers the subscription the first originate makes, then the bgapi; returns the Job-UUID. */
async function acceptOriginate(
  peer: SwitchPeer,
  subscribe: boolean,
): Promise<{ line: string; jobUuid: string }> {
  if (subscribe) {
    const event = await peer.expect("event plain");
    expect(event.line).toBe(`event plain BACKGROUND_JOB ${SUBSCRIBED.join(" ")}`);
    peer.send(commandReply("+OK event listener enabled plain"));
  }
  const bgapi = await peer.expect("bgapi originate");
  const jobUuid = bgapi.headers["Job-UUID"] ?? "";
  peer.send(bgapiReply(jobUuid));
  return { line: bgapi.line, jobUuid };
}

/** Originates a leg and plays the switch's side until the originate call returns. */
async function ringLeg(
  control: FreeswitchCallControl,
  peer: SwitchPeer,
  request: OriginateRequest,
): Promise<{ leg: OutboundLeg; line: string; jobUuid: string }> {
  const originating = control.originate(request);
  const { line, jobUuid } = await acceptOriginate(peer, true);
  return { leg: await originating, line, jobUuid };
}

describe("FreeswitchCallControl.originate", () => {
  it("rings with bgapi, reports the answer, and hangs up with uuid_kill (06)", async () => {
    const { peer, control } = await setUp();
    const { leg, line, jobUuid } = await ringLeg(control, peer, {
      uuid: LEG_06,
      destination: "user/1001",
      timeoutMs: 10_000,
    });
    // 06's own command, sent as bgapi so the call returns before the phone
    // answers, with a park_timeout for a leg nobody bridges.
    const recorded = run06.commands("inbound-1")[2]?.trim() ?? "";
    expect(line).toBe(
      `bg${recorded.replace("ignore_early_media=true}", "ignore_early_media=true,park_timeout=120:ALLOTTED_TIMEOUT}")}`,
    );
    expect(leg.uuid).toBe(LEG_06);

    const events = legEvents(run06, LEG_06);
    const hangup = events.findIndex((m) => m.event?.get("Event-Name") === "CHANNEL_HANGUP");
    peer.send(
      events
        .slice(0, hangup)
        .map((m) => m.raw)
        .join(""),
    );
    peer.send(backgroundJob(jobUuid, `+OK ${LEG_06}\n`));
    expect(await leg.outcome).toEqual({ answered: true });

    const hangingUp = leg.hangup();
    const kill = await peer.expect("api uuid_kill");
    expect(kill.line).toBe(`api uuid_kill ${LEG_06} NORMAL_CLEARING`);
    peer.send(run06.replyTo("inbound-1", "api uuid_kill"));
    await hangingUp;
    peer.send(
      events
        .slice(hangup)
        .map((m) => m.raw)
        .join(""),
    );
    expect(await leg.ended).toBe("NORMAL_CLEARING");
  });

  it("reports NO_ANSWER from the switch and ends after CHANNEL_HANGUP_COMPLETE (07)", async () => {
    const { peer, control } = await setUp();
    const { leg, line, jobUuid } = await ringLeg(control, peer, {
      uuid: LEG_07,
      destination: "user/1001",
      timeoutMs: 3_000,
    });
    expect(line).toContain("originate_timeout=3,");
    // The leg's events and the BACKGROUND_JOB, in the order FreeSWITCH sent them.
    const recorded = run07
      .events("inbound-1", { names: [...SUBSCRIBED, "BACKGROUND_JOB"] })
      .filter(
        (m) => m.event?.get("Unique-ID") === LEG_07 || m.event?.get("Job-UUID") === RECORDED_JOB_07,
      );
    peer.send(recorded.map((m) => substitute(m.raw, RECORDED_JOB_07, jobUuid)).join(""));
    expect(await leg.outcome).toEqual({ answered: false, cause: "NO_ANSWER" });
    expect(await leg.ended).toBe("NO_ANSWER");
  });

  it("settles outcome and end together when no channel was ever created (08: USER_NOT_REGISTERED)", async () => {
    const { peer, control } = await setUp();
    const { leg, jobUuid } = await ringLeg(control, peer, {
      uuid: "08b00000-0000-4000-8000-000000000008",
      destination: "user/1019",
      timeoutMs: 5_000,
    });
    const recordedBody = run08.replyTo("inbound-1", "api originate {origination_uuid=08b");
    peer.send(backgroundJob(jobUuid, recordedBody.slice(recordedBody.indexOf("\n\n") + 2)));
    expect(await leg.outcome).toEqual({ answered: false, cause: "USER_NOT_REGISTERED" });
    expect(await leg.ended).toBe("USER_NOT_REGISTERED");
  });

  it("cancels a ringing loser with the cause the caller chose (09: LOSE_RACE)", async () => {
    const { peer, control } = await setUp();
    const { leg, jobUuid } = await ringLeg(control, peer, {
      uuid: LOSER_09,
      destination: "user/1002",
      timeoutMs: 20_000,
    });
    const events = legEvents(run09, LOSER_09);
    const hangup = events.findIndex((m) => m.event?.get("Event-Name") === "CHANNEL_HANGUP");
    peer.send(
      events
        .slice(0, hangup)
        .map((m) => m.raw)
        .join(""),
    );

    const cancelling = leg.hangup("LOSE_RACE");
    const kill = await peer.expect("api uuid_kill");
    expect(kill.line).toBe(`api uuid_kill ${LOSER_09} LOSE_RACE`);
    peer.send(KILLED);
    await cancelling;
    peer.send(
      events
        .slice(hangup)
        .map((m) => m.raw)
        .join(""),
    );
    peer.send(backgroundJob(jobUuid, "-ERR LOSE_RACE\n"));
    expect(await leg.outcome).toEqual({ answered: false, cause: "LOSE_RACE" });
    expect(await leg.ended).toBe("LOSE_RACE");
  });

  it("remembers a cancel sent before the channel exists and kills the leg when it appears", async () => {
    const { peer, control } = await setUp();
    const { leg } = await ringLeg(control, peer, {
      uuid: LOSER_09,
      destination: "user/1002",
      timeoutMs: 20_000,
    });
    const cancelling = leg.hangup("ORIGINATOR_CANCEL");
    await peer.expect(`api uuid_kill ${LOSER_09} ORIGINATOR_CANCEL`);
    peer.send(NO_SUCH_CHANNEL);
    await cancelling;

    const events = legEvents(run09, LOSER_09);
    peer.send(named(events, "CHANNEL_CREATE")[0]?.raw ?? "");
    await peer.expect(`api uuid_kill ${LOSER_09} ORIGINATOR_CANCEL`);
    peer.send(KILLED);
    const cancelled = { "Hangup-Cause": "ORIGINATOR_CANCEL" };
    peer.send(rewriteEvent(named(events, "CHANNEL_HANGUP")[0] as RecordedMessage, cancelled));
    peer.send(
      rewriteEvent(named(events, "CHANNEL_HANGUP_COMPLETE")[0] as RecordedMessage, cancelled),
    );
    expect(await leg.outcome).toEqual({ answered: false, cause: "ORIGINATOR_CANCEL" });
    expect(await leg.ended).toBe("ORIGINATOR_CANCEL");
  });

  it("kills at once a leg that answers after it was cancelled, and never reports it answered", async () => {
    const { peer, control } = await setUp();
    const { leg, jobUuid } = await ringLeg(control, peer, {
      uuid: LEG_06,
      destination: "user/1001",
      timeoutMs: 10_000,
    });
    const cancelling = leg.hangup("LOSE_RACE");
    await peer.expect(`api uuid_kill ${LEG_06} LOSE_RACE`);
    peer.send(NO_SUCH_CHANNEL);
    await cancelling;

    const events = legEvents(run06, LEG_06);
    // The kill sent on CHANNEL_CREATE loses a race with the phone; the answer triggers another.
    peer.send(named(events, "CHANNEL_CREATE")[0]?.raw ?? "");
    await peer.expect(`api uuid_kill ${LEG_06} LOSE_RACE`);
    peer.send(named(events, "CHANNEL_ANSWER")[0]?.raw ?? "");
    peer.send(NO_SUCH_CHANNEL);
    await peer.expect(`api uuid_kill ${LEG_06} LOSE_RACE`);
    peer.send(KILLED);
    expect(await leg.outcome).toEqual({ answered: false, cause: "LOSE_RACE" });
    peer.send(backgroundJob(jobUuid, `+OK ${LEG_06}\n`));
    const lost = { "Hangup-Cause": "LOSE_RACE" };
    peer.send(rewriteEvent(named(events, "CHANNEL_HANGUP")[0] as RecordedMessage, lost));
    peer.send(rewriteEvent(named(events, "CHANNEL_HANGUP_COMPLETE")[0] as RecordedMessage, lost));
    expect(await leg.ended).toBe("LOSE_RACE");
  });

  it("refuses variables it sets itself and escapes the others", async () => {
    const { peer, control } = await setUp();
    await expect(
      control.originate({
        uuid: LEG_06,
        destination: "user/1001",
        timeoutMs: 1_000,
        variables: { origination_uuid: "x" },
      }),
    ).rejects.toThrow(/origination_uuid/);
    const { line } = await ringLeg(control, peer, {
      uuid: LEG_06,
      destination: "user/1001",
      timeoutMs: 1_500,
      variables: { origination_caller_id_name: "Sales, 2nd line" },
    });
    expect(line).toBe(
      `bgapi originate {origination_uuid=${LEG_06},originate_timeout=2,ignore_early_media=true,` +
        "park_timeout=120:ALLOTTED_TIMEOUT," +
        "origination_caller_id_name=Sales\\\\,\\\\\\\\s2nd\\\\\\\\sline}user/1001 &park()",
    );
  });
});

describe("FreeswitchCallControl.bridge and hangup", () => {
  it("bridges with uuid_bridge and treats a gone channel as hung up (12)", async () => {
    const { peer, control } = await setUp();
    const a = "12a00000-0000-4000-8000-000000000012";
    const b = "12b00000-0000-4000-8000-000000000012";
    const gone = "12f00000-0000-4000-8000-000000000012";

    const bridging = control.bridge(a, b);
    expect((await peer.nextCommand()).line).toBe(`api uuid_bridge ${a} ${b}`);
    peer.send(run12.replyTo("inbound-1", `api uuid_bridge ${a} ${b}`));
    await bridging;

    const failing = control.bridge(a, gone).catch((e: unknown) => e);
    await peer.expect("api uuid_bridge");
    peer.send(run12.replyTo("inbound-1", `api uuid_bridge ${a} ${gone}`));
    const error = await failing;
    expect(error).toBeInstanceOf(CallControlError);
    expect(String(error)).toContain("-ERR Invalid uuid");

    const hangingUp = control.hangup(gone, "USER_BUSY");
    expect((await peer.nextCommand()).line).toBe(`api uuid_kill ${gone} USER_BUSY`);
    peer.send(NO_SUCH_CHANNEL);
    await hangingUp;
  });
});

describe("FreeswitchCallControl across a lost connection", () => {
  it("reports ringing legs unanswered, then kills them or checks them once reconnected", async () => {
    const clock = new ManualClock();
    const { fake, peer, connection, control } = await setUp({ clock, reconnect: true });
    const ringing = control.originate({
      uuid: LOSER_09,
      destination: "user/1002",
      timeoutMs: 20_000,
    });
    await acceptOriginate(peer, true);
    const loser: OutboundLeg = await ringing;
    const answering = control.originate({
      uuid: LEG_06,
      destination: "user/1001",
      timeoutMs: 10_000,
    });
    await acceptOriginate(peer, false);
    const answered = await answering;
    peer.send(named(legEvents(run06, LEG_06), "CHANNEL_ANSWER")[0]?.raw ?? "");
    expect(await answered.outcome).toEqual({ answered: true });

    const lost = new Promise<void>((resolve) =>
      connection.onStateChange((s) => s === "reconnecting" && resolve()),
    );
    peer.reset();
    await lost;
    expect(await loser.outcome).toEqual({ answered: false, cause: "NORMAL_TEMPORARY_FAILURE" });
    await expect(
      control.originate({ uuid: "x1", destination: "user/1003", timeoutMs: 1_000 }),
    ).rejects.toBeInstanceOf(CallControlError);

    await clock.advance(50);
    const again = await fake.nextPeer();
    again.send("Content-Type: auth/request\n\n");
    await again.expect("auth ClueCon");
    again.send(commandReply("+OK accepted"));
    expect((await again.nextCommand()).line).toBe(
      `event plain BACKGROUND_JOB ${SUBSCRIBED.join(" ")}`,
    );
    again.send(commandReply("+OK event listener enabled plain"));

    // The loser was given up: it is killed. The answered leg is only checked.
    expect((await again.nextCommand()).line).toBe(`api uuid_kill ${LOSER_09} ORIGINATOR_CANCEL`);
    again.send(NO_SUCH_CHANNEL);
    expect(await loser.ended).toBe("NORMAL_TEMPORARY_FAILURE");
    expect((await again.nextCommand()).line).toBe(`api uuid_exists ${LEG_06}`);
    again.send(apiResponse("true"));
    again.send(named(legEvents(run06, LEG_06), "CHANNEL_HANGUP_COMPLETE")[0]?.raw ?? "");
    expect(await answered.ended).toBe("NORMAL_CLEARING");
  });
});

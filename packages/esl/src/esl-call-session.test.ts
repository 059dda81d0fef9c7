import { getEventListeners } from "node:events";
import { CallerHungUpError } from "@ringflow/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  acceptOutbound,
  commandReply,
  dialOutbound,
  type SwitchPeer,
} from "../test/fake-switch.js";
import {
  bytes,
  type RecordedMessage,
  Recording,
  rewriteEvent,
  substitute,
} from "../test/transcripts.js";
import { EslCallSession } from "./esl-call-session.js";
import type { EslOutboundSession } from "./esl-outbound-session.js";
import { listen } from "./esl-server.js";

const run05 = new Recording("05-outbound-static.jsonl");
const run10 = new Recording("10-bridge-from-outbound.jsonl");
const run11 = new Recording("11-caller-hangup-while-queued.jsonl");
const run12 = new Recording("12-uuid-commands.jsonl");

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Call {
  readonly call: EslCallSession;
  readonly session: EslOutboundSession;
  readonly peer: SwitchPeer;
  /** The caller's channel uuid in the recording. */
  readonly uuid: string;
}

/** A call arriving as recorded on `conn` of `recording`, wrapped in an EslCallSession. */
async function arrive(recording: Recording, conn: string): Promise<Call> {
  let resolveSession!: (session: EslOutboundSession) => void;
  const arrived = new Promise<EslOutboundSession>((resolve) => {
    resolveSession = resolve;
  });
  const server = await listen({ port: 0 }, (session) => resolveSession(session));
  const peer = await dialOutbound(server.port);
  cleanups.push(async () => {
    peer.socket.destroy();
    await server.close({ force: true });
  });
  const connectReply = recording.messages(conn)[0] as RecordedMessage;
  await acceptOutbound(peer, connectReply.raw);
  const session = await arrived;
  const call = new EslCallSession(session);
  return { call, session, peer, uuid: call.info.uuid };
}

/**
 * Answers the next sendmsg with `+OK` and replays the recorded events of the
 * app that ran under `recordedUuid` (its Event-UUID), re-addressed to the
 * Event-UUID the client sent and, if given, to another channel.
 */
async function runApp(
  peer: SwitchPeer,
  events: readonly RecordedMessage[],
  recordedUuid: string,
  channel?: { readonly from: string; readonly to: string },
): Promise<Record<string, string>> {
  const sendmsg = await peer.expect("sendmsg");
  peer.send(commandReply("+OK"));
  const eventUuid = sendmsg.headers["Event-UUID"] ?? "";
  for (const message of events) {
    let raw = substitute(message.raw, recordedUuid, eventUuid);
    if (channel) raw = substitute(raw, channel.from, channel.to);
    peer.send(raw);
  }
  return sendmsg.headers;
}

/** The events carrying `applicationUuid` on `conn`, plus the ones listed in `between`. */
function appEvents(
  recording: Recording,
  conn: string,
  applicationUuid: string,
  between: readonly string[] = [],
) {
  const all = recording.events(conn);
  const first = all.findIndex((m) => m.event?.get("Application-UUID") === applicationUuid);
  const last = all.findLastIndex((m) => m.event?.get("Application-UUID") === applicationUuid);
  return all
    .slice(first, last + 1)
    .filter(
      (m) =>
        m.event?.get("Application-UUID") === applicationUuid ||
        between.includes(m.event?.get("Event-Name") ?? ""),
    );
}

/** A CHANNEL_EXECUTE_COMPLETE of `app` for the channel, from 05's `set` completion. */
function completion(
  channel: string,
  eventUuid: string,
  app: string,
  extra: Record<string, string>,
): string {
  const template = run05.event("outbound-1", { names: ["CHANNEL_EXECUTE_COMPLETE"] });
  const recorded = template.event?.get("Unique-ID") ?? "";
  return substitute(
    rewriteEvent(template, { Application: app, "Application-UUID": eventUuid, ...extra }),
    recorded,
    channel,
  );
}

/** Accepts the next sendmsg and completes its playback with `response` (URL-encoded). */
async function completePlayback(call: Call, response: string): Promise<void> {
  const sendmsg = await call.peer.expect("sendmsg");
  call.peer.send(commandReply("+OK"));
  call.peer.send(
    completion(call.uuid, sendmsg.headers["Event-UUID"] ?? "", "playback", {
      "Application-Response": response,
    }),
  );
}

describe("EslCallSession", () => {
  it("describes the call from its CHANNEL_DATA", async () => {
    const { call } = await arrive(run10, "outbound-1");
    expect(call.info).toMatchObject({
      uuid: "04520619-808a-4c17-9c0e-e6509908ab96",
      destinationNumber: "7000",
      callerIdNumber: "5551234",
      callerIdName: "Caller",
    });
    expect(call.info.variables.sip_from_user).toBe("5551234");
    expect(call.signal.aborted).toBe(false);
  });

  it("answers with a sendmsg execute and resolves on its completion (10)", async () => {
    const { call, peer } = await arrive(run10, "outbound-1");
    const answering = call.answer();
    const recorded = "10e00001-0000-4000-8000-000000000001";
    const headers = await runApp(
      peer,
      appEvents(run10, "outbound-1", recorded, ["CHANNEL_ANSWER", "CHANNEL_PROGRESS_MEDIA"]),
      recorded,
    );
    expect(headers).toMatchObject({ "call-command": "execute", "execute-app-name": "answer" });
    await answering;
  });

  it("sets continue_on_fail before dialling, so a busy agent fails the bridge instead of the call (10, run 3)", async () => {
    const { call, peer } = await arrive(run10, "outbound-3");
    const dialling = call.bridgeDial("user/1001");
    const set = await runApp(
      peer,
      appEvents(run10, "outbound-3", "10e00022-0000-4000-8000-000000000022"),
      "10e00022-0000-4000-8000-000000000022",
    );
    expect(set).toMatchObject({
      "execute-app-name": "set",
      "execute-app-arg": "continue_on_fail=true",
    });
    const bridge = await runApp(
      peer,
      appEvents(run10, "outbound-3", "10e00023-0000-4000-8000-000000000023"),
      "10e00023-0000-4000-8000-000000000023",
    );
    expect(bridge).toMatchObject({ "execute-app-name": "bridge", "execute-app-arg": "user/1001" });
    expect(await dialling).toEqual({ status: "failed", cause: "USER_BUSY" });
    expect(call.signal.aborted).toBe(false);
  });

  it("reports a bridge the agent ended as completed with the agent's cause (10, run 1)", async () => {
    const { call, peer, uuid } = await arrive(run10, "outbound-1");
    let connected = 0;
    const dialling = call.bridgeDial("user/1001", {
      timeoutMs: 20_000,
      onConnected: () => connected++,
    });
    // Run 1 set no continue_on_fail: replay run 3's `set`, moved onto this call.
    const run3Channel = run10.messages("outbound-3")[0]?.envelope.get("Unique-ID") ?? "";
    await runApp(
      peer,
      appEvents(run10, "outbound-3", "10e00022-0000-4000-8000-000000000022"),
      "10e00022-0000-4000-8000-000000000022",
      {
        from: run3Channel,
        to: uuid,
      },
    );
    const recorded = "10e00003-0000-4000-8000-000000000003";
    const headers = await runApp(
      peer,
      appEvents(run10, "outbound-1", recorded, ["CHANNEL_BRIDGE", "CHANNEL_UNBRIDGE"]),
      recorded,
    );
    expect(headers["execute-app-arg"]).toBe("{originate_timeout=20}user/1001");
    expect(await dialling).toEqual({ status: "completed", cause: "NORMAL_CLEARING" });
    // Told once, at CHANNEL_BRIDGE: the caller was connected.
    expect(connected).toBe(1);
  });

  it("plays a file and maps Application-Response (05)", async () => {
    const arrived = await arrive(run05, "outbound-1");
    const { call, peer } = arrived;
    const recorded = "05e00007-0000-4000-8000-000000000007";
    const playing = call.play("tone_stream://%(100,0,880)");
    const headers = await runApp(peer, appEvents(run05, "outbound-1", recorded), recorded);
    expect(headers["execute-app-arg"]).toBe("tone_stream://%(100,0,880)");
    expect(await playing).toBe("played");

    const missing = call.play("/no/such.wav");
    await completePlayback(arrived, "FILE%20NOT%20FOUND");
    expect(await missing).toBe("notFound");
  });

  it("keeps nothing of a finished operation attached to the call", async () => {
    const arrived = await arrive(run05, "outbound-1");
    const { call } = arrived;
    const caller = new AbortController();
    for (let i = 0; i < 20; i++) {
      const playing = call.play("tone_stream://%(100,0,880)", { signal: caller.signal });
      await completePlayback(arrived, "FILE%20PLAYED");
      expect(await playing).toBe("played");
    }
    // A listener per finished operation would keep its result alive until the call ends.
    expect(getEventListeners(call.signal, "abort")).toHaveLength(0);
    expect(getEventListeners(caller.signal, "abort")).toHaveLength(0);
  });

  it("runs one app at a time: the next waits for the previous one's completion", async () => {
    const arrived = await arrive(run05, "outbound-1");
    const { call, session, peer } = arrived;
    const first = call.play("tone_stream://%(200,100,440);loops=2");
    const second = call.play("tone_stream://%(100,0,880)");
    const one = await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    // Issued after both plays: had the second sendmsg been queued, it would come first.
    const probe = session.getVariable("channel_name");
    await peer.expect("getvar channel_name");
    peer.send(run05.replyTo("outbound-1", "getvar channel_name"));
    await probe;
    peer.send(
      completion(call.info.uuid, one.headers["Event-UUID"] ?? "", "playback", {
        "Application-Response": "FILE%20PLAYED",
      }),
    );
    expect(await first).toBe("played");
    await completePlayback(arrived, "FILE%20PLAYED");
    expect(await second).toBe("played");
  });

  it("cuts a playback short with uuid_break when the signal aborts", async () => {
    const { call, peer } = await arrive(run11, "outbound-1");
    const abort = new AbortController();
    const playing = call.play("local_stream://moh", { signal: abort.signal });
    const sendmsg = await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    abort.abort();
    expect((await peer.nextCommand()).line).toBe(`api uuid_break ${call.info.uuid}`);
    peer.send(run12.replyTo("inbound-1", "api uuid_break 12a"));
    // uuid_break ends a playback with FILE PLAYED (12).
    peer.send(
      completion(call.info.uuid, sendmsg.headers["Event-UUID"] ?? "", "playback", {
        "Application-Response": "FILE%20PLAYED",
      }),
    );
    expect(await playing).toBe("interrupted");
    expect(await call.play("local_stream://moh", { signal: abort.signal })).toBe("interrupted");
  });

  it("rejects everything with CallerHungUpError once the caller hangs up (11)", async () => {
    const { call, peer } = await arrive(run11, "outbound-1");
    const recorded = "11e00002-0000-4000-8000-000000000002";
    const playing = call.play("tone_stream://%(1000,0,350);loops=-1").catch((e: unknown) => e);
    const all = run11.messages("outbound-1");
    const start = all.findIndex((m) => m.event?.get("Application-UUID") === recorded);
    // EXECUTE, the caller's HANGUP, the playback's PLAYBACK ERROR, ..., HANGUP_COMPLETE, the linger notice.
    await runApp(peer, all.slice(start, -1), recorded);
    const error = await playing;
    expect(error).toBeInstanceOf(CallerHungUpError);
    expect(error).toMatchObject({ hangupCause: "NORMAL_CLEARING" });
    expect(await call.ended).toBe("NORMAL_CLEARING");
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBeInstanceOf(CallerHungUpError);
    await expect(call.answer()).rejects.toBeInstanceOf(CallerHungUpError);
    await expect(call.bridgeDial("user/1001")).rejects.toBeInstanceOf(CallerHungUpError);
    await call.hangup();
    await peer.expect("exit");
  });

  it("collects digits with play_and_get_digits and reads them from the completion", async () => {
    const { call, peer } = await arrive(run05, "outbound-1");
    const options = {
      prompt: "ivr/ivr-enter_ext.wav",
      minDigits: 1,
      maxDigits: 4,
      tries: 3,
      timeoutMs: 5_000,
    };

    const collecting = call.collectDigits(options);
    const first = await peer.expect("sendmsg");
    expect(first.headers).toMatchObject({
      "execute-app-name": "play_and_get_digits",
      "execute-app-arg":
        "1 4 3 5000 # ivr/ivr-enter_ext.wav silence_stream://250 ringflow_digits_1 \\d+ 5000",
    });
    peer.send(commandReply("+OK"));
    peer.send(
      completion(call.info.uuid, first.headers["Event-UUID"] ?? "", "play_and_get_digits", {
        variable_ringflow_digits_1: "1234",
      }),
    );
    expect(await collecting).toEqual({ status: "collected", digits: "1234" });

    const invalid = call.collectDigits({ ...options, regex: "^[12]$" });
    const second = await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    peer.send(
      completion(call.info.uuid, second.headers["Event-UUID"] ?? "", "play_and_get_digits", {
        variable_ringflow_digits_2_invalid: "9",
      }),
    );
    expect(await invalid).toEqual({ status: "invalid", digits: "9" });

    const silent = call.collectDigits(options);
    const third = await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    peer.send(
      completion(call.info.uuid, third.headers["Event-UUID"] ?? "", "play_and_get_digits", {}),
    );
    expect(await silent).toEqual({ status: "timeout" });
  });

  it("bridges to a parked leg with uuid_bridge and resolves when the bridge ends", async () => {
    const { call, peer, uuid } = await arrive(run10, "outbound-1");
    const agent = "4bfa7b74-f80f-4915-8bba-724ec2cf7fd4";
    const bridging = call.bridge(agent);
    const set = await peer.expect("sendmsg");
    expect(set.headers["execute-app-arg"]).toBe("park_after_bridge=true");
    peer.send(commandReply("+OK"));
    peer.send(completion(uuid, set.headers["Event-UUID"] ?? "", "set", {}));
    expect((await peer.nextCommand()).line).toBe(`api uuid_bridge ${uuid} ${agent}`);
    peer.send(
      substitute(
        run12.replyTo("inbound-1", "api uuid_bridge 12a00000-0000-4000-8000-000000000012 12b"),
        "12b00000-0000-4000-8000-000000000012",
        agent,
      ),
    );
    peer.send(bytes(run10.events("outbound-1", { names: ["CHANNEL_BRIDGE", "CHANNEL_UNBRIDGE"] })));
    expect(await bridging).toEqual({ status: "completed", cause: "NORMAL_CLEARING" });

    const failing = call.bridge("12f00000-0000-4000-8000-000000000012");
    await peer.expect("api uuid_bridge");
    peer.send(
      run12.replyTo("inbound-1", "api uuid_bridge 12a00000-0000-4000-8000-000000000012 12f"),
    );
    expect(await failing).toMatchObject({ status: "failed" });
  });

  it("sends speak, voicemail and set with the arguments FreeSWITCH's apps parse", async () => {
    const { call, peer } = await arrive(run05, "outbound-1");
    const sent: string[] = [];
    const complete = async (app: string) => {
      const sendmsg = await peer.expect("sendmsg");
      sent.push(sendmsg.headers["execute-app-arg"] ?? "");
      peer.send(commandReply("+OK"));
      peer.send(completion(call.info.uuid, sendmsg.headers["Event-UUID"] ?? "", app, {}));
    };
    const speaking = call.speak("Your call is important, 50% of the time.", {
      engine: "flite",
      voice: "kal",
    });
    await complete("speak");
    expect(await speaking).toBe("played");
    const plain = call.speak("Thank you");
    await complete("speak");
    await plain;
    const voicemail = call.voicemail({ mailbox: "1001", domain: "example.com" });
    await complete("voicemail");
    await voicemail;
    const setting = call.setVariable("ringflow_note", "it's C:\\calls, ok");
    await complete("set");
    await setting;
    expect(sent).toEqual([
      "flite|kal|Your call is important, 50% of the time.",
      "Thank you",
      "default example.com 1001",
      // Backslashes doubled for the variable expansion that runs before `set` sees its data.
      "ringflow_note=it's C:\\\\calls, ok",
    ]);
    await expect(call.speak("a|b")).rejects.toThrow(/engine and voice/);
  });

  it("hangs up with a sendmsg hangup and ends with the switch's cause (10)", async () => {
    const { call, peer } = await arrive(run10, "outbound-1");
    const hangingUp = call.hangup("NORMAL_CLEARING");
    const sendmsg = await peer.expect("sendmsg");
    expect(sendmsg.headers).toEqual({
      "call-command": "hangup",
      "hangup-cause": "NORMAL_CLEARING",
    });
    peer.send(run10.replyTo("outbound-1", "sendmsg\ncall-command: hangup"));
    await hangingUp;
    peer.send(
      bytes(run10.events("outbound-1", { names: ["CHANNEL_HANGUP", "CHANNEL_HANGUP_COMPLETE"] })),
    );
    expect(await call.ended).toBe("NORMAL_CLEARING");
    await expect(call.play("ivr/ivr-thank_you.wav")).rejects.toBeInstanceOf(CallerHungUpError);
  });
});

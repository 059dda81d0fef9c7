import { afterEach, describe, expect, it } from "vitest";
import {
  acceptOutbound,
  commandReply,
  dialOutbound,
  type SwitchPeer,
} from "../test/fake-switch.js";
import { bytes, type RecordedMessage, Recording, substitute } from "../test/transcripts.js";
import {
  EslCallEndedBeforeSetupError,
  EslChannelGoneError,
  EslDisconnectedError,
  EslSocketModeError,
} from "./errors.js";
import type { EslOutboundSession } from "./esl-outbound-session.js";
import { type EslServer, listen } from "./esl-server.js";

const run05 = new Recording("05-outbound-static.jsonl");
const run11 = new Recording("11-caller-hangup-while-queued.jsonl");
const CONNECT_05 = run05.messages("outbound-1")[0]?.raw ?? "";
const STATIC_05 = run05.messages("outbound-2")[0]?.raw ?? "";
const CONNECT_11 = run11.messages("outbound-1")[0]?.raw ?? "";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

interface Harness {
  readonly server: EslServer;
  readonly sessions: EslOutboundSession[];
  readonly errors: unknown[];
  nextSession(): Promise<EslOutboundSession>;
}

async function startServer(): Promise<Harness> {
  const sessions: EslOutboundSession[] = [];
  const waiting: Array<(session: EslOutboundSession) => void> = [];
  const server = await listen({ port: 0 }, (session) => {
    sessions.push(session);
    waiting.shift()?.(session);
  });
  const errors: unknown[] = [];
  server.onError((error) => errors.push(error));
  cleanups.push(() => server.close({ force: true }));
  return {
    server,
    sessions,
    errors,
    nextSession: () =>
      new Promise((resolve) => {
        const ready = sessions[waiting.length];
        if (ready) resolve(ready);
        else waiting.push(resolve);
      }),
  };
}

async function dial(server: EslServer): Promise<SwitchPeer> {
  const peer = await dialOutbound(server.port);
  cleanups.unshift(async () => {
    peer.socket.destroy();
  });
  return peer;
}

/** The recorded message with the recorded Event-UUIDs replaced by the ones the client sent. */
function withUuids(message: RecordedMessage, uuids: Readonly<Record<string, string>>): string {
  let raw = message.raw;
  for (const [recorded, sent] of Object.entries(uuids)) raw = substitute(raw, recorded, sent);
  return raw;
}

describe("listen", () => {
  it("sets up each call with connect, myevents and linger, and exposes its CHANNEL_DATA", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    await acceptOutbound(peer, CONNECT_05);
    const session = await harness.nextSession();
    expect(peer.received.map((c) => c.line)).toEqual(["connect", "myevents", "linger 30"]);
    expect(session.uuid).toBe("801dd780-3624-4eda-995f-725800d54983");
    expect(session.info.name).toBe("CHANNEL_DATA");
    expect(session.info.header("Caller-Destination-Number")).toBe("7000");
    expect(session.info.header("Channel-Callee-ID-Name")).toBe("Outbound Call");
    expect(session.info.variable("current_application_data")).toBe("127.0.0.1:9000 async full");
    expect(harness.server.sessionCount).toBe(1);
  });

  it.each([
    ["a static socket", STATIC_05, "static", "full"],
    [
      "a socket without full",
      CONNECT_05.replace("Control: full", "Control: single-channel"),
      "async",
      "single-channel",
    ],
  ])(
    "refuses %s with EslSocketModeError and hands the call back to the dialplan",
    async (_, reply, mode, control) => {
      const harness = await startServer();
      const peer = await dial(harness.server);
      await peer.expect("connect");
      peer.send(reply);
      await peer.expect("resume");
      peer.send(run05.replyTo("outbound-1", "resume"));
      await peer.expect("exit");
      peer.send(run05.replyTo("outbound-1", "exit"));
      await peer.end();
      await peer.closed;
      await new Promise<void>((resolve) => {
        const poll = () => (harness.errors.length > 0 ? resolve() : setTimeout(poll, 5));
        poll();
      });
      expect(harness.errors[0]).toBeInstanceOf(EslSocketModeError);
      expect(harness.errors[0]).toMatchObject({ socketMode: mode, control });
      expect(String(harness.errors[0])).toContain("async full");
      expect(harness.sessions).toEqual([]);
    },
  );
});

describe("EslOutboundSession", () => {
  it("hands an execute its EXECUTE_COMPLETE and the command after it its own reply (defect a)", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    await acceptOutbound(peer, CONNECT_05);
    const session = await harness.nextSession();
    // modesl's execute() reserves no reply slot, so its +OK went to the next
    // command's callback (esl-protocol.md §8, seen on a real switch).
    const answer = session.execute("answer");
    const name = session.getVariable("channel_name");
    const sendmsg = await peer.expect(`sendmsg ${session.uuid}`);
    expect(sendmsg.headers).toMatchObject({
      "call-command": "execute",
      "execute-app-name": "answer",
    });
    peer.send(
      run05.replyTo("outbound-1", "sendmsg\ncall-command: execute\nexecute-app-name: answer"),
    );
    const getvar = await peer.expect("getvar channel_name");
    expect(getvar.sentAfterReply).toBe(true);
    peer.send(run05.replyTo("outbound-1", "getvar channel_name"));
    const uuids = { "05e00002-0000-4000-8000-000000000002": sendmsg.headers["Event-UUID"] ?? "" };
    for (const m of run05.events("outbound-1", {
      names: ["CHANNEL_EXECUTE", "CHANNEL_ANSWER", "CHANNEL_EXECUTE_COMPLETE"],
    })) {
      if (m.raw.includes("05e00002") || m.event?.get("Event-Name") === "CHANNEL_ANSWER")
        peer.send(withUuids(m, uuids));
    }
    expect(await name).toBe("loopback/7000-b");
    const complete = await answer;
    expect(complete.application).toBe("answer");
    expect(complete.applicationUuid).toBe(sendmsg.headers["Event-UUID"]);
  });

  it("resolves two nested playbacks with their own completions, in the switch's order", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    await acceptOutbound(peer, CONNECT_05);
    const session = await harness.nextSession();
    const first = session.execute("playback", "tone_stream://%(200,100,440);loops=2");
    const second = session.execute("playback", "tone_stream://%(100,0,880)");
    const one = await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    const two = await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    const uuids = {
      "05e00003-0000-4000-8000-000000000003": one.headers["Event-UUID"] ?? "",
      "05e00004-0000-4000-8000-000000000004": two.headers["Event-UUID"] ?? "",
    };
    // EXECUTE #3, EXECUTE #4, COMPLETE #4, COMPLETE #3: the second app ran nested in the first.
    const nested = run05
      .events("outbound-1")
      .filter((m) => m.raw.includes("05e00003") || m.raw.includes("05e00004"));
    const order: string[] = [];
    void first.then(() => order.push("first"));
    void second.then(() => order.push("second"));
    peer.send(nested.map((m) => withUuids(m, uuids)).join(""));
    const [done1, done2] = await Promise.all([first, second]);
    expect(order).toEqual(["second", "first"]);
    expect(done1.header("Application-Data")).toBe("tone_stream://%(200,100,440);loops=2");
    expect(done2.header("Application-Data")).toBe("tone_stream://%(100,0,880)");
    expect(done1.applicationResponse).toBe("FILE PLAYED");
  });

  it("reads variables verbatim, a bare % included, and an unset one as undefined", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    await acceptOutbound(peer, CONNECT_05);
    const session = await harness.nextSession();
    const unset = session.getVariable("no_such_variable");
    await peer.expect("getvar no_such_variable");
    peer.send(run05.replyTo("outbound-1", "getvar no_such_variable"));
    expect(await unset).toBeUndefined();
    const greeting = session.getVariable("greeting");
    await peer.expect("getvar greeting");
    peer.send(run05.replyTo("outbound-1", "getvar greeting"));
    expect(await greeting).toBe("hello world 50%");
  });

  it("notices the caller's hangup, fails apps that never ran, and exits once the last events are in", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    await acceptOutbound(peer, CONNECT_11);
    const session = await harness.nextSession();
    const tone = session.execute("playback", "tone_stream://%(1000,0,350);loops=-1");
    const sendmsg = await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    const neverRuns = session.execute("playback", "ivr/ivr-thank_you.wav").catch((e: unknown) => e);
    await peer.expect("sendmsg");
    peer.send(commandReply("+OK"));
    // Everything after the playback's +OK in run 1: EXECUTE, HANGUP, ... HANGUP_COMPLETE, linger notice.
    const all = run11.messages("outbound-1");
    const start = all.findIndex(
      (m) => m.event?.get("Application-UUID") === "11e00002-0000-4000-8000-000000000002",
    );
    const after = all.slice(start, -1);
    expect(after.at(-1)?.envelope.get("Content-Disposition")).toBe("linger");
    peer.send(
      bytes(after).replaceAll(
        "11e00002-0000-4000-8000-000000000002",
        sendmsg.headers["Event-UUID"] ?? "",
      ),
    );
    expect(await session.ended).toBe("NORMAL_CLEARING");
    expect(session.isEnded).toBe(true);
    expect((await tone).applicationResponse).toBe("PLAYBACK ERROR");
    expect(await neverRuns).toBeInstanceOf(EslChannelGoneError);
    await peer.expect("exit");
    peer.send(run11.messages("outbound-1").at(-1)?.raw ?? "");
    await peer.end();
    await session.closed;
    expect(harness.server.sessionCount).toBe(0);
  });

  it("ends with NORMAL_TEMPORARY_FAILURE and rejects what is pending when the socket is lost", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    await acceptOutbound(peer, CONNECT_11);
    const session = await harness.nextSession();
    const pending = session.execute("answer").catch((e: unknown) => e);
    await peer.expect("sendmsg");
    peer.reset();
    expect(await pending).toBeInstanceOf(EslDisconnectedError);
    expect(await session.ended).toBe("NORMAL_TEMPORARY_FAILURE");
  });
});

describe("a call that ends before it is taken", () => {
  it("reports the channel the disconnect notice names when the caller hung up before connect was answered", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    expect(await peer.nextCommand()).toMatchObject({ line: "connect" });
    // The caller gave up while the call waited to be taken: FreeSWITCH sends
    // its final notice (naming the channel) and closes, never answering connect.
    const uuid = "3f1c9a52-2f6e-4b1e-9d0a-6a7c2b9e4d10";
    const goodbye = "Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";
    peer.send(
      `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${uuid}\nContent-Disposition: disconnect\nContent-Length: ${Buffer.byteLength(goodbye)}\n\n${goodbye}`,
    );
    await peer.end();
    await expect.poll(() => harness.errors.length).toBe(1);
    const [error] = harness.errors;
    expect(error).toBeInstanceOf(EslCallEndedBeforeSetupError);
    expect((error as EslCallEndedBeforeSetupError).uuid).toBe(uuid);
    expect(harness.sessions).toHaveLength(0);
  });

  it("reports the call, with who called whom, when it hung up after connect was answered but before set-up ended", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    expect(await peer.nextCommand()).toMatchObject({ line: "connect" });
    peer.send(CONNECT_11);
    expect(await peer.nextCommand()).toMatchObject({ line: "myevents" });
    await peer.end();
    await expect.poll(() => harness.errors.length).toBe(1);
    const error = harness.errors[0] as EslCallEndedBeforeSetupError;
    expect(error).toBeInstanceOf(EslCallEndedBeforeSetupError);
    expect(error.uuid).toBe(error.channelData?.uniqueId);
    expect(error.channelData?.destinationNumber).toBeTruthy();
  });

  it("reports a plain disconnection when the socket closes without a notice", async () => {
    const harness = await startServer();
    const peer = await dial(harness.server);
    expect(await peer.nextCommand()).toMatchObject({ line: "connect" });
    await peer.end();
    await expect.poll(() => harness.errors.length).toBe(1);
    expect(harness.errors[0]).not.toBeInstanceOf(EslCallEndedBeforeSetupError);
  });
});

describe("admission at the door", () => {
  it("closes a refused connection before saying a word, and sets up the ones it admits", async () => {
    let open = false;
    const sessions: EslOutboundSession[] = [];
    const server = await listen({ port: 0, admit: () => open }, (session) => {
      sessions.push(session);
    });
    cleanups.push(() => server.close({ force: true }));
    const { connect } = await import("node:net");
    const refused = connect(server.port, "127.0.0.1");
    const heard: Buffer[] = [];
    refused.on("data", (chunk) => heard.push(chunk));
    await new Promise<void>((resolve) => refused.once("close", () => resolve()));
    expect(Buffer.concat(heard).toString()).toBe("");
    open = true;
    const peer = await dial(server);
    // An admitted socket is greeted with `connect`.
    expect(await peer.nextCommand()).toMatchObject({ line: "connect" });
    expect(sessions).toHaveLength(0);
  });
});

import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { FakeSwitch } from "../test/fake-switch.js";
import { bytes, Recording, rewriteEvent } from "../test/transcripts.js";
import { type EslMessage, readMessages } from "./message-reader.js";

const switches: FakeSwitch[] = [];
afterEach(async () => {
  await Promise.all(switches.splice(0).map((s) => s.close()));
});

/** Sends `data` from a fake switch in random splits and collects what the reader makes of it. */
async function readAll(data: string): Promise<{ messages: EslMessage[]; errors: unknown[] }> {
  const fake = await FakeSwitch.start();
  switches.push(fake);
  const socket = connect({ host: "127.0.0.1", port: fake.port });
  const messages: EslMessage[] = [];
  const errors: unknown[] = [];
  readMessages(
    socket,
    (m) => messages.push(m),
    (e) => errors.push(e),
  );
  const peer = await fake.nextPeer();
  peer.send(data);
  await peer.end();
  await new Promise((resolve) => socket.once("close", resolve));
  return { messages, errors };
}

function replies(messages: EslMessage[]) {
  return messages.flatMap((m) => (m.kind === "reply" ? [m.reply] : []));
}

function events(messages: EslMessage[]) {
  return messages.flatMap((m) => (m.kind === "event" ? [m.event] : []));
}

describe("readMessages (modesl's parser, patched)", () => {
  const outboundRun = new Recording("05-outbound-static.jsonl").messages("outbound-1");

  it("reads a bare % in a Reply-Text verbatim instead of throwing (defect c)", async () => {
    // `getvar greeting` → `Reply-Text: hello world 50%`, as FreeSWITCH 1.10.12 sent it.
    const { messages, errors } = await readAll(bytes(outboundRun));
    expect(errors).toEqual([]);
    expect(replies(messages).map((r) => r.text)).toContain("hello world 50%");
  });

  it("decodes URL-encoded event values and the outbound connect reply, but not envelopes", async () => {
    const { messages } = await readAll(bytes(outboundRun));
    const connectReply = replies(messages)[0];
    expect(connectReply?.headers.get("Reply-Text")).toBe("+OK\n");
    expect(connectReply?.headers.get("Socket-Mode")).toBe("async");
    expect(connectReply?.headers.get("Control")).toBe("full");
    expect(connectReply?.headers.get("Channel-Callee-ID-Name")).toBe("Outbound Call");
    const set = events(messages).find((e) => e.application === "set");
    expect(set?.header("Application-Data")).toBe("greeting=hello world 50%");
    expect(set?.header("Event-Date-GMT")).toBe("Mon, 23 Nov 2026 18:20:06 GMT");
    expect(messages.at(-1)).toMatchObject({ kind: "disconnect-notice", disposition: "disconnect" });
  });

  it("keeps a linger notice's headers raw and reports its disposition", async () => {
    const lingerRun = new Recording("11-caller-hangup-while-queued.jsonl").messages("outbound-1");
    const { messages } = await readAll(bytes(lingerRun));
    const notices = messages.filter((m) => m.kind === "disconnect-notice");
    expect(notices.map((n) => (n.kind === "disconnect-notice" ? n.disposition : ""))).toEqual([
      "linger",
      "disconnect",
    ]);
    const hangup = events(messages).find((e) => e.name === "CHANNEL_HANGUP");
    expect(hangup?.hangupCause).toBe("NORMAL_CLEARING");
  });

  it("decodes JSON events and their body", async () => {
    const json = new Recording("02-bgapi-events.jsonl").messages("inbound-1");
    const { messages } = await readAll(bytes(json));
    const jobs = events(messages).filter((e) => e.name === "BACKGROUND_JOB");
    // bgapi status (plain), expr 1+1 (plain), expr 2*3 (json)
    expect(jobs.map((j) => j.body.trim())).toEqual([expect.stringMatching(/^UP /), "2", "6"]);
    expect(jobs[2]?.header("FreeSWITCH-IPv6")).toBe("fd00::2");
  });

  it("leaves an encoded byte sequence that is not UTF-8 as sent", async () => {
    const create = new Recording("06-user-answer.jsonl").event("inbound-1", {
      names: ["CHANNEL_CREATE"],
    });
    const latin1 = rewriteEvent(create, { "Caller-Caller-ID-Name": "Ren%E9%20100%25" });
    const { messages, errors } = await readAll(latin1);
    expect(errors).toEqual([]);
    expect(events(messages)[0]?.header("Caller-Caller-ID-Name")).toBe("Ren%E9 100%");
  });

  it("reads a JSON event's headers as a plain event's, arrays included", async () => {
    const fields = {
      "Event-Name": "CHANNEL_ANSWER",
      "Unique-ID": "a1b2",
      "variable_sip_h_X-Note": "100% sure",
      "Content-Length": "4",
      variable_codecs: ["PCMU", "PCMA"],
      _body: "body",
    };
    const json = JSON.stringify(fields);
    const plain =
      "Event-Name: CHANNEL_ANSWER\nUnique-ID: a1b2\nvariable_sip_h_X-Note: 100%25%20sure\n" +
      "Content-Length: 4\nvariable_codecs: ARRAY::PCMU|:PCMA\n\nbody";
    const { messages, errors } = await readAll(
      `Content-Length: ${Buffer.byteLength(json)}\nContent-Type: text/event-json\n\n${json}` +
        `Content-Length: ${Buffer.byteLength(plain)}\nContent-Type: text/event-plain\n\n${plain}`,
    );
    expect(errors).toEqual([]);
    const [fromJson, fromPlain] = events(messages);
    expect(fromJson?.body).toBe("body");
    expect(fromPlain?.body).toBe("body");
    expect([...(fromJson?.headers ?? [])]).toEqual([...(fromPlain?.headers ?? [])]);
    expect(fromJson?.variable("codecs")).toBe("ARRAY::PCMU|:PCMA");
    expect(fromJson?.header("_body")).toBeUndefined();
    expect(fromJson?.header("unique-id")).toBe("a1b2");
    expect(fromJson?.header("No-Such-Header")).toBeUndefined();
  });

  it("reports a JSON event body that does not parse and goes on reading", async () => {
    const broken = '{"Event-Name": "CHANNEL_ANSWER",';
    const reply = "Content-Type: command/reply\nReply-Text: +OK\n\n";
    const { messages, errors } = await readAll(
      `Content-Length: ${broken.length}\nContent-Type: text/event-json\n\n${broken}${reply}`,
    );
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(SyntaxError);
    expect(replies(messages).map((r) => r.text)).toEqual(["+OK"]);
  });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FsSim } from "../fs-sim.js";
import { command, header, login, plainHeaders, RawClient } from "../testing/raw-client.js";

const GOODBYE =
  "Content-Type: text/disconnect-notice\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n";

describe("inbound ESL conformance (brief §7, 1-5 and 9)", () => {
  let sim: FsSim;
  const clients: RawClient[] = [];
  const open = async (p?: string) => {
    const c = p === undefined ? await login(sim.port) : await RawClient.connect(sim.port);
    clients.push(c);
    return c;
  };

  beforeEach(async () => {
    sim = await FsSim.start({ port: 0 });
    sim.globals.set("pct", "50% off");
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await sim.stop();
  });

  it("1. frames: auth/request first; command/reply without Content-Length; api/response Content-Type first", async () => {
    const c = await open("raw");
    expect((await c.next()).raw).toBe("Content-Type: auth/request\n\n");
    await c.send("auth ClueCon\n\n");
    expect((await c.next()).raw).toBe("Content-Type: command/reply\nReply-Text: +OK accepted\n\n");
    await c.send("api global_getvar pct\n\n");
    expect((await c.next()).raw).toBe("Content-Type: api/response\nContent-Length: 7\n\n50% off");
  });

  it("1. reassembles commands split byte by byte and merged in one write, with CRLF", async () => {
    const c = await open("raw");
    await c.next();
    const text = "auth ClueCon\r\n\r\napi expr 1+1\r\n\r\n\n\napi expr 2*3\n\n";
    await c.send(
      text,
      Array.from({ length: 20 }, () => 1),
    );
    expect((await c.next()).headers["Reply-Text"]).toBe("+OK accepted");
    expect((await c.next()).body).toBe("2");
    expect((await c.next()).body).toBe("6");
  });

  it("1. Content-Length counts bytes (UTF-8 values)", async () => {
    sim.globals.set("name", "Zoë");
    const c = await open();
    const r = await command(c, "api global_getvar name");
    expect(r.headers["Content-Length"]).toBe("4");
    expect(r.body).toBe("Zoë");
  });

  it("2. wrong password: -ERR invalid, the 67-byte notice, then close", async () => {
    const c = await open("raw");
    await c.next();
    await c.send("auth nope\n\n");
    await c.waitClosed();
    expect(c.received).toBe(
      `Content-Type: auth/request\n\nContent-Type: command/reply\nReply-Text: -ERR invalid\n\n${GOODBYE}`,
    );
  });

  it("2. before auth: -ERR command not found and the socket stays open; exit works", async () => {
    const c = await open("raw");
    await c.next();
    await c.send("api status\n\n");
    expect((await c.next()).headers["Reply-Text"]).toBe("-ERR command not found");
    await c.send("event plain ALL\n\n");
    expect((await c.next()).headers["Reply-Text"]).toBe("-ERR command not found");
    await c.send("exit\n\n");
    await c.waitClosed();
    expect(
      c.received.endsWith(`Content-Type: command/reply\nReply-Text: +OK bye\n\n${GOODBYE}`),
    ).toBe(true);
  });

  it("2. userauth with a directory user's esl-password lists what it may do", async () => {
    sim.users.set("1005", { variables: { "esl-password": "s3cret" } });
    const ok = await open("raw");
    await ok.next();
    await ok.send("userauth 1005@127.0.0.1:s3cret\n\n");
    expect((await ok.next()).raw).toBe(
      "Content-Type: command/reply\nReply-Text: +OK accepted\nAllowed-Events: all\nAllowed-API: all\nAllowed-LOG: true\n\n",
    );
    const bad = await open("raw");
    await bad.next();
    await bad.send("userauth 1005@127.0.0.1:nope\n\n");
    await bad.waitClosed();
    expect(bad.received).toContain("Reply-Text: -ERR invalid\n\n");
  });

  it("3. bgapi replies at once with the client's Job-UUID; BACKGROUND_JOB reaches every subscriber", async () => {
    const a = await open();
    const b = await open();
    await command(a, "event plain BACKGROUND_JOB");
    await command(b, "event json BACKGROUND_JOB");
    const job = "02b00000-0000-4000-8000-000000000002";
    const r = await command(a, `bgapi expr 1+1\nJob-UUID: ${job}`);
    expect(r.raw).toBe(
      `Content-Type: command/reply\nReply-Text: +OK Job-UUID: ${job}\nJob-UUID: ${job}\n\n`,
    );
    const ea = await a.next();
    expect(ea.headers["Content-Type"]).toBe("text/event-plain");
    expect(Object.keys(ea.headers)).toEqual(["Content-Length", "Content-Type"]);
    const h = plainHeaders(ea.body);
    expect(h.slice(13).map(([n]) => n)).toEqual([
      "Job-UUID",
      "Job-Command",
      "Job-Command-Arg",
      "Content-Length",
    ]);
    expect(ea.body.endsWith("Job-Command-Arg: 1%2B1\nContent-Length: 1\n\n2")).toBe(true);
    const eb = JSON.parse((await b.next()).body) as Record<string, string>;
    expect(eb["Job-UUID"]).toBe(job);
    expect(eb._body).toBe("2");
    expect(eb["Job-Owner-UUID"]).toBeUndefined();
  });

  it("3. replies come back in order even when commands are pipelined", async () => {
    const c = await open();
    await c.send("api expr 1+1\n\nbgapi expr 2+2\n\napi expr 3+3\n\n");
    expect((await c.next()).body).toBe("2");
    expect((await c.next()).headers["Reply-Text"]).toMatch(/^\+OK Job-UUID: /);
    expect((await c.next()).body).toBe("6");
  });

  it("4. event is additive with one format; nixevent; noevents twice; -ERR no keywords supplied", async () => {
    const c = await open();
    expect((await command(c, "event plain")).headers["Reply-Text"]).toBe(
      "-ERR no keywords supplied",
    );
    expect((await command(c, "event plain BACKGROUND_JOB")).headers["Reply-Text"]).toBe(
      "+OK event listener enabled plain",
    );
    expect((await command(c, "event json channel_create")).headers["Reply-Text"]).toBe(
      "+OK event listener enabled json",
    );
    await command(c, "bgapi expr 2*3");
    expect((await c.next()).headers["Content-Type"]).toBe("text/event-json");
    expect((await command(c, "nixevent BACKGROUND_JOB")).headers["Reply-Text"]).toBe(
      "+OK events nixed",
    );
    await command(c, "bgapi expr 2*3");
    expect((await command(c, "noevents")).headers["Reply-Text"]).toBe(
      "+OK no longer listening for events",
    );
    expect((await command(c, "noevents")).headers["Reply-Text"]).toBe(
      "-ERR not listening for events",
    );
    expect(c.pending()).toEqual([]);
  });

  it("4. CUSTOM subclasses, and ALL then nixevent", async () => {
    const c = await open();
    await command(c, "event plain CUSTOM my::thing");
    const sender = await open();
    await command(sender, "sendevent CUSTOM\nEvent-Subclass: other::thing\nX: 1");
    await command(sender, "sendevent CUSTOM\nEvent-Subclass: my::thing\nX: 2");
    const e = await c.next();
    expect(header(e, "Event-Subclass")).toBe("my::thing");
    expect(header(e, "X")).toBe("2");
    const d = await open();
    await command(d, "event plain ALL");
    await command(d, "nixevent API");
    await command(d, "bgapi expr 1+1");
    expect(header(await d.next(), "Event-Name")).toBe("BACKGROUND_JOB");
  });

  it("4. filters: Unique-ID blocks BACKGROUND_JOB; negative and regex filters; delete all", async () => {
    const c = await open();
    await command(c, "event plain BACKGROUND_JOB");
    expect((await command(c, "filter Unique-ID abc")).headers["Reply-Text"]).toBe(
      "+OK filter added. [Unique-ID]=[abc]",
    );
    await command(c, "bgapi expr 1+1");
    await new Promise((r) => setTimeout(r, 100));
    expect(c.pending()).toEqual([]);
    expect((await command(c, "filter delete all")).headers["Reply-Text"]).toBe(
      "+OK filter deleted. [all][]",
    );
    expect((await command(c, "filter Job-Command /^ex/")).headers["Reply-Text"]).toBe(
      "+OK filter added. [Job-Command]=[/^ex/]",
    );
    await command(c, "filter Job-Command-Arg -2+2");
    await command(c, "bgapi expr 2+2");
    await command(c, "bgapi expr 1+1");
    const e = await c.next();
    expect(header(e, "Job-Command-Arg")).toBe("1+1");
    expect((await command(c, "filter Unique-ID")).headers["Reply-Text"]).toBe(
      "-ERR invalid syntax",
    );
  });

  it("5. plain values are URL-encoded as FreeSWITCH does, no double encoding, _undef_ never for set values", async () => {
    const c = await open();
    await command(c, "event plain BACKGROUND_JOB");
    await command(c, "bgapi global_getvar pct");
    const e = await c.next();
    expect(e.body).toMatch(/\nEvent-Date-Local: \d{4}-\d\d-\d\d%20\d\d%3A\d\d%3A\d\d\n/);
    expect(e.body).toMatch(
      /\nEvent-Date-GMT: \w{3},%20\d\d%20\w{3}%20\d{4}%20\d\d%3A\d\d%3A\d\d%20GMT\n/,
    );
    expect(e.body).toContain("\nFreeSWITCH-IPv6: %3A%3A1\n");
    expect(e.body.endsWith("Job-Command-Arg: pct\nContent-Length: 7\n\n50% off")).toBe(true);
  });

  it("5. JSON events: every value a string, the body as _body with its Content-Length", async () => {
    const c = await open();
    await command(c, "event json BACKGROUND_JOB");
    await command(c, "bgapi expr 1+1");
    const e = await c.next();
    expect(e.body.startsWith('{"Event-Name":"BACKGROUND_JOB","Core-UUID":')).toBe(true);
    const j = JSON.parse(e.body) as Record<string, unknown>;
    for (const v of Object.values(j)) expect(typeof v).toBe("string");
    expect(j["Content-Length"]).toBe("1");
    expect(e.body.endsWith('"Content-Length":"1","_body":"2"}')).toBe(true);
  });

  it("4. inbound myevents <uuid> scopes the socket to one channel; linger needs a session", async () => {
    const c = await open();
    const a = "0a000000-0000-4000-8000-000000000001";
    await command(c, `api originate {origination_uuid=${a}}null/a &park()`);
    await command(c, "api originate null/b &park()");
    expect(
      (await command(c, "myevents 0a000000-0000-4000-8000-00000000dead json")).headers[
        "Reply-Text"
      ],
    ).toBe("-ERR invalid uuid");
    expect((await command(c, `myevents ${a}`)).headers["Reply-Text"]).toBe("+OK Events Enabled");
    expect((await command(c, "linger")).headers["Reply-Text"]).toBe(
      "-ERR not controlling a session",
    );
    await command(c, "api hupall");
    const e = await c.next();
    expect(header(e, "Unique-ID")).toBe(a);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.pending().every((m) => header(m, "Unique-ID") === a)).toBe(true);
  });

  it("a registered phone placing a call arrives on the internal profile with its username", async () => {
    const c = await open();
    await command(c, "event plain CHANNEL_CREATE");
    sim.dialplan.add("2000", [{ app: "park" }]);
    sim.placeCall({
      from: "1001",
      fromName: "Extension 1001",
      to: "2000",
      profile: "internal",
      port: 5071,
    });
    const e = await c.next();
    expect(header(e, "Channel-Name")).toBe("sofia/internal/1001@127.0.0.1:5071");
    expect(header(e, "Caller-Username")).toBe("1001");
    expect(header(e, "Caller-Context")).toBe("default");
  });

  it("9. verbatim API bodies", async () => {
    const c = await open();
    const bodies = async (cmd: string) => (await command(c, `api ${cmd}`)).body;
    expect(await bodies("nosuchcmd")).toBe("-ERR nosuchcmd Command not found!\n");
    expect(await bodies("global_getvar nope")).toBe("-ERR no reply\n");
    const bad = "01b00000-0000-4000-8000-000000000001";
    expect(await bodies(`uuid_getvar ${bad} x`)).toBe("-ERR No such channel!\n");
    expect(await bodies(`uuid_kill ${bad}`)).toBe("-ERR No such channel!\n");
    expect(await bodies("uuid_kill")).toBe("-USAGE: <uuid> [cause]\n");
    expect(await bodies(`uuid_bridge ${bad}`)).toBe("-USAGE: <uuid> <other_uuid>\n");
    expect(await bodies(`uuid_bridge ${bad} ${bad}`)).toBe("-ERR Invalid uuid\n");
    expect(await bodies(`uuid_broadcast ${bad} x.wav aleg`)).toBe("-ERR invalid uuid\n");
    expect(await bodies("hupall")).toBe("+OK hangup all channels with cause MANAGER_REQUEST\n");
    expect(await bodies("originate null/x")).toMatch(/^-USAGE: /);
    expect(
      await bodies(
        "originate {origination_uuid=12a00000-0000-4000-8000-000000000012}null/a &park()",
      ),
    ).toBe("+OK 12a00000-0000-4000-8000-000000000012\n");
    const u = "12a00000-0000-4000-8000-000000000012";
    expect(await bodies(`uuid_setvar ${u} queue_name support desk`)).toBe("+OK\n");
    expect(await bodies(`uuid_getvar ${u} queue_name`)).toBe("support desk");
    expect(await bodies(`uuid_getvar ${u} nope`)).toBe("_undef_");
    expect(await bodies("originate user/9999 &park()")).toBe("-ERR SUBSCRIBER_ABSENT\n");
    expect(await bodies("originate user/1019 &park()")).toBe("-ERR USER_NOT_REGISTERED\n");
    expect(await bodies("status")).toMatch(
      /^UP 0 years, 0 days, .*\nFreeSWITCH \(Version 1\.10\.12-release {2}64bit\) is ready\n/s,
    );
  });
});

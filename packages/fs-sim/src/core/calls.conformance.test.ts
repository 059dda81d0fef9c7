import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock/manual-clock.js";
import { FsSim } from "../fs-sim.js";
import { command, header, login, type RawClient, type RawMessage } from "../testing/raw-client.js";

/** (Event-Name, Unique-ID) of the events a client has, in order. */
function names(ms: RawMessage[], uuid?: string): string[] {
  return ms
    .filter((m) => m.headers["Content-Type"] === "text/event-plain")
    .filter((m) => !uuid || header(m, "Unique-ID") === uuid)
    .map((m) => header(m, "Event-Name") ?? "");
}

async function drain(c: RawClient, ms = 150): Promise<RawMessage[]> {
  await new Promise((r) => setTimeout(r, ms));
  const out: RawMessage[] = [];
  for (;;) {
    try {
      out.push(await c.next(20));
    } catch {
      return out;
    }
  }
}

describe("calls: lifecycle, causes, api blocking, sendmsg (brief §7 6-9, subtleties 1-2)", () => {
  let sim: FsSim;
  let clock: ManualClock;
  let c: RawClient;

  beforeEach(async () => {
    clock = new ManualClock();
    sim = await FsSim.start({ port: 0, clock });
    c = await login(sim.port);
    await command(c, "event plain ALL");
  });
  afterEach(async () => {
    c.close();
    await sim.stop();
  });

  it("6-7. an originated null leg: STATE CS_INIT before CREATE, increasing Event-Sequence, variables only where FS puts them", async () => {
    const u = "0c000000-0000-4000-8000-000000000001";
    const r = await command(c, `api originate {origination_uuid=${u}}null/a &park()`);
    expect(r.body).toBe(`+OK ${u}\n`);
    await clock.advance(10);
    const ev = (await drain(c)).filter(
      (m) => header(m, "Unique-ID") === u || header(m, "Old-Unique-ID"),
    );
    expect(names(ev, u)).toEqual([
      "CHANNEL_UUID",
      "CHANNEL_OUTGOING",
      "CHANNEL_STATE",
      "CHANNEL_CREATE",
      "CHANNEL_ORIGINATE",
      "CHANNEL_STATE",
      "CHANNEL_STATE",
      "CHANNEL_ANSWER",
      "CHANNEL_CALLSTATE",
      "CALL_UPDATE",
      "CHANNEL_STATE",
      "CHANNEL_EXECUTE",
      "CHANNEL_PARK",
    ]);
    const seqs = ev.map((m) => Number(header(m, "Event-Sequence")));
    expect([...seqs].sort((x, y) => x - y)).toEqual(seqs);
    for (const m of ev) {
      const hasVars = m.body.includes("\nvariable_");
      const name = header(m, "Event-Name");
      expect([name, hasVars]).toEqual([
        name,
        !["CHANNEL_STATE", "CHANNEL_CALLSTATE", "CHANNEL_OUTGOING"].includes(name ?? ""),
      ]);
    }
    const answer = ev.find((m) => header(m, "Event-Name") === "CHANNEL_ANSWER") as RawMessage;
    expect(header(answer, "Answer-State")).toBe("answered");
    expect(header(answer, "Channel-Call-State")).toBe("DOWN");
    expect(header(answer, "Channel-Call-UUID")).toBe(u);
    await command(c, `api uuid_kill ${u} USER_BUSY`);
    await clock.advance(10);
    const tail = names(await drain(c), u);
    expect(tail).toEqual([
      "CHANNEL_HANGUP",
      "CHANNEL_UNPARK",
      "CHANNEL_EXECUTE_COMPLETE",
      "CHANNEL_STATE",
      "CHANNEL_CALLSTATE",
      "CHANNEL_STATE",
      "CHANNEL_HANGUP_COMPLETE",
      "CHANNEL_DESTROY",
      "CHANNEL_STATE",
    ]);
  });

  it("subtlety 1: api originate silences the socket until it returns; the events come after the api/response", async () => {
    sim.users.set("1001", { behaviour: { ringAfterMs: 0, answerAfterMs: 3000 } });
    await c.send(
      "api originate {origination_uuid=0c000000-0000-4000-8000-000000000002}user/1001 &park()\n\n",
    );
    await clock.advance(2900);
    await new Promise((r) => setTimeout(r, 100));
    expect(c.pending()).toEqual([]);
    await clock.advance(200);
    const first = await c.next();
    expect(first.headers["Content-Type"]).toBe("api/response");
    expect(first.body).toBe("+OK 0c000000-0000-4000-8000-000000000002\n");
    const evs = names(await drain(c));
    expect(evs.slice(0, 5)).toEqual([
      "CHANNEL_UUID",
      "CHANNEL_OUTGOING",
      "CHANNEL_STATE",
      "CHANNEL_CREATE",
      "CHANNEL_ORIGINATE",
    ]);
    expect(evs).toContain("CHANNEL_PROGRESS");
    expect(evs).toContain("CHANNEL_ANSWER");
  });

  it("9. originate_timeout gives -ERR NO_ANSWER; leg_timeout ALLOTTED_TIMEOUT; busy USER_BUSY; reject CALL_REJECTED", async () => {
    sim.users.set("1001", { behaviour: { ringAfterMs: 0 } });
    sim.users.set("1002", { behaviour: { busyAfterMs: 100 } });
    sim.users.set("1003", { behaviour: { rejectAfterMs: 100 } });
    await c.send("api originate {originate_timeout=3}user/1001 &park()\n\n");
    await clock.advance(3100);
    expect((await c.until((m) => m.headers["Content-Type"] === "api/response")).hit.body).toBe(
      "-ERR NO_ANSWER\n",
    );
    await c.send("api originate [leg_timeout=2]user/1001 &park()\n\n");
    await clock.advance(2100);
    expect((await c.until((m) => m.headers["Content-Type"] === "api/response")).hit.body).toBe(
      "-ERR ALLOTTED_TIMEOUT\n",
    );
    await c.send("api originate user/1002 &park()\n\n");
    await clock.advance(200);
    expect((await c.until((m) => m.headers["Content-Type"] === "api/response")).hit.body).toBe(
      "-ERR USER_BUSY\n",
    );
    await c.send("api originate user/1003 &park()\n\n");
    await clock.advance(200);
    expect((await c.until((m) => m.headers["Content-Type"] === "api/response")).hit.body).toBe(
      "-ERR CALL_REJECTED\n",
    );
  });

  it("9. `,` rings together and the loser gets LOSE_RACE; `|` tries in order", async () => {
    sim.users.set("1001", { behaviour: { ringAfterMs: 0, answerAfterMs: 1000 } });
    sim.users.set("1002", { behaviour: { ringAfterMs: 0 } });
    const a = "09a00000-0000-4000-8000-000000000009";
    const b = "09b00000-0000-4000-8000-000000000009";
    await c.send(
      `api originate {ignore_early_media=true}[origination_uuid=${a}]user/1001,[origination_uuid=${b}]user/1002 &park()\n\n`,
    );
    await clock.advance(1100);
    const { hit, skipped } = await c.until((m) => m.headers["Content-Type"] === "api/response");
    expect(hit.body).toBe(`+OK ${a}\n`);
    expect(skipped).toEqual([]);
    const evs = await drain(c);
    const hangup = evs.find(
      (m) => header(m, "Event-Name") === "CHANNEL_HANGUP" && header(m, "Unique-ID") === b,
    );
    expect(header(hangup as RawMessage, "Hangup-Cause")).toBe("LOSE_RACE");
    const d = "09d00000-0000-4000-8000-000000000009";
    await c.send(
      `api originate [leg_timeout=2]user/1002|[origination_uuid=${d}]user/1001 &park()\n\n`,
    );
    await clock.advance(2000);
    await clock.advance(1100);
    expect((await c.until((m) => m.headers["Content-Type"] === "api/response")).hit.body).toBe(
      `+OK ${d}\n`,
    );
  });

  it("subtlety 2: early media ends originate (+OK before any CHANNEL_ANSWER) unless ignore_early_media=true", async () => {
    sim.users.set("1001", { behaviour: { earlyMediaAfterMs: 200, answerAfterMs: 5000 } });
    const u = "0e000000-0000-4000-8000-000000000001";
    await c.send(`api originate {origination_uuid=${u}}user/1001 &park()\n\n`);
    await clock.advance(300);
    expect((await c.until((m) => m.headers["Content-Type"] === "api/response")).hit.body).toBe(
      `+OK ${u}\n`,
    );
    const evs = names(await drain(c), u);
    expect(evs).toContain("CHANNEL_PROGRESS_MEDIA");
    expect(evs).not.toContain("CHANNEL_ANSWER");
    await c.send("api originate {ignore_early_media=true}user/1001 &park()\n\n");
    await clock.advance(300);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.pending().filter((m) => m.headers["Content-Type"] === "api/response")).toEqual([]);
    await clock.advance(5000);
    expect((await c.until((m) => m.headers["Content-Type"] === "api/response")).hit.body).toMatch(
      /^\+OK /,
    );
  });

  it("8. sendmsg: +OK or -ERR invalid session id; Application-UUID = Event-UUID; hangup-cause", async () => {
    const u = "0f000000-0000-4000-8000-000000000001";
    await command(c, `api originate {origination_uuid=${u}}null/a &park()`);
    const bad = await command(
      c,
      "sendmsg 0f000000-0000-4000-8000-00000000dead\ncall-command: execute\nexecute-app-name: answer",
    );
    expect(bad.headers["Reply-Text"]).toBe(
      "-ERR invalid session id [0f000000-0000-4000-8000-00000000dead]",
    );
    const ev = "0fe00000-0000-4000-8000-000000000001";
    const ok = await command(
      c,
      `sendmsg ${u}\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: tone_stream://%(200,0,440)\nEvent-UUID: ${ev}`,
    );
    expect(ok.raw).toBe("Content-Type: command/reply\nReply-Text: +OK\n\n");
    await clock.advance(20);
    const start = (
      await c.until(
        (m) =>
          header(m, "Event-Name") === "CHANNEL_EXECUTE" && header(m, "Application") === "playback",
      )
    ).hit;
    expect(header(start, "Application-UUID")).toBe(ev);
    await clock.advance(250);
    const done = (
      await c.until(
        (m) =>
          header(m, "Event-Name") === "CHANNEL_EXECUTE_COMPLETE" &&
          header(m, "Application") === "playback",
      )
    ).hit;
    expect(header(done, "Application-UUID")).toBe(ev);
    expect(header(done, "Application-Response")).toBe("FILE PLAYED");
    await command(c, `sendmsg ${u}\ncall-command: hangup\nhangup-cause: USER_BUSY`);
    await clock.advance(20);
    const h = (await c.until((m) => header(m, "Event-Name") === "CHANNEL_HANGUP")).hit;
    expect(header(h, "Hangup-Cause")).toBe("USER_BUSY");
  });

  it("8. two queued executes nest without event-lock and run in turn with it", async () => {
    const u = "0f000000-0000-4000-8000-000000000002";
    await command(c, `api originate {origination_uuid=${u}}null/a &park()`);
    await clock.advance(20);
    const send = (id: string, arg: string, lock: boolean) =>
      command(
        c,
        `sendmsg ${u}\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: ${arg}\n${lock ? "event-lock: true\n" : ""}Event-UUID: ${id}`,
      );
    const order = async () => {
      await clock.advance(2000);
      return (await drain(c))
        .filter((m) =>
          ["CHANNEL_EXECUTE", "CHANNEL_EXECUTE_COMPLETE"].includes(header(m, "Event-Name") ?? ""),
        )
        .filter((m) => header(m, "Application") === "playback")
        .map(
          (m) =>
            `${header(m, "Event-Name") === "CHANNEL_EXECUTE" ? "start" : "end"}-${header(m, "Application-UUID")?.slice(0, 2)}`,
        );
    };
    await drain(c);
    await send("a1000000-0000-4000-8000-000000000000", "tone_stream://%(600,0,440)", false);
    await send("b1000000-0000-4000-8000-000000000000", "tone_stream://%(100,0,880)", false);
    expect(await order()).toEqual(["start-a1", "start-b1", "end-b1", "end-a1"]);
    await send("a2000000-0000-4000-8000-000000000000", "tone_stream://%(600,0,440)", true);
    await send("b2000000-0000-4000-8000-000000000000", "tone_stream://%(100,0,880)", false);
    expect(await order()).toEqual(["start-a2", "end-a2", "start-b2", "end-b2"]);
  });
});

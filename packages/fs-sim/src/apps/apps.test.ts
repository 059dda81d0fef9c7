import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock/manual-clock.js";
import { FsSim } from "../fs-sim.js";
import { command, header, login, type RawClient } from "../testing/raw-client.js";

describe("applications and call control", () => {
  let sim: FsSim;
  let clock: ManualClock;
  let c: RawClient;

  beforeEach(async () => {
    clock = new ManualClock();
    sim = await FsSim.start({ port: 0, clock });
    c = await login(sim.port);
    await command(
      c,
      "event plain CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP_COMPLETE DTMF CUSTOM vm::maintenance",
    );
  });
  afterEach(async () => {
    c.close();
    await sim.stop();
  });

  const exec = (u: string, app: string, arg: string) =>
    command(
      c,
      `sendmsg ${u}\ncall-command: execute\nexecute-app-name: ${app}\nexecute-app-arg: ${arg}`,
    );

  it("play_and_get_digits: DTMF interrupts the prompt, digits land in the variable; a regex miss in <var>_invalid", async () => {
    const u = (await command(c, "api originate null/a &park()")).body.slice(4, 40);
    await exec(
      u,
      "play_and_get_digits",
      "1 4 2 3000 # tone_stream://%(5000,0,440) silence_stream://250 choice \\d+",
    );
    await clock.advance(100);
    sim.sendDtmf(u, "42#");
    await clock.advance(100);
    const dtmf = (await c.until((m) => header(m, "Event-Name") === "DTMF")).hit;
    expect(header(dtmf, "DTMF-Digit")).toBe("4");
    const done = (await c.until((m) => header(m, "Application") === "play_and_get_digits")).hit;
    expect(header(done, "variable_choice")).toBe("42");
    await exec(
      u,
      "play_and_get_digits",
      "2 2 1 1000 # silence_stream://100 silence_stream://250 pin ^1",
    );
    await clock.advance(50);
    sim.sendDtmf(u, "99");
    await clock.advance(100);
    const bad = (await c.until((m) => header(m, "Application") === "play_and_get_digits")).hit;
    expect(header(bad, "variable_pin_invalid")).toBe("99");
    expect(header(bad, "variable_pin")).toBeUndefined();
  });

  it("uuid_bridge: when one leg hangs up the other is hung up too (originatee NORMAL_CLEARING)", async () => {
    const a = (await command(c, "api originate null/a &park()")).body.slice(4, 40);
    const b = (await command(c, "api originate null/b &park()")).body.slice(4, 40);
    await clock.advance(50);
    expect((await command(c, `api uuid_bridge ${a} ${b}`)).body).toBe(`+OK ${b}\n`);
    await clock.advance(50);
    expect(sim.channel(a)?.bridgedTo).toBe(b);
    await command(c, `api uuid_kill ${b}`);
    await clock.advance(50);
    const causes = new Map<string, string>();
    for (let i = 0; i < 2; i++) {
      const m = (await c.until((x) => header(x, "Event-Name") === "CHANNEL_HANGUP_COMPLETE")).hit;
      causes.set(header(m, "Unique-ID") as string, header(m, "Hangup-Cause") as string);
    }
    expect(causes.get(b)).toBe("NORMAL_CLEARING");
    expect(causes.get(a)).toBe("NORMAL_CLEARING");
  });

  it("voicemail: greeting, beep, recording until hangup, vm::maintenance leave-message", async () => {
    sim.dialplan.add("4000", [{ app: "voicemail", arg: "default 127.0.0.1 1001" }]);
    const call = sim.placeCall({ from: "5551234", to: "4000", hangupAfterMs: 5000 });
    await clock.advance(5100);
    const vm = (await c.until((m) => header(m, "Event-Subclass") === "vm::maintenance")).hit;
    expect(header(vm, "VM-Action")).toBe("leave-message");
    expect(header(vm, "VM-User")).toBe("1001");
    expect(Number(header(vm, "VM-Message-Len"))).toBeGreaterThanOrEqual(1);
    expect((await call.result).hangupCause).toBe("NORMAL_CLEARING");
  });

  it("transfer and uuid_transfer route the channel through the dialplan again", async () => {
    sim.dialplan.add("6000", [{ app: "park" }]);
    const u = (await command(c, "api originate null/a &park()")).body.slice(4, 40);
    await clock.advance(50);
    expect((await command(c, `api uuid_transfer ${u} 6000`)).body).toBe("+OK\n");
    await clock.advance(50);
    const ch = await sim.waitForChannel((x) => x.uuid === u && x.destinationNumber === "6000", {
      timeoutMs: 1000,
    });
    expect(ch.variables.transfer_source).toMatch(/:bl_xfer:6000\//);
    expect(
      (await command(c, "api uuid_transfer 00000000-0000-4000-8000-000000000000 6000")).body,
    ).toBe("-ERR No such channel!\n");
  });

  it("uuid_hold toggles CHANNEL_HOLD / CHANNEL_UNHOLD and the call state", async () => {
    await command(c, "event plain CHANNEL_HOLD CHANNEL_UNHOLD");
    const u = (await command(c, "api originate null/a &park()")).body.slice(4, 40);
    expect((await command(c, `api uuid_hold ${u}`)).body).toBe("+OK Success\n");
    expect(
      header(
        (await c.until((m) => header(m, "Event-Name") === "CHANNEL_HOLD")).hit,
        "Channel-Call-State",
      ),
    ).toBe("ACTIVE");
    expect(sim.channel(u)?.callState).toBe("HELD");
    expect((await command(c, `api uuid_hold toggle ${u}`)).body).toBe("+OK Success\n");
    await c.until((m) => header(m, "Event-Name") === "CHANNEL_UNHOLD");
    expect(sim.channel(u)?.callState).toBe("ACTIVE");
    expect((await command(c, "api uuid_hold 00000000-0000-4000-8000-000000000000")).body).toBe(
      "-ERR Operation failed\n",
    );
  });

  it("show channels lists live channels in FreeSWITCH's CSV layout", async () => {
    await command(c, "api originate null/a &park()");
    const body = (await command(c, "api show channels")).body;
    expect(body.startsWith("uuid,direction,created,created_epoch,name,state,")).toBe(true);
    expect(body).toContain(",null/a,");
    expect(body.endsWith("\n1 total.\n")).toBe(true);
  });

  it("park honours park_timeout (seconds[:cause], read and cleared on entry), as switch_ivr_park does", async () => {
    const u = (
      await command(c, "api originate {park_timeout=3:ALLOTTED_TIMEOUT}null/a &park()")
    ).body.slice(4, 40);
    await clock.advance(1_000);
    expect(sim.channel(u)).toMatchObject({ answerState: "answered" });
    expect(sim.channel(u)?.variables.park_timeout).toBeUndefined();
    await clock.advance(3_000);
    const done = await c.until((m) => header(m, "Event-Name") === "CHANNEL_HANGUP_COMPLETE");
    expect(header(done.hit, "Hangup-Cause")).toBe("ALLOTTED_TIMEOUT");
    const plain = (await command(c, "api originate {park_timeout=2}null/b &park()")).body.slice(
      4,
      40,
    );
    await clock.advance(3_100);
    const ended = await c.until(
      (m) =>
        header(m, "Event-Name") === "CHANNEL_HANGUP_COMPLETE" && header(m, "Unique-ID") === plain,
    );
    expect(header(ended.hit, "Hangup-Cause")).toBe("NORMAL_CLEARING");
  });
});

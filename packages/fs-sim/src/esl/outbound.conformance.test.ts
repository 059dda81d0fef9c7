import type { Server } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock/manual-clock.js";
import { FsSim } from "../fs-sim.js";
import { appServer, command, header, login, type RawClient } from "../testing/raw-client.js";

describe("outbound sockets (brief §7 10, subtleties 3-5)", () => {
  let sim: FsSim;
  let clock: ManualClock;
  let app: { port: number; server: Server };
  let apps: RawClient[];
  let nextApp: Array<(c: RawClient) => void>;

  const arrival = () => new Promise<RawClient>((r) => nextApp.push(r));

  beforeEach(async () => {
    clock = new ManualClock();
    apps = [];
    nextApp = [];
    app = await appServer((c) => {
      apps.push(c);
      nextApp.shift()?.(c);
    });
    sim = await FsSim.start({ port: 0, clock });
    sim.dialplan.add("7000", [{ app: "socket", arg: `127.0.0.1:${app.port} async full` }]);
    sim.dialplan.add("7001", [{ app: "socket", arg: `127.0.0.1:${app.port} async` }]);
    sim.dialplan.add("7002", [{ app: "socket", arg: `127.0.0.1:${app.port} full` }]);
  });
  afterEach(async () => {
    for (const c of apps) c.close();
    app.server.close();
    await sim.stop();
  });

  it("10. connect answers with CHANNEL_DATA as bare headers ending in the %2BOK%0A reply; myevents scopes to the channel", async () => {
    const arrived = arrival();
    const call = sim.placeCall({ from: "5551234", fromName: "Caller", to: "7000" });
    const a = await arrived;
    const r = await command(a, "connect");
    expect(r.raw.startsWith("Event-Name: CHANNEL_DATA\n")).toBe(true);
    expect(
      r.raw.endsWith(
        "Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: async\nControl: full\n\n",
      ),
    ).toBe(true);
    expect(r.headers["Unique-ID"]).toBe(call.uuid);
    expect(r.headers["Channel-Destination-Number"]).toBe("7000");
    expect(r.headers.variable_current_application).toBe("socket");
    expect((await command(a, "myevents")).headers["Reply-Text"]).toBe("+OK Events Enabled");
    expect((await command(a, "myevents")).headers["Reply-Text"]).toBe("-ERR aready enabled.");
    expect((await command(a, "getvar sip_from_user")).headers["Reply-Text"]).toBe("5551234");
    expect((await command(a, "getvar nope")).headers["Reply-Text"]).toBe("-ERR command not found");
    const other = await login(sim.port);
    await command(other, "api originate null/x &park()");
    await clock.advance(50);
    await command(
      a,
      "sendmsg\ncall-command: execute\nexecute-app-name: answer\nEvent-UUID: aaaa0000-0000-4000-8000-000000000000",
    );
    await clock.advance(50);
    const evs = [];
    for (let i = 0; i < 3; i++) evs.push(await a.next());
    for (const e of evs) expect(header(e, "Unique-ID")).toBe(call.uuid);
    expect(evs.map((e) => header(e, "Event-Name"))).toEqual([
      "CHANNEL_EXECUTE",
      "CHANNEL_PROGRESS_MEDIA",
      "CHANNEL_ANSWER",
    ]);
    other.close();
  });

  it("subtlety 4: without full only the session commands work; api, event, linger answer -ERR command not found", async () => {
    const arrived = arrival();
    sim.placeCall({ from: "5551234", to: "7001" });
    const a = await arrived;
    const r = await command(a, "connect");
    expect(r.headers.Control).toBe("single-channel");
    for (const cmd of [
      "api status",
      "bgapi status",
      "event plain ALL",
      "linger",
      "nolinger",
      "log 7",
      "nixevent ALL",
      "noevents",
    ]) {
      expect([cmd, (await command(a, cmd)).headers["Reply-Text"]]).toEqual([
        cmd,
        "-ERR command not found",
      ]);
    }
    expect((await command(a, "myevents")).headers["Reply-Text"]).toBe("+OK Events Enabled");
    expect((await command(a, "resume")).headers["Reply-Text"]).toBe("+OK");
  });

  it("subtlety 5 / 10: with linger the notice comes after HANGUP_COMPLETE, the final notice when the app exits", async () => {
    const arrived = arrival();
    const call = sim.placeCall({ from: "5551234", to: "7000", hangupAfterMs: 1000 });
    const a = await arrived;
    await command(a, "connect");
    await command(a, "myevents");
    expect((await command(a, "linger")).headers["Reply-Text"]).toBe("+OK will linger");
    await clock.advance(1100);
    const { hit, skipped } = await a.until(
      (m) => m.headers["Content-Type"] === "text/disconnect-notice",
    );
    expect(hit.raw).toBe(
      `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${call.uuid}\nContent-Disposition: linger\nChannel-Name: sofia/external/5551234@127.0.0.1:5072\nLinger-Time: -1\nContent-Length: 0\n\n`,
    );
    expect(skipped.map((m) => header(m, "Event-Name")).slice(-1)).toEqual([
      "CHANNEL_HANGUP_COMPLETE",
    ]);
    expect(sim.channel(call.uuid)).toBeDefined();
    await a.send("exit\n\n");
    await a.waitClosed();
    expect(
      a.received.endsWith(
        "Content-Disposition: disconnect\nContent-Length: 67\n\nDisconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n",
      ),
    ).toBe(true);
    expect((await call.result).hangupCause).toBe("NORMAL_CLEARING");
  });

  it("subtlety 5: without linger the final notice comes and the socket closes", async () => {
    const arrived = arrival();
    sim.placeCall({ from: "5551234", to: "7000", hangupAfterMs: 500 });
    const a = await arrived;
    await command(a, "connect");
    await clock.advance(600);
    await a.waitClosed();
    expect(a.received).toMatch(/Content-Disposition: disconnect\nContent-Length: 67\n\n/);
  });

  it("subtlety 5: a static socket answers execute only after the app, with its events behind the +OK", async () => {
    const arrived = arrival();
    sim.placeCall({ from: "5551234", to: "7002" });
    const a = await arrived;
    expect((await command(a, "connect")).headers["Socket-Mode"]).toBe("static");
    await command(a, "myevents");
    await a.send(
      "sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: tone_stream://%(500,0,440)\n\n",
    );
    await clock.advance(400);
    await new Promise((r) => setTimeout(r, 50));
    expect(a.pending()).toEqual([]);
    await clock.advance(200);
    expect((await a.next()).headers["Reply-Text"]).toBe("+OK");
    expect(header(await a.next(), "Event-Name")).toBe("CHANNEL_EXECUTE");
  });

  it("subtlety 3: a busy agent on bridge hangs the caller up with USER_BUSY; continue_on_fail keeps it", async () => {
    sim.users.set("1001", { behaviour: { busyAfterMs: 50 } });
    for (const cof of [false, true]) {
      const arrived = arrival();
      const call = sim.placeCall({ from: "5551234", to: "7000" });
      const a = await arrived;
      await command(a, "connect");
      await command(a, "myevents");
      if (cof)
        await command(
          a,
          "sendmsg\ncall-command: execute\nexecute-app-name: set\nexecute-app-arg: continue_on_fail=true\nevent-lock: true",
        );
      await command(
        a,
        "sendmsg\ncall-command: execute\nexecute-app-name: bridge\nexecute-app-arg: user/1001",
      );
      await clock.advance(200);
      const done = (
        await a.until(
          (m) =>
            header(m, "Event-Name") === "CHANNEL_EXECUTE_COMPLETE" &&
            header(m, "Application") === "bridge",
        )
      ).hit;
      expect(header(done, "variable_DIALSTATUS")).toBe("BUSY");
      expect(header(done, "variable_originate_failed_cause")).toBe("USER_BUSY");
      expect(header(done, "Hangup-Cause")).toBe(cof ? undefined : "USER_BUSY");
      if (cof) {
        expect(sim.channel(call.uuid)?.answerState).toBe("ringing");
        await command(a, "sendmsg\ncall-command: hangup");
        await clock.advance(100);
      }
      expect((await call.result).hangupCause).toBe(cof ? "NORMAL_CLEARING" : "USER_BUSY");
      a.close();
    }
  });

  it("bridge to an answering agent: CHANNEL_BRIDGE / UNBRIDGE with Other-Leg-*, the caller stays up", async () => {
    sim.users.set("1001", {
      behaviour: { ringAfterMs: 0, answerAfterMs: 100, hangupAfterMs: 1000 },
    });
    const arrived = arrival();
    const call = sim.placeCall({ from: "5551234", to: "7000" });
    const a = await arrived;
    await command(a, "connect");
    await command(a, "myevents");
    await command(a, "sendmsg\ncall-command: execute\nexecute-app-name: answer");
    await command(
      a,
      "sendmsg\ncall-command: execute\nexecute-app-name: bridge\nexecute-app-arg: user/1001",
    );
    await clock.advance(300);
    const bridge = (await a.until((m) => header(m, "Event-Name") === "CHANNEL_BRIDGE")).hit;
    expect(header(bridge, "Other-Leg-Channel-Name")).toBe("sofia/internal/1001@127.0.0.1:5071");
    expect(header(bridge, "Bridge-A-Unique-ID")).toBe(call.uuid);
    const agent = sim.channels().find((ch) => ch.name.startsWith("sofia/internal/1001"));
    expect(agent?.bridgedTo).toBe(call.uuid);
    expect(agent?.variables.call_uuid).toBe(call.uuid);
    await clock.advance(1100);
    await a.until((m) => header(m, "Event-Name") === "CHANNEL_UNBRIDGE");
    const done = (await a.until((m) => header(m, "Event-Name") === "CHANNEL_EXECUTE_COMPLETE")).hit;
    expect(header(done, "Application")).toBe("bridge");
    expect(sim.channel(call.uuid)?.answerState).toBe("answered");
  });
});

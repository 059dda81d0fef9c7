import type { Server } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ManualClock } from "../clock/manual-clock.js";
import { FsSim } from "../fs-sim.js";
import { appServer, command, header, login, type RawClient } from "../testing/raw-client.js";

/**
 * What FreeSWITCH 1.10.12 does when a call's outbound socket closes (the
 * worker died): mod_event_socket never hangs up on disconnect. In async
 * mode, with or without `resume`, the `socket` application returns at once
 * (CHANNEL_EXECUTE_COMPLETE, Application-Response `_none_`) and the dialplan
 * runs its next action; with no action left the core hangs the channel up
 * with NORMAL_CLEARING. Checked on a live switch and in the module's source.
 * Hold music the socket had started is broken off so the app can return
 * (the live check was of an idle parked call; this case is modelled on it).
 * Application-Response is what switch_core_session_exec reads after the
 * app: `_none_`, or the response a nested app left (the broken-off
 * playback's `FILE PLAYED`).
 */
describe("an outbound socket that closes under a call", () => {
  let sim: FsSim;
  let clock: ManualClock;
  let app: { port: number; server: Server };
  let apps: RawClient[];
  let nextApp: Array<(c: RawClient) => void>;
  let events: RawClient;

  beforeEach(async () => {
    clock = new ManualClock();
    apps = [];
    nextApp = [];
    app = await appServer((c) => {
      apps.push(c);
      nextApp.shift()?.(c);
    });
    sim = await FsSim.start({ port: 0, clock });
    sim.dialplan.add("7100", [
      { app: "socket", arg: `127.0.0.1:${app.port} async full` },
      { app: "set", arg: "fallback=reached" },
    ]);
    events = await login(sim.port);
    await command(events, "event plain CHANNEL_EXECUTE CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP");
  });
  afterEach(async () => {
    for (const c of apps) c.close();
    events.close();
    app.server.close();
    await sim.stop();
  });

  const variants: Array<[string, (a: RawClient) => Promise<void>, string]> = [
    ["parked", async () => {}, "_none_"],
    [
      "playing endless hold music",
      async (a) => {
        await command(
          a,
          "sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: local_stream://moh",
        );
      },
      "FILE PLAYED",
    ],
    ["after resume", async (a) => void (await command(a, "resume")), "_none_"],
  ];

  for (const [name, before, response] of variants) {
    it(`async, ${name}: socket returns at once, the dialplan's next action runs, then NORMAL_CLEARING`, async () => {
      const arrived = new Promise<RawClient>((resolve) => nextApp.push(resolve));
      const call = sim.placeCall({ from: "5551234", to: "7100" });
      const a = await arrived;
      await command(a, "connect");
      await command(a, "myevents");
      await command(a, "sendmsg\ncall-command: execute\nexecute-app-name: answer");
      await clock.advance(100);
      await before(a);
      await clock.advance(100);
      a.close();
      await clock.advance(200);
      const ofCall = (m: { body: string }) => m.body.includes(call.uuid);
      const done = (
        await events.until(
          (m) =>
            ofCall(m) &&
            header(m, "Event-Name") === "CHANNEL_EXECUTE_COMPLETE" &&
            header(m, "Application") === "socket",
        )
      ).hit;
      expect(header(done, "Application-Response")).toBe(response);
      const next = (
        await events.until((m) => ofCall(m) && header(m, "Event-Name") === "CHANNEL_EXECUTE")
      ).hit;
      expect([header(next, "Application"), header(next, "Application-Data")]).toEqual([
        "set",
        "fallback=reached",
      ]);
      const hangup = (
        await events.until((m) => ofCall(m) && header(m, "Event-Name") === "CHANNEL_HANGUP")
      ).hit;
      expect(header(hangup, "Hangup-Cause")).toBe("NORMAL_CLEARING");
      expect((await call.result).hangupCause).toBe("NORMAL_CLEARING");
    });
  }
});

import type { Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { FsSim } from "./fs-sim.js";
import { appServer, command, login } from "./testing/raw-client.js";

const CALLS = 1000;

describe("load", () => {
  it(`carries ${CALLS} concurrent calls through outbound sockets without errors`, async () => {
    const sockets: Socket[] = [];
    let connected = 0;
    // A trivial app over raw TCP: connect, myevents, answer, an endless tone; hupall ends the calls.
    const app = await appServer((c) => {
      sockets.push(c.socket);
      connected++;
      c.socket.write(
        "connect\n\nmyevents\n\nsendmsg\ncall-command: execute\nexecute-app-name: answer\n\n" +
          "sendmsg\ncall-command: execute\nexecute-app-name: playback\nexecute-app-arg: tone_stream://%(1000,0,350);loops=-1\n\n",
      );
    });
    const sim = await FsSim.start({ port: 0 });
    sim.dialplan.add("7000", [{ app: "socket", arg: `127.0.0.1:${app.port} async full` }]);
    const watcher = await login(sim.port);
    await command(watcher, "event plain CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE");
    try {
      const calls = Array.from({ length: CALLS }, (_, i) =>
        sim.placeCall({ from: String(5550000 + i), to: "7000" }),
      );
      let peak = 0;
      const deadline = Date.now() + 60_000;
      while (peak < CALLS && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        peak = Math.max(peak, sim.channels().filter((c) => c.answerState === "answered").length);
      }
      expect(peak).toBe(CALLS);
      expect(connected).toBe(CALLS);
      // `api` holds the socket until all 1,000 legs are down: seconds on a loaded machine.
      expect((await command(watcher, "api hupall NORMAL_CLEARING", 30_000)).body).toBe(
        "+OK hangup all channels with cause NORMAL_CLEARING\n",
      );
      const results = await Promise.all(calls.map((c) => c.result));
      expect(results.filter((r) => r.hangupCause === "NORMAL_CLEARING" && r.answered)).toHaveLength(
        CALLS,
      );
      expect(sim.channels()).toEqual([]);
      expect(watcher.closed).toBe(false);
    } finally {
      watcher.close();
      for (const s of sockets) s.destroy();
      app.server.close();
      await sim.stop();
    }
  }, 120_000);
});

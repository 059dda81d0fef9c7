import { randomUUID } from "node:crypto";
import { FsSim, ManualClock } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import { driveUntil, driveUntilTrue, eventually } from "../../test/sim-rig.js";
import { EslConnectionError, EslDisconnectedError } from "../errors.js";
import { type ConnectionState, connect, type EslConnection } from "../esl-connection.js";
import { FreeswitchCallControl } from "../freeswitch-call-control.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startSim(port: number, clock: ManualClock): Promise<FsSim> {
  const sim = await FsSim.start({ port, clock });
  cleanups.push(() => sim.stop());
  return sim;
}

describe("reconnection to a restarted switch", () => {
  it("reconnects, restores its subscriptions and carries calls again", async () => {
    const firstClock = new ManualClock();
    const first = await startSim(0, firstClock);
    const port = first.port;
    const connection: EslConnection = await connect({
      port,
      password: "ClueCon",
      reconnect: { initialDelayMs: 20, maxDelayMs: 100 },
    });
    cleanups.push(() => connection.disconnect());
    const states: ConnectionState[] = [];
    connection.onStateChange((state) => states.push(state));
    const errors: unknown[] = [];
    connection.onError((error) => errors.push(error));
    const control = new FreeswitchCallControl(connection);
    control.onError((error) => errors.push(error));
    await connection.subscribe(["CHANNEL_PARK"]);

    first.users.set("1003", { behaviour: { ringAfterMs: 0 } });
    const ringing = await control.originate({
      uuid: randomUUID(),
      destination: "user/1003",
      timeoutMs: 30_000,
    });
    await first.stop();

    // The switch went away with the leg still ringing: it is reported unanswered.
    const lost = await ringing.outcome;
    expect(lost.answered).toBe(false);
    expect(["SYSTEM_SHUTDOWN", "NORMAL_TEMPORARY_FAILURE"]).toContain(
      lost.answered ? undefined : lost.cause,
    );
    await eventually(() => connection.state === "reconnecting", { what: "reconnecting" });
    // Commands fail fast while nobody answers on the port.
    await expect(connection.api("status")).rejects.toBeInstanceOf(EslDisconnectedError);
    await eventually(() => errors.length > 0, { what: "a failed reconnection attempt" });

    const secondClock = new ManualClock();
    const second = await startSim(port, secondClock);
    await eventually(() => connection.state === "connected", { what: "reconnected" });
    expect(states).toEqual(["reconnecting", "connected"]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e instanceof EslConnectionError)).toBe(true);
    // The leg is gone with the old switch. Unless its hangup events made it
    // out before the socket closed (SYSTEM_SHUTDOWN), the reconnected
    // connection finds it missing and settles it as NORMAL_TEMPORARY_FAILURE.
    expect(["SYSTEM_SHUTDOWN", "NORMAL_TEMPORARY_FAILURE"]).toContain(await ringing.ended);

    // Both the call control's subscriptions and our own were replayed.
    const seen: string[] = [];
    connection.onEvent((event) => {
      if (event.name !== "BACKGROUND_JOB") seen.push(event.name);
    });
    second.users.set("1001", { behaviour: { answerAfterMs: 1000 } });
    const leg = await control.originate({
      uuid: randomUUID(),
      destination: "user/1001",
      timeoutMs: 20_000,
    });
    expect(await driveUntil(secondClock, leg.outcome)).toEqual({ answered: true });
    await driveUntilTrue(secondClock, () => seen.includes("CHANNEL_PARK"));
    expect(seen).toEqual(["CHANNEL_CREATE", "CHANNEL_ANSWER", "CHANNEL_PARK"]);
    expect((await connection.api("status")).startsWith("UP ")).toBe(true);
    await leg.hangup();
    expect(await driveUntil(secondClock, leg.ended)).toBe("NORMAL_CLEARING");
    expect(second.channels()).toEqual([]);
  });
});

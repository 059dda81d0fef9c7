import { randomUUID } from "node:crypto";
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { FsSim } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import { eventually } from "../../test/sim-rig.js";
import { EslOverloadedError, EslTimeoutError } from "../errors.js";
import { connect } from "../esl-connection.js";
import { FreeswitchCallControl } from "../freeswitch-call-control.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/**
 * A TCP relay between the client and the switch that can hold what the
 * switch sends for `lagMs` before handing it on, in order: the client sees
 * every reply and event late, as a worker does that reads its control
 * connection behind a backlog of unread events (the 200 calls/s stall).
 */
class LaggingRelay {
  lagMs = 0;
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {}

  static async start(upstreamPort: number): Promise<LaggingRelay> {
    let relay: LaggingRelay | undefined;
    const server = createServer((client) => {
      const upstream = tcpConnect({ port: upstreamPort, host: "127.0.0.1" });
      relay?.sockets.add(client).add(upstream);
      let releaseAt = 0;
      client.on("data", (chunk) => upstream.write(chunk));
      upstream.on("data", (chunk) => {
        const lag = relay?.lagMs ?? 0;
        // Never overtakes what was held before it.
        releaseAt = Math.max(Date.now() + lag, releaseAt);
        const wait = releaseAt - Date.now();
        if (wait <= 0) client.write(chunk);
        else setTimeout(() => client.writable && client.write(chunk), wait);
      });
      const close = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("close", close).on("error", close);
      upstream.on("close", close).on("error", close);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    relay = new LaggingRelay(server);
    return relay;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === "string") throw new Error("not listening");
    return address.port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** fs-sim, a relay in front of it, and a connection through the relay; all closed after the test. */
async function behindRelay(options: Omit<Parameters<typeof connect>[0], "port" | "password">) {
  const sim = await FsSim.start({ port: 0 });
  cleanups.push(() => sim.stop());
  const relay = await LaggingRelay.start(sim.port);
  cleanups.push(() => relay.close());
  const connection = await connect({
    password: "ClueCon",
    reconnect: false,
    commandTimeoutMs: 300,
    ...options,
    port: relay.port,
  });
  cleanups.push(() => connection.disconnect());
  return { sim, relay, connection };
}

describe("the control connection behind a backlog of replies", () => {
  it("ends a leg whose uuid_kill timed out behind the backlog, once the backlog clears", async () => {
    const { sim, relay, connection } = await behindRelay({ maxCommandsInFlight: 4 });
    const errors: unknown[] = [];
    connection.onError((error) => errors.push(error));
    const control = new FreeswitchCallControl(connection, {
      killRetryDelaysMs: [200, 400, 800, 1_600],
    });
    control.onError((error) => errors.push(error));

    sim.users.set("1001", { behaviour: { answerAfterMs: 0, hangupAfterMs: 600_000 } });
    const leg = await control.originate({
      uuid: randomUUID(),
      destination: "user/1001",
      timeoutMs: 20_000,
    });
    expect(await leg.outcome).toEqual({ answered: true });
    let ended: string | undefined;
    void leg.ended.then((cause) => {
      ended = cause;
    });

    // The backlog: every reply now reaches the client a second late, and
    // other calls' commands fill the connection's four slots.
    relay.lagMs = 1_000;
    const others = Array.from({ length: 4 }, () =>
      connection.api(`uuid_exists ${randomUUID()}`).catch((error: unknown) => error),
    );
    const hangup = await leg.hangup().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((hangup as Error | undefined)?.cause).toBeInstanceOf(EslTimeoutError);
    for (const other of await Promise.all(others)) expect(other).toBeInstanceOf(EslTimeoutError);
    relay.lagMs = 0;

    // The kill was lost in the backlog; the caller gave up on it. The leg
    // must still go: the switch hangs it up and the call control sees it end.
    await eventually(
      () => sim.channel(leg.uuid)?.answerState === "hangup" || !sim.channel(leg.uuid),
      {
        timeoutMs: 8_000,
        what: "the switch to hang the leg up",
      },
    );
    await eventually(() => ended !== undefined, { timeoutMs: 8_000, what: "the leg's end" });
    expect(ended).toBe("NORMAL_CLEARING");
  });

  it("with a command connection beside it, kills a leg at once though the event connection lags", async () => {
    const { sim, relay, connection } = await behindRelay({ maxCommandsInFlight: 4 });
    // Straight to the switch, subscribed to nothing: its replies never queue behind events.
    const commands = await connect({
      port: sim.port,
      password: "ClueCon",
      reconnect: false,
      commandTimeoutMs: 300,
      events: false,
    });
    cleanups.push(() => commands.disconnect());
    const control = new FreeswitchCallControl(connection, { commands, killRetryDelaysMs: [] });
    control.onError(() => undefined);

    sim.users.set("1001", { behaviour: { answerAfterMs: 0, hangupAfterMs: 600_000 } });
    const leg = await control.originate({
      uuid: randomUUID(),
      destination: "user/1001",
      timeoutMs: 20_000,
    });
    expect(await leg.outcome).toEqual({ answered: true });

    relay.lagMs = 1_000;
    const others = Array.from({ length: 4 }, () =>
      connection.api(`uuid_exists ${randomUUID()}`).catch((error: unknown) => error),
    );
    const started = Date.now();
    await leg.hangup();
    expect(Date.now() - started).toBeLessThan(300);
    expect(sim.channel(leg.uuid)?.answerState ?? "hangup").toBe("hangup");
    // The leg's own end still comes through the lagging event connection.
    expect(await leg.ended).toBe("NORMAL_CLEARING");
    for (const other of await Promise.all(others)) expect(other).toBeInstanceOf(EslTimeoutError);
  });

  it("forgets a leg whose originate was refused unsent, and asks about one whose reply never came", async () => {
    const { relay, connection } = await behindRelay({
      maxCommandsInFlight: 1,
      maxQueuedCommands: 0,
    });
    const control = new FreeswitchCallControl(connection, { abandonedLegCheckMarginMs: 200 });
    control.onError(() => undefined);
    // The first originate subscribes the connection; an unregistered user makes no channel.
    const first = await control.originate({
      uuid: randomUUID(),
      destination: "user/1019",
      timeoutMs: 500,
    });
    expect(await first.ended).toBe("USER_NOT_REGISTERED");

    // Refused unsent: the one slot is taken and nothing may wait for it.
    relay.lagMs = 1_000;
    const filler = connection.api("status").catch((error: unknown) => error);
    const refused = randomUUID();
    const error = await control
      .originate({ uuid: refused, destination: "user/1019", timeoutMs: 500 })
      .catch((e: unknown) => e);
    expect((error as Error).cause).toBeInstanceOf(EslOverloadedError);
    expect(await filler).toBeInstanceOf(EslTimeoutError);
    relay.lagMs = 0;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    // The switch never heard of it: its uuid is free again at once.
    const again = await control.originate({
      uuid: refused,
      destination: "user/1019",
      timeoutMs: 500,
    });
    expect(await again.ended).toBe("USER_NOT_REGISTERED");

    // Written, but its reply came too late: abandoned, then asked about.
    relay.lagMs = 1_000;
    const late = randomUUID();
    const timedOut = await control
      .originate({ uuid: late, destination: "user/1019", timeoutMs: 500 })
      .catch((e: unknown) => e);
    expect((timedOut as Error).cause).toMatchObject({ written: true });
    relay.lagMs = 0;
    // Still tracked until the check, 500 + 200 ms on (then uuid_exists: false).
    await expect(
      control.originate({ uuid: late, destination: "user/1019", timeoutMs: 500 }),
    ).rejects.toThrow(/already in progress/);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const retried = await control.originate({
      uuid: late,
      destination: "user/1019",
      timeoutMs: 500,
    });
    expect(await retried.ended).toBe("USER_NOT_REGISTERED");
  });
});

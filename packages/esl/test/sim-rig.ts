import { type ChannelInfo, FsSim, type FsSimOptions, type ManualClock } from "@ringflow/fs-sim";
import { EslCallSession } from "../src/esl-call-session.js";
import { type ConnectOptions, connect, type EslConnection } from "../src/esl-connection.js";
import type { EslOutboundSession } from "../src/esl-outbound-session.js";
import { type EslServer, type ListenOptions, listen } from "../src/esl-server.js";
import { FreeswitchCallControl } from "../src/freeswitch-call-control.js";

/** Handles one call that the simulator's dialplan sent to a {@link CallServer}. */
export type CallHandler<T> = (call: EslCallSession, session: EslOutboundSession) => Promise<T>;

/** An outbound-socket server (this package's `listen`) that the simulator's dialplan points at. */
export interface CallServer<T> {
  readonly server: EslServer;
  /** The number to dial. */
  readonly extension: string;
  /** The handler's result for the next call to arrive (calls are taken in arrival order). */
  next(): Promise<T>;
}

/**
 * Integration-test rig: an fs-sim switch in this process on a free port, and
 * this package's inbound connection and call control pointed at it over
 * real TCP. Everything it opens is closed by {@link SimRig.close}.
 */
export interface SimRig {
  readonly sim: FsSim;
  readonly connection: EslConnection;
  readonly control: FreeswitchCallControl;
  /** Background errors the connection, call control, servers and sessions reported (tests expect none). */
  readonly errors: unknown[];
  /**
   * Starts an outbound-socket server and routes `extension` (default 7100)
   * to it with `socket <address> async full`; each call is handed to
   * `handle` as an `EslCallSession` and its `EslOutboundSession`.
   */
  serveCalls<T>(
    handle: CallHandler<T>,
    extension?: string,
    listenOptions?: Partial<ListenOptions>,
  ): Promise<CallServer<T>>;
  close(): Promise<void>;
}

/** Starts a simulator and connects to it. */
export async function startRig(
  simOptions: FsSimOptions = {},
  connectOptions: Partial<ConnectOptions> = {},
): Promise<SimRig> {
  const sim = await FsSim.start({ port: 0, ...simOptions });
  const connection = await connect({ port: sim.port, password: "ClueCon", ...connectOptions });
  const errors: unknown[] = [];
  connection.onError((error) => errors.push(error));
  const control = new FreeswitchCallControl(connection);
  control.onError((error) => errors.push(error));
  const servers: EslServer[] = [];
  return {
    sim,
    connection,
    control,
    errors,
    async serveCalls<T>(
      handle: CallHandler<T>,
      extension = "7100",
      listenOptions: Partial<ListenOptions> = {},
    ) {
      const arrived: Array<Promise<T>> = [];
      const waiting: Array<(result: Promise<T>) => void> = [];
      const server = await listen({ port: 0, ...listenOptions }, (session) => {
        session.onError((error) => errors.push(error));
        const result = handle(new EslCallSession(session), session);
        result.catch(() => undefined); // the test reads it through next()
        const waiter = waiting.shift();
        if (waiter) waiter(result);
        else arrived.push(result);
      });
      server.onError((error) => errors.push(error));
      servers.push(server);
      sim.dialplan.add(extension, [{ app: "socket", arg: `127.0.0.1:${server.port} async full` }]);
      return {
        server,
        extension,
        next: () =>
          arrived.shift() ??
          new Promise<Promise<T>>((resolve) => waiting.push(resolve)).then((r) => r),
      };
    },
    async close() {
      for (const server of servers) await server.close({ force: true });
      await connection.disconnect();
      await sim.stop();
    },
  };
}

/**
 * Resolves with the channel matching `match` as it is when it hangs up (its
 * Hangup-Cause set), read from the simulator itself. Register it before the
 * hangup can happen: a channel already destroyed is not seen.
 */
export function channelHangup(
  sim: FsSim,
  match: (channel: ChannelInfo) => boolean,
  timeoutMs = 15_000,
): Promise<ChannelInfo> {
  return sim.waitForChannel((c) => match(c) && c.hangupCause !== undefined, { timeoutMs });
}

/** The simulator's channels that are not hung up. */
export function liveChannels(sim: FsSim): ChannelInfo[] {
  return sim.channels().filter((c) => c.answerState !== "hangup");
}

/**
 * Moves a manual clock on in `stepMs` steps until `work` settles, letting
 * socket I/O run between steps (each `advance` turns the event loop), and
 * resolves or rejects as `work` does. Fails after `limitMs` simulated ms.
 */
export async function driveUntil<T>(
  clock: ManualClock,
  work: Promise<T>,
  { stepMs = 10, limitMs = 120_000 }: { stepMs?: number; limitMs?: number } = {},
): Promise<T> {
  let settled = false;
  const watched = work.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  const until = clock.now() + limitMs;
  while (!settled) {
    if (clock.now() >= until) throw new Error(`still pending after ${limitMs} simulated ms`);
    await clock.advance(stepMs);
  }
  return watched;
}

/** {@link driveUntil} a condition holds. */
export async function driveUntilTrue(
  clock: ManualClock,
  condition: () => boolean,
  options?: { stepMs?: number; limitMs?: number },
): Promise<void> {
  const until = clock.now() + (options?.limitMs ?? 120_000);
  while (!condition()) {
    if (clock.now() >= until) throw new Error("condition still false");
    await clock.advance(options?.stepMs ?? 10);
  }
}

/** Waits (in real time) until `condition` holds. */
export async function eventually(
  condition: () => boolean,
  { timeoutMs = 10_000, what = "condition" }: { timeoutMs?: number; what?: string } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

import { once } from "node:events";
import { createConnection, createServer, type Socket } from "node:net";
import { FsSim } from "../fs-sim.js";
import { LiveConnection, Recorder } from "./live-connection.js";
import { FIDELITY_SCENARIOS } from "./scenarios.js";
import { loadTranscript, type ReplayConnection } from "./transcript.js";

/** Options for {@link runFidelityScenario}. */
export interface RunOptions {
  /** Path of the golden transcript (its client side is replayed). */
  transcript: string;
  /** Scenario number, "06" … "11". */
  id: string;
  /** Wait for an expected message at most this long (ms). */
  timeoutMs?: number;
  /** Cap on recorded pauses reproduced (ms). */
  maxPauseMs?: number;
  /**
   * Port the outbound socket app is served on. Default 0, any free port: the
   * runner routes 7000 there itself, so parallel runs never collide.
   */
  outboundPort?: number;
}

/**
 * Recreates a recorded scenario with the simulator's scripted phones and
 * callers, replays the recorded client side (inbound connections to the
 * simulator, outbound-socket connections it makes to us), and returns what
 * the simulator sent, in the transcript format, ready for
 * `check.py --events-only`.
 */
export async function runFidelityScenario(opts: RunOptions): Promise<string> {
  const scenario = FIDELITY_SCENARIOS[opts.id];
  if (!scenario) throw new Error(`no fidelity scenario ${opts.id}`);
  const traces = await loadTranscript(opts.transcript);
  const timeouts = { timeoutMs: opts.timeoutMs ?? 8000, maxPauseMs: opts.maxPauseMs ?? 3000 };
  const rec = new Recorder();
  const sim = await FsSim.start({ port: 0 });
  const outboundTraces = traces.filter((t) => t.kind === "outbound");
  const outboundDone: Array<Promise<void>> = [];
  const arrivals: Array<() => void> = [];
  const server = createServer((socket: Socket) => {
    const k = outboundDone.length;
    const trace = outboundTraces[k];
    const live = new LiveConnection(rec, `outbound-${k + 1}`, socket);
    if (!trace) socket.destroy();
    outboundDone.push(trace ? live.replay(trace, timeouts) : Promise.resolve());
    arrivals.shift()?.();
  });
  server.listen(opts.outboundPort ?? 0, "127.0.0.1");
  await once(server, "listening");
  const addr = server.address();
  const obPort = typeof addr === "object" && addr ? addr.port : 0;
  sim.dialplan.add("7000", [{ app: "socket", arg: `127.0.0.1:${obPort} async full` }]);
  scenario.setup(sim);
  try {
    const inbound = runInbound(sim.port, rec, traces, timeouts);
    const callers = scenario.callers ?? [];
    for (let i = 0; i < callers.length; i++) {
      const arrived = new Promise<void>((r) => arrivals.push(r));
      sim.placeCall(callers[i] as NonNullable<(typeof callers)[number]>);
      await Promise.race([arrived, delay(timeouts.timeoutMs)]);
      await outboundDone[i];
      const gap = gapBetween(outboundTraces[i], outboundTraces[i + 1]);
      if (i + 1 < callers.length) await delay(Math.min(gap, 1000));
    }
    await inbound;
    await Promise.all(outboundDone);
  } finally {
    server.close();
    await sim.stop();
  }
  return rec.toJsonl();
}

async function runInbound(
  port: number,
  rec: Recorder,
  traces: ReplayConnection[],
  timeouts: { timeoutMs: number; maxPauseMs: number },
): Promise<void> {
  for (const t of traces.filter((x) => x.kind === "inbound")) {
    const socket = createConnection({ host: "127.0.0.1", port });
    await once(socket, "connect");
    await new LiveConnection(rec, t.name, socket).replay(t, timeouts);
  }
}

function gapBetween(a: ReplayConnection | undefined, b: ReplayConnection | undefined): number {
  if (!a || !b) return 0;
  return Math.max(0, b.firstMs - a.lastMs);
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

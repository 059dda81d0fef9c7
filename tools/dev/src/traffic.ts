import type { FsSim } from "@ringflow/fs-sim";
import { DEMO_AGENTS, DEMO_VIP_PREFIX } from "./demo.js";

/** A small, seeded pseudo-random source, so a demo run can be replayed. */
export function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** Options of {@link startDemoTraffic}. */
export interface DemoTrafficOptions {
  readonly number: string;
  /** Mean arrivals per (simulated) minute. */
  readonly callsPerMinute: number;
  readonly seed?: number;
  /** Told of each call placed (for the log). */
  readonly onCall?: (call: {
    uuid: string;
    from: string;
    vip: boolean;
    patienceMs: number | null;
  }) => void;
}

const between = (random: () => number, low: number, high: number) => low + (high - low) * random();

/** One agent's next rings: mostly answered after a few seconds, sometimes busy or unanswered. */
function agentRings(random: () => number, count: number) {
  return Array.from({ length: count }, () => {
    const roll = random();
    if (roll < 0.07) return { busyAfterMs: Math.round(between(random, 300, 1_500)) };
    if (roll < 0.2) return { ringAfterMs: 0 }; // rings, never answers
    return {
      ringAfterMs: 0,
      answerAfterMs: Math.round(between(random, 1_500, 6_000)),
      hangupAfterMs: Math.round(between(random, 15_000, 60_000)),
    };
  });
}

/**
 * Demo traffic on the simulator: callers arrive at random (a Poisson stream
 * of `callsPerMinute`), one in eight from a VIP number, one in six giving up
 * after 20-75 s of waiting; the agents' phones answer after a few seconds
 * and talk 15-60 s, with the odd busy or unanswered ring. Returns a stop
 * function.
 */
export function startDemoTraffic(sim: FsSim, options: DemoTrafficOptions): () => void {
  const random = randomSource(options.seed ?? Date.now());
  let stopped = false;
  const refillAgents = () => {
    for (const agent of DEMO_AGENTS)
      sim.users.set(agent.extension, { behaviour: agentRings(random, 200) });
  };
  refillAgents();
  // The last behaviour repeats for ever: refill well before 200 rings are used.
  const refill = setInterval(refillAgents, 10 * 60_000);
  refill.unref();

  let serial = 0;
  const next = () => {
    if (stopped || options.callsPerMinute <= 0) return;
    const meanGapMs = 60_000 / options.callsPerMinute;
    sim.clock.setTimeout(
      () => {
        if (stopped) return;
        serial += 1;
        const vip = random() < 0.125;
        const from = vip
          ? `${DEMO_VIP_PREFIX}${String(serial % 1000).padStart(3, "0")}`
          : `+44207946${String(1000 + (serial % 9000)).padStart(4, "0")}`;
        const patienceMs = random() < 1 / 6 ? Math.round(between(random, 20_000, 75_000)) : null;
        const call = sim.placeCall({
          from,
          fromName: vip ? "VIP caller" : "Caller",
          to: options.number,
          ...(patienceMs === null ? {} : { hangupAfterMs: patienceMs }),
        });
        call.result.catch(() => {});
        options.onCall?.({ uuid: call.uuid, from, vip, patienceMs });
        next();
      },
      -Math.log(1 - random()) * meanGapMs,
    );
  };
  next();
  return () => {
    stopped = true;
    clearInterval(refill);
  };
}

/**
 * fs-sim throughput on this machine: sustained originates per second (null
 * legs parked, bgapi with a window of outstanding jobs) and ESL `api`
 * round-trip latency (p50/p99). `pnpm --filter @ringflow/fs-sim bench`
 */
import { FsSim } from "../src/fs-sim.js";
import { command, login, type RawClient } from "../src/testing/raw-client.js";

const ORIGINATES = 2000;
const WINDOW = 50;
const ROUND_TRIPS = 5000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function originates(c: RawClient): Promise<number> {
  await command(c, "event plain BACKGROUND_JOB");
  const start = performance.now();
  let sent = 0;
  let done = 0;
  const send = () => {
    c.socket.write(`bgapi originate null/bench${sent} &park()\n\n`);
    sent++;
  };
  while (sent < Math.min(WINDOW, ORIGINATES)) send();
  while (done < ORIGINATES) {
    const m = await c.next(10_000);
    if (m.headers["Content-Type"] !== "text/event-plain") continue;
    if (!m.body.includes("Content-Length: 41\n\n+OK "))
      throw new Error(`originate failed: ${m.body.slice(-60)}`);
    done++;
    if (sent < ORIGINATES) send();
  }
  const seconds = (performance.now() - start) / 1000;
  await command(c, "noevents");
  return ORIGINATES / seconds;
}

async function roundTrips(c: RawClient): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    const t = performance.now();
    await command(c, "api expr 1+1");
    samples.push(performance.now() - t);
  }
  return samples.sort((a, b) => a - b);
}

const sim = await FsSim.start({ port: 0 });
const c = await login(sim.port);
try {
  await roundTrips(c); // warm-up
  const idle = await roundTrips(c);
  const rate = await originates(c);
  const loaded = await roundTrips(c);
  const fmt = (x: number) => x.toFixed(3);
  process.stdout.write(
    [
      `node ${process.version}, ${ORIGINATES} originates (window ${WINDOW}), ${ROUND_TRIPS} api round trips`,
      `sustained originates: ${rate.toFixed(0)}/s`,
      `api round trip, idle switch: p50 ${fmt(percentile(idle, 50))} ms, p99 ${fmt(percentile(idle, 99))} ms`,
      `api round trip, ${sim.channels().length} parked channels: p50 ${fmt(percentile(loaded, 50))} ms, p99 ${fmt(percentile(loaded, 99))} ms`,
      "",
    ].join("\n"),
  );
} finally {
  c.close();
  await sim.stop();
}

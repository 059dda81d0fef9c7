// A separate process using a RedisLoadBalancer, for the race and lease tests.
// Usage: balancer-worker.ts race <url> <prefix> <destinations,comma> <iterations> <startAtMs>
//        balancer-worker.ts hold <url> <prefix> <destination> <leaseMs>
import { RedisLoadBalancer } from "../src/balancer/redis-load-balancer.js";

const [mode, url, keyPrefix, destinations = "", ...rest] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (mode === "race") {
  const [iterations, startAt] = rest.map(Number) as [number, number];
  const lb = new RedisLoadBalancer({ url, keyPrefix });
  const candidates = destinations.split(",");
  const log: { destination: string; from: number; to: number; previousLoad: number }[] = [];
  await lb.load(candidates); // connected before the start line
  await pause(Math.max(0, startAt - Date.now()));
  for (let i = 0; i < iterations; i++) {
    const reservation = await lb.reserveLeastBusy(candidates);
    if (!reservation) throw new Error("no reservation");
    const from = now();
    await pause(Math.random() < 0.5 ? 0 : 1);
    const to = now();
    await reservation.release();
    log.push({
      destination: reservation.destination,
      from,
      to,
      previousLoad: reservation.previousLoad,
    });
  }
  await lb.close();
  process.stdout.write(`${JSON.stringify(log)}\n`);
} else if (mode === "hold") {
  const [leaseMs] = rest.map(Number) as [number];
  const lb = new RedisLoadBalancer({ url, keyPrefix, leaseMs });
  await lb.reserve(destinations);
  process.stdout.write("held\n");
  // The lease keeper's timers do not keep a process alive; this does, until killed.
  setInterval(() => {}, 60_000);
} else {
  throw new Error(`unknown mode ${mode}`);
}

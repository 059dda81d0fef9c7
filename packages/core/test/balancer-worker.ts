// A separate process using a RedisLoadBalancer, for the race and lease tests.
// Usage: balancer-worker.ts race <url> <prefix> <destinations,comma> <iterations> <startAtMs>
//        balancer-worker.ts hold <url> <prefix> <destination> <leaseMs>
import { Redis } from "ioredis";
import { RedisLoadBalancer } from "../src/balancer/redis-load-balancer.js";

const [mode, url, keyPrefix, destinations = "", ...rest] = process.argv.slice(2);
const now = () => performance.timeOrigin + performance.now();
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

if (mode === "race") {
  const [iterations, startAt] = rest.map(Number) as [number, number];
  const lb = new RedisLoadBalancer({ url, keyPrefix });
  const candidates = destinations.split(",");
  const log: {
    destination: string;
    from: number;
    to: number;
    previousLoad: number;
    holdersSeen: number;
  }[] = [];
  // Holders per agent, counted in Redis itself while each reservation is held:
  // any count above 1 is a double booking, whatever the processes' clocks say.
  const counter = new Redis(url ?? "");
  await lb.load(candidates); // connected before the start line
  await pause(Math.max(0, startAt - Date.now()));
  for (let i = 0; i < iterations; i++) {
    const reservation = await lb.reserveLeastBusy(candidates);
    if (!reservation) throw new Error("no reservation");
    const holders = `${keyPrefix}holders:${reservation.destination}`;
    const from = now();
    const holdersSeen = await counter.incr(holders);
    await pause(Math.random() < 0.5 ? 0 : 1);
    await counter.decr(holders);
    const to = now();
    await reservation.release();
    log.push({
      destination: reservation.destination,
      from,
      to,
      previousLoad: reservation.previousLoad,
      holdersSeen,
    });
  }
  await counter.quit();
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

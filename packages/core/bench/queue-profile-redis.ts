/**
 * The Redis half of the peer comparison on its own (not part of `pnpm bench:queue`),
 * to profile: `node --conditions=@ringflow/source --import tsx [--cpu-prof]
 * bench/queue-profile-redis.ts [limits=1,10] [seconds=2] [rounds=3] [only=all|ours]`.
 */
import { loadavg } from "node:os";
import { Redis } from "ioredis";
import { comparePeers, redisContenders } from "./queue-peers.js";

const [limitsArg = "1,10", secondsArg = "2", roundsArg = "3", only = "all"] = process.argv.slice(2);
const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const prefix = `bench:ringflow:profile:${process.pid}:`;
const contenders = redisContenders(url, prefix).filter(
  (c) => only === "all" || c.name.startsWith("ringflow") || c.name === only,
);
const results = await comparePeers(
  contenders.filter((c) => !c.name.startsWith("bottleneck")),
  limitsArg.split(",").map(Number),
  { callers: 100, seconds: Number(secondsArg), runs: Number(roundsArg) },
);
for (const r of results) {
  console.log(
    `${r.name} limit ${r.maxConcurrent}: ${Math.round(r.rate)} [${r.runs.map(Math.round).join(", ")}]`,
  );
}
console.log(
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ")}`,
);
// Leave nothing behind (redis-semaphore puts its own prefix in front of ours).
const admin = new Redis(url);
for (const pattern of [`${prefix}*`, `semaphore:${prefix}*`]) {
  let cursor = "0";
  do {
    const [next, keys] = await admin.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    if (keys.length > 0) await admin.unlink(...keys);
  } while (cursor !== "0");
}
await admin.quit();
process.exit(0);

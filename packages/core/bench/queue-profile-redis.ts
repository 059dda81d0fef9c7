/**
 * The Redis half of the peer comparison on its own (not part of `pnpm bench:queue`),
 * to profile: `node --conditions=@ringflow/source --import tsx [--cpu-prof]
 * bench/queue-profile-redis.ts [limits=1,10] [seconds=2] [rounds=3] [only=all|ours]`.
 */
import { loadavg } from "node:os";
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
process.exit(0);

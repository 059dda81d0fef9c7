import { countLiveAgents, type LiveAgent, type LiveAgentCounts } from "@ringflow/core/live";

/** What the board calls each agent bucket, and its colour (dot and bar). */
export const agentBuckets = [
  { key: "idle", label: "Available", dot: "bg-emerald-500" },
  { key: "ringing", label: "Ringing", dot: "bg-sky-400" },
  { key: "inCall", label: "On a call", dot: "bg-indigo-500" },
  { key: "wrapUp", label: "Wrap-up", dot: "bg-violet-400" },
  { key: "onBreak", label: "On break", dot: "bg-amber-400" },
  { key: "loggedOut", label: "Logged out", dot: "bg-zinc-400 dark:bg-zinc-600" },
] as const satisfies readonly { key: keyof LiveAgentCounts; label: string; dot: string }[];

/** The bucket core's `countLiveAgents` counts an agent in (the rule stays in core). */
export function bucketOf(agent: LiveAgent): keyof LiveAgentCounts {
  const counts = countLiveAgents([agent]);
  return agentBuckets.find((bucket) => counts[bucket.key] > 0)?.key ?? "loggedOut";
}

import type { QueueData } from "./nodes/queue.js";

/**
 * The queue priority of a caller: `vipPriority` when their number is in the
 * node's VIP list, `priority` otherwise (lower is served first).
 *
 * The caller's number is compared without spaces, dashes, dots and
 * parentheses; `+` is kept, so `+44...` and `0044...` are different numbers.
 * A list entry ending in `*` matches every number that starts with the rest.
 */
export function resolvePriority(
  config: Pick<QueueData, "priority" | "vipNumbers" | "vipPriority">,
  callerNumber: string,
): number {
  const caller = callerNumber.replace(/[\s().-]/g, "");
  if (caller === "") return config.priority;
  const vip = config.vipNumbers.some((entry) =>
    entry.endsWith("*") ? caller.startsWith(entry.slice(0, -1)) : caller === entry,
  );
  return vip ? config.vipPriority : config.priority;
}

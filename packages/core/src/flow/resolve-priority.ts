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
  return isVipCaller(config, callerNumber) ? config.vipPriority : config.priority;
}

/** Whether `callerNumber` is in the node's VIP list (compared as {@link resolvePriority} does). */
export function isVipCaller(config: Pick<QueueData, "vipNumbers">, callerNumber: string): boolean {
  const caller = callerNumber.replace(/[\s().-]/g, "");
  if (caller === "") return false;
  return config.vipNumbers.some((entry) =>
    entry.endsWith("*") ? caller.startsWith(entry.slice(0, -1)) : caller === entry,
  );
}

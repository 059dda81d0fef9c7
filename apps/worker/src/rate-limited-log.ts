import type { Logger } from "./logger.js";

/** Options of {@link rateLimitedWarn}. */
export interface RateLimitedWarnOptions {
  /** At most one line per source per this long (default 10 s). */
  readonly intervalMs?: number;
  /** Source of "now" (tests). */
  readonly now?: () => number;
}

/**
 * A warning that repeats (a Redis client failing to reconnect every few
 * hundred ms) logged at most once per `intervalMs` per source: the first at
 * once, later ones with how many were left out since the last line.
 */
export function rateLimitedWarn(
  log: Logger,
  options: RateLimitedWarnOptions = {},
): (source: string, error: unknown, message: string) => void {
  const intervalMs = options.intervalMs ?? 10_000;
  const now = options.now ?? Date.now;
  const last = new Map<string, { at: number; suppressed: number }>();
  return (source, error, message) => {
    const at = now();
    const seen = last.get(source);
    if (seen && at - seen.at < intervalMs) {
      seen.suppressed++;
      return;
    }
    last.set(source, { at, suppressed: 0 });
    log.warn({ err: error, source, suppressed: seen?.suppressed ?? 0 }, message);
  };
}

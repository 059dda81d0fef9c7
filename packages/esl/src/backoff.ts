/** How an inbound connection spaces its reconnection attempts. */
export interface BackoffOptions {
  /** Delay ceiling of the first attempt (default 250 ms). */
  readonly initialDelayMs?: number;
  /** Cap on the delay ceiling (default 30 s). */
  readonly maxDelayMs?: number;
  /** Growth of the ceiling per failed attempt (default 2). */
  readonly factor?: number;
}

/**
 * Delay before reconnection attempt `attempt` (0-based): the ceiling grows
 * exponentially up to `maxDelayMs`, and the delay is drawn uniformly from
 * the upper half of it, so workers that lost the same switch do not all
 * come back in the same millisecond, yet none retries sooner than half the
 * ceiling.
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions = {},
  random: () => number = Math.random,
): number {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 30_000;
  const factor = options.factor ?? 2;
  const ceiling = Math.min(max, initial * factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

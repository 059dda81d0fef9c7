/** How a ring group rings its destinations. */
export const RingMode = {
  /** All at once; the first to answer wins and the others are cancelled (`LOSE_RACE`). */
  Parallel: "parallel",
  /** One at a time, in the order given, each for `timeoutMs`. */
  Sequential: "sequential",
  /**
   * One at a time, least busy first by the shared `LoadBalancer` (ties: idle
   * longest, then round-robin).
   */
  Balancing: "balancing",
} as const;
/** One of {@link RingMode}. */
export type RingMode = (typeof RingMode)[keyof typeof RingMode];

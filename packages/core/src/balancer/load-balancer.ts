/**
 * One call counted on a destination. Release it when that call's leg has
 * hung up, not when it answers: an agent talking to a caller is busy.
 */
export interface LoadReservation {
  readonly destination: string;
  /** Calls that were already counted on the destination when this one was added. */
  readonly previousLoad: number;
  /** Stops counting this call. Safe to call more than once. */
  release(): Promise<void>;
}

/**
 * Counts the calls each destination is handling, shared by every ring group
 * (and, through Redis, every worker) that uses the same balancer, so an agent
 * busy with a call from one group is tried last by the others.
 */
export interface LoadBalancer {
  /**
   * Picks the least busy of `candidates` and counts one call on it, in one
   * atomic step. Ties go to the destination idle the longest (whose count
   * last fell to zero earliest; one never used counts as idle forever), then
   * round-robin, so equal destinations share the calls. Resolves `null` when
   * `candidates` is empty.
   */
  reserveLeastBusy(candidates: readonly string[]): Promise<LoadReservation | null>;
  /** Counts one call on `destination` whatever its load (a leg rung in parallel or in order). */
  reserve(destination: string): Promise<LoadReservation>;
  /** The calls counted on each of `destinations` right now. */
  load(destinations: readonly string[]): Promise<Map<string, number>>;
  /** Frees the balancer's connections and timers; counts still held stay until released or expired. */
  close(): Promise<void>;
}

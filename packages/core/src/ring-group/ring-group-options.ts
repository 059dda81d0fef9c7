import type { AgentRegistry } from "../agents/agent.js";
import type { LoadBalancer } from "../balancer/load-balancer.js";
import type { Clock } from "../clock.js";

/** Options of {@link RingGroup.run} and {@link RingGroup.ring}. */
export interface RingGroupOptions {
  /** How long each destination rings (default 30 s). */
  readonly timeoutMs?: number;
  /** Deadline for the whole group, across destinations rung one after another. */
  readonly totalTimeoutMs?: number;
  /** Channel variables for every leg (e.g. `origination_caller_id_name`). */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * Counts every leg from the moment it is rung until it hangs up. Required
   * for `Balancing`; with the other modes it keeps the counts right for
   * balancing groups that share it.
   */
  readonly balancer?: LoadBalancer;
  /**
   * When given, destinations that are agents' contacts are rung only if the
   * agent is Available and Idle, and the agents' state follows the ring.
   */
  readonly agents?: AgentRegistry;
  /** Abort (the caller hung up) to cancel every leg at once (`ORIGINATOR_CANCEL`). */
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  /**
   * Receives failures of bookkeeping that must not fail the call (releasing
   * a load count or an agent after the fact). Default: `console.error`.
   */
  readonly onError?: (error: unknown) => void;
}

/**
 * @packageDocumentation
 * Ring groups: ring a list of destinations in parallel, one by one, or least
 * busy first, through the `CallControl` port, and hand back the leg that
 * answered. Load balancers count each destination's calls; the in-memory one
 * serves one worker, the Redis one (`@ringflow/core/redis`) several.
 */
export {
  InMemoryLoadBalancer,
  type InMemoryLoadBalancerOptions,
} from "../balancer/in-memory-load-balancer.js";
export type { LoadBalancer, LoadReservation } from "../balancer/load-balancer.js";
export { InvalidRingGroupOptionsError } from "./errors.js";
export { RingGroup } from "./ring-group.js";
export type { RingGroupOptions } from "./ring-group-options.js";
export { RingMode } from "./ring-mode.js";
export {
  type AnsweredLeg,
  outcomeOfCause,
  type RingAttempt,
  type RingGroupResult,
  type RingGroupResultKind,
  type RungAttempt,
  type RungOutcome,
  type SkippedAttempt,
} from "./ring-result.js";

/**
 * @packageDocumentation
 * Ringflow's domain, free of any framework, database or switch protocol:
 * queue slots, ring groups, load balancers, agent state, the flow graph and
 * its interpreter, and the `CallControl` port they drive.
 */

export * from "./agents/index.js";
export * from "./balancer/index.js";
export * from "./call-control/index.js";
export { type Clock, sleep, systemClock, type TimerHandle } from "./clock.js";
export { hasErrorCode, RingflowError } from "./errors.js";
export * from "./flow/index.js";
export * from "./queue/index.js";
export * from "./ring-group/index.js";

/**
 * @packageDocumentation
 * Ringflow's domain, free of any framework, database or switch protocol.
 *
 * The root holds what every consumer shares: the error base, the clock, the
 * `CallControl` / `CallSession` ports that a switch adapter implements, and
 * the outcomes of a call. Each domain has its own entry point:
 *
 * | entry | what |
 * | --- | --- |
 * | `@ringflow/core/flow` | the flow graph schema, node types, validation (browser-safe) |
 * | `@ringflow/core/interpreter` | `FlowEngine`: runs a worker's calls through their flows |
 * | `@ringflow/core/queue` | `Queue`, the in-memory backend, the backend port |
 * | `@ringflow/core/ring-group` | `RingGroup`, load balancers |
 * | `@ringflow/core/agents` | the live agent registry and its states |
 * | `@ringflow/core/live` | the wall-board's live state: snapshot, events, reducer, feed port (browser-safe) |
 * | `@ringflow/core/redis` | the Redis backends (Node only: `ioredis`, `node:crypto`) |
 * | `@ringflow/core/testing` | fakes and a manual clock for tests |
 *
 * Everything but `/redis` imports nothing of Node's, so a browser bundle may
 * take it.
 */

export * from "./call-control/index.js";
export { type Clock, settledWithin, sleep, systemClock, type TimerHandle } from "./clock.js";
export { hasErrorCode, RingflowError } from "./errors.js";
export {
  CALL_OUTCOMES,
  type CallOutcome,
  RECORD_OUTCOMES,
  type RecordOutcome,
} from "./flow/interpreter/call-report.js";

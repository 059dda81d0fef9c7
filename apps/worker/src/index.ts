/**
 * @packageDocumentation
 * The Ringflow worker: runs next to FreeSWITCH, takes every call the
 * dialplan hands over (outbound Event Socket) and runs its number's
 * published flow. Start it with `pnpm --filter @ringflow/worker start`
 * (see README.md), or in-process with {@link Worker.start}.
 */
export { CallRunner, REFUSED_CAUSE, UNROUTED_CAUSE } from "./calls/call-runner.js";
export { ConfigError, envSchema, type LogLevel, loadConfig, type WorkerConfig } from "./env.js";
export { FlowCatalog, type RoutedFlow } from "./flows/flow-catalog.js";
export { createLogger } from "./logger.js";
export type { WorkerCallOutcome } from "./telemetry.js";
export { type StartWorkerOptions, Worker, type WorkerState } from "./worker.js";

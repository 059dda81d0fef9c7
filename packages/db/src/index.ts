/**
 * @packageDocumentation
 * Ringflow's storage: SQLite (default) or PostgreSQL through Prisma's driver
 * adapters, behind repositories that take and return plain objects.
 * `migrateDatabase` brings a database to the current schema; `createDb`
 * opens it; `seedDemo` fills it with the demo.
 */
export { type CreateDbOptions, createDb, type Db, DEFAULT_TRACE_STEP_CAP } from "./create-db.js";
export { type DatabaseProvider, databaseProvider, defaultDatabaseUrl } from "./database-url.js";
export {
  AlreadyExistsError,
  CorruptRecordError,
  InUseError,
  MigrationError,
  NotFoundError,
  UnsupportedDatabaseUrlError,
} from "./errors.js";
export {
  type MigrateDatabaseOptions,
  type MigrateDatabaseResult,
  migrateDatabase,
} from "./migrate/migrate-database.js";
export {
  AGENT_STATUSES,
  type Agent,
  type AgentInput,
  type AgentStatus,
  type AgentsRepository,
} from "./repositories/agents.js";
export {
  CALL_OUTCOMES,
  type CallBatch,
  type CallBatchResult,
  type CallOutcome,
  type CallQuery,
  type CallRecord,
  type CallRecordInput,
  type CallsRepository,
  type CallTrace,
  RECORD_OUTCOMES,
  type RecordOutcome,
  type StoredTraceStep,
  type TraceStep,
  wholeCallRecord,
} from "./repositories/calls.js";
export type { Flow, FlowSummary, FlowsRepository } from "./repositories/flows.js";
export type { AgentGroup, GroupsRepository } from "./repositories/groups.js";
export type { QueueConfig, QueueConfigInput, QueuesRepository } from "./repositories/queues.js";
export type {
  NumberRoute,
  PublishedFlow,
  PublishedRoute,
  RoutesRepository,
} from "./repositories/routes.js";
export type { SettingsRepository } from "./repositories/settings.js";
export {
  USER_ROLES,
  type User,
  type UserRole,
  type UsersRepository,
} from "./repositories/users.js";
export type {
  FlowVersion,
  FlowVersionSummary,
  VersionsRepository,
} from "./repositories/versions.js";
export { DEMO_NUMBER, type DemoSeed, type SeedDemoOptions, seedDemo } from "./seed/seed-demo.js";

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
  ConflictError,
  CorruptRecordError,
  InUseError,
  type InUseReference,
  InvalidCursorError,
  LeaseLostError,
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
  type AgentUpdate,
} from "./repositories/agents.js";
export {
  CALLBACK_STATUSES,
  type CallbackBackoff,
  type CallbackCounts,
  type CallbackLeaseHolder,
  type CallbackRequest,
  type CallbackRequestInput,
  type CallbackRequestsRepository,
  type CallbackStatus,
  callbackRetryDelayMs,
  DEFAULT_CALLBACK_BACKOFF,
  DEFAULT_CALLBACK_PRIORITY,
  DEFAULT_MAX_LOST_DIALS,
  OPEN_CALLBACK_STATUSES,
} from "./repositories/callback-requests.js";
export {
  CALL_OUTCOMES,
  type CallBatch,
  type CallBatchResult,
  type CallOutcome,
  type CallPageQuery,
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
export type { FlowActivityRepository, OutputCount } from "./repositories/flow-activity.js";
export type {
  Flow,
  FlowListItem,
  FlowSummary,
  FlowsRepository,
  LiveVersionSummary,
} from "./repositories/flows.js";
export type { AgentGroup, AgentGroupUpdate, GroupsRepository } from "./repositories/groups.js";
export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT, type Page } from "./repositories/pages.js";
export {
  type HandleTimeFigures,
  MAX_RECENT_HANDLE_TIMES,
  type QueueState,
  type QueueStatesRepository,
} from "./repositories/queue-states.js";
export {
  HISTORY_LOOKBACK_MS,
  MAX_HISTORY_BUCKETS,
  type QueueDayStats,
  type QueueHistoryPoint,
  type QueueHistoryQuery,
  type QueueStatsRepository,
  startOfLocalDay,
} from "./repositories/queue-stats.js";
export {
  DEFAULT_QUEUE_TIME_ZONE,
  DEFAULT_SERVICE_LEVEL_SECONDS,
  type QueueConfig,
  type QueueConfigInput,
  type QueueConfigUpdate,
  type QueuesRepository,
} from "./repositories/queues.js";
export {
  RATE_LIMIT_KEY_PREFIX,
  type RateLimitDecision,
  type RateLimitsRepository,
} from "./repositories/rate-limits.js";
export type { RevisionCheck } from "./repositories/revision.js";
export type {
  NumberRoute,
  NumberRouteItem,
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
export type {
  WallboardToken,
  WallboardTokensRepository,
} from "./repositories/wallboard-tokens.js";
export { DEMO_NUMBER, type DemoSeed, type SeedDemoOptions, seedDemo } from "./seed/seed-demo.js";

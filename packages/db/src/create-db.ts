import type { FlowAnnouncer } from "@ringflow/core/flow";
import { type DatabaseProvider, databaseProvider } from "./database-url.js";
import { attachPrismaClient, createPrismaClient } from "./prisma-client.js";
import { type AgentsRepository, createAgentsRepository } from "./repositories/agents.js";
import {
  type CallbackRequestsRepository,
  createCallbackRequestsRepository,
} from "./repositories/callback-requests.js";
import { type CallsRepository, createCallsRepository } from "./repositories/calls.js";
import {
  createFlowActivityRepository,
  type FlowActivityRepository,
} from "./repositories/flow-activity.js";
import { createFlowsRepository, type FlowsRepository } from "./repositories/flows.js";
import { createGroupsRepository, type GroupsRepository } from "./repositories/groups.js";
import {
  createQueueStatesRepository,
  type QueueStatesRepository,
} from "./repositories/queue-states.js";
import {
  createQueueStatsRepository,
  type QueueStatsRepository,
} from "./repositories/queue-stats.js";
import { createQueuesRepository, type QueuesRepository } from "./repositories/queues.js";
import {
  createRateLimitsRepository,
  type RateLimitsRepository,
} from "./repositories/rate-limits.js";
import { createRoutesRepository, type RoutesRepository } from "./repositories/routes.js";
import { createSettingsRepository, type SettingsRepository } from "./repositories/settings.js";
import { createUsersRepository, type UsersRepository } from "./repositories/users.js";
import { createVersionsRepository, type VersionsRepository } from "./repositories/versions.js";
import {
  createWallboardTokensRepository,
  type WallboardTokensRepository,
} from "./repositories/wallboard-tokens.js";

/** Options of {@link createDb}. */
export interface CreateDbOptions<G> {
  /** `file:<path>` (SQLite) or `postgres(ql)://...` (PostgreSQL). */
  url: string;
  /**
   * Validates a published graph read from (or about to be published to) the
   * database and gives it its type: the seam for core's flow schema. Throwing
   * makes `versions.publish` publish nothing. Defaults to no check (`unknown`).
   */
  parseGraph?: (json: unknown) => G;
  /**
   * Tells the workers of each publish at once (e.g. core's
   * `RedisFlowAnnouncer`). Without one they notice at their next poll.
   */
  announcer?: FlowAnnouncer;
  /** Trace steps kept per call; later steps are counted, not stored. Default 200. */
  traceStepCap?: number;
}

/**
 * Ringflow's storage, one repository per concern. Every function takes and
 * returns plain objects; nothing of Prisma leaks out.
 */
export interface Db<G = unknown> {
  provider: DatabaseProvider;
  flows: FlowsRepository;
  versions: VersionsRepository<G>;
  routes: RoutesRepository<G>;
  queues: QueuesRepository;
  agents: AgentsRepository;
  groups: GroupsRepository;
  calls: CallsRepository;
  /** What calls did in published flows (per-output counts), from their traces. */
  activity: FlowActivityRepository;
  users: UsersRepository;
  rateLimits: RateLimitsRepository;
  settings: SettingsRepository;
  /** Today's figures and recent history per queue (the wall-board's), from call records. */
  queueStats: QueueStatsRepository;
  /** The wall-board's read-only TV links. */
  wallboardTokens: WallboardTokensRepository;
  /** Queues' pause and learnt handle times (for any queue id, configured or not). */
  queueStates: QueueStatesRepository;
  /** Callback requests: stored by calls, worked through by the workers' dispatchers under leases. */
  callbacks: CallbackRequestsRepository;
  /** Closes the connection(s). */
  close(): Promise<void>;
}

/** Default of {@link CreateDbOptions.traceStepCap}. */
export const DEFAULT_TRACE_STEP_CAP = 200;

/**
 * Opens the database at `url`. It must already be at the current schema:
 * run {@link migrateDatabase} first (the worker and web app do at start-up).
 */
export async function createDb<G = unknown>(options: CreateDbOptions<G>): Promise<Db<G>> {
  const provider = databaseProvider(options.url);
  const parseGraph = options.parseGraph ?? ((json: unknown) => json as G);
  const { prisma, sqliteWrites } = await createPrismaClient(options.url);
  const settings = createSettingsRepository(prisma);
  const callbacks = createCallbackRequestsRepository(prisma, provider);
  const db: Db<G> = {
    provider,
    flows: createFlowsRepository(prisma),
    versions: createVersionsRepository(prisma, parseGraph, options.announcer),
    routes: createRoutesRepository(prisma, parseGraph),
    queues: createQueuesRepository(prisma),
    agents: createAgentsRepository(prisma),
    groups: createGroupsRepository(prisma),
    calls: createCallsRepository(
      prisma,
      options.traceStepCap ?? DEFAULT_TRACE_STEP_CAP,
      sqliteWrites,
    ),
    activity: createFlowActivityRepository(prisma),
    users: createUsersRepository(prisma),
    rateLimits: createRateLimitsRepository(prisma),
    settings,
    queueStats: createQueueStatsRepository(prisma, callbacks),
    wallboardTokens: createWallboardTokensRepository(prisma),
    queueStates: createQueueStatesRepository(settings),
    callbacks,
    close: () => prisma.$disconnect(),
  };
  attachPrismaClient(db, prisma);
  return db;
}

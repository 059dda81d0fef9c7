/**
 * @packageDocumentation
 * The Redis backends, for several workers sharing queues, agent load and
 * agent state. Node only (`ioredis`, `node:crypto`); every script is one Lua
 * file under `src/redis/lua/`, inlined into the package.
 */
export {
  type AgentKeys,
  agentKeys,
  RedisAgentRegistry,
  type RedisAgentRegistryOptions,
} from "../agents/redis-agent-registry.js";
export {
  type BalancerKeys,
  balancerKeys,
  RedisLoadBalancer,
  type RedisLoadBalancerOptions,
} from "../balancer/redis-load-balancer.js";
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_LEASE_MS,
  DEFAULT_LIVENESS_MS,
  DEFAULT_OUTAGE_GRACE_MS,
  DEFAULT_REDIS_URL,
  RedisBackend,
  type RedisBackendOptions,
} from "../queue/redis/redis-backend.js";
export type { RedisOutageChange } from "../queue/redis/redis-outage.js";
export {
  type FlowAnnouncementsSubscription,
  flowAnnouncementsChannel,
  RedisFlowAnnouncer,
  type RedisFlowAnnouncerOptions,
  subscribeFlowAnnouncements,
} from "./flow-announcements.js";
export { HttpLiveCommands, HttpLiveFeed, type HttpLiveOptions } from "./http-live-feed.js";
export {
  DEFAULT_WORKER_HTTP_URL,
  type LiveCommandsSubscription,
  type LiveConnectionOptions,
  openLiveCommands,
  openLiveFeed,
  RedisLiveCommands,
  subscribeLiveCommands,
} from "./live-commands.js";
export {
  type LiveCallerInfo,
  type LiveKeys,
  liveKeys,
  RedisLiveStore,
  type RedisLiveStoreOptions,
} from "./live-store.js";
export {
  createRedisClient,
  describeRedisTarget,
  parseRedisUrl,
  REDIS_ENV_NAMES,
  type RedisClient,
  RedisConfigError,
  type RedisConnectionConfig,
  type RedisNodeAddress,
  type RedisTarget,
  redisConfigFromEnv,
  redisEnvSchema,
  redisNodeListSchema,
  toRedisConfig,
} from "./redis-connection.js";
export { RedisLiveFeed, type RedisLiveFeedOptions } from "./redis-live-feed.js";

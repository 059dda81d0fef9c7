/**
 * @packageDocumentation
 * What the wall-board sees live: each queue's line (positions, estimates,
 * pause, slots in use) and each agent's status and state, as a
 * {@link LiveSnapshot} plus {@link LiveEvent}s that each carry the whole
 * new state of the queue or agent that changed, so applying them
 * ({@link applyLiveEvent}) is idempotent. Browser-safe: schemas, types, pure
 * functions and the in-memory feed.
 *
 * How a web process reads the feed (Node side), see {@link LiveFeed}:
 * - with `REDIS_URL` (and the workers' `REDIS_KEY_PREFIX`, default
 *   `ringflow:`): `RedisLiveFeed` from `@ringflow/core/redis`, reading the
 *   state the workers keep in Redis and the channel `<prefix>live:events`;
 * - without: `HttpLiveFeed`, reading the worker's `GET /live/snapshot` and
 *   `GET /live/events` (server-sent events) at its HTTP address
 *   (`WORKER_HTTP_URL`, default `http://127.0.0.1:9464`).
 *
 * `openLiveFeed({ redis, workerUrl })` and `openLiveCommands(...)` in
 * `@ringflow/core/redis` choose between them.
 */
export {
  applyLiveEvent,
  applyLiveEvents,
  countLiveAgents,
  emptyLiveSnapshot,
  type LiveAgentCounts,
  longestWaitMs,
} from "./apply-live-event.js";
export {
  estimateWaitMs,
  estimateWaitsMs,
  HANDLE_EWMA_ALPHA,
  HOLD_SAMPLE_SIZE,
  MIN_HOLD_SAMPLE,
  naiveWaitMs,
  recordHoldTime,
  spokenWaitMinutes,
  updateHandleEwma,
  type WaitEstimateInput,
  type WaitEstimatesInput,
} from "./estimate-wait.js";
export { InMemoryLiveFeed } from "./in-memory-live-feed.js";
export {
  LIVE_HTTP_PATHS,
  type LiveCommandSender,
  type LiveFeed,
  type LiveFeedStatus,
  type LiveSubscribeOptions,
  liveChannels,
} from "./live-feed.js";
export {
  type LiveAgent,
  type LiveCaller,
  type LiveCommand,
  type LiveEvent,
  type LiveEventType,
  type LiveQueue,
  type LiveSnapshot,
  liveAgentSchema,
  liveCallerSchema,
  liveCommandSchema,
  liveEventSchema,
  liveQueueSchema,
  liveSnapshotSchema,
} from "./live-state.js";
export {
  type CountQueuesInput,
  countQueues,
  type QueueCounts,
  type QueueDayCounts,
  queueCountsSchema,
  queueDayCountsSchema,
} from "./queue-counts.js";

export {
  type EnqueueRequest,
  HOLD_TIME_SAMPLES,
  type QueueBackend,
  type QueueConfig,
  type QueueHolder,
  type QueueSnapshot,
  type QueueTicket,
  type QueueWaiter,
  type WaitStats,
} from "./backend.js";
export {
  QueueAbortedError,
  QueueBackendError,
  QueueDuplicateItemError,
  QueueFullError,
  QueueTimeoutError,
} from "./errors.js";
export { InMemoryBackend, type InMemoryBackendOptions } from "./in-memory-backend.js";
export { DEFAULT_HOLD_TIME_MS, Queue, type QueueOptions } from "./queue.js";
export type {
  QueueAbandonedEvent,
  QueueAcquiredEvent,
  QueueEnqueuedEvent,
  QueueEvent,
  QueueEventListener,
  QueueEvents,
  QueueEventType,
  QueueReleasedEvent,
  QueueTimeoutEvent,
} from "./queue-events.js";
export { QueueSemaphore, type SemaphoreOptions } from "./queue-semaphore.js";
export { QueueSlot } from "./queue-slot.js";
export type { QueueOperation } from "./queue-telemetry.js";
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_LEASE_MS,
  DEFAULT_LIVENESS_MS,
  DEFAULT_OUTAGE_GRACE_MS,
  DEFAULT_REDIS_URL,
  RedisBackend,
  type RedisBackendOptions,
} from "./redis/redis-backend.js";
export type { RedisOutageChange } from "./redis/redis-outage.js";
export { DEFAULT_PRIORITY, MAX_PRIORITY, type SlotOptions } from "./slot-options.js";

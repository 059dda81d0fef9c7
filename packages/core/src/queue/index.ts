/**
 * @packageDocumentation
 * Queue slots: a line per queue with a concurrency limit, FIFO within a
 * priority, with timeouts, hang-ups, positions and estimated waits. The
 * in-memory backend serves one process; `RedisBackend`
 * (`@ringflow/core/redis`) shares the queues between processes.
 * `QueueBackend` is the port a new backend implements.
 */
export type {
  EnqueueRequest,
  GrantListener,
  QueueBackend,
  QueueConfig,
  QueueHolder,
  QueueSnapshot,
  QueueTicket,
  QueueWaiter,
  WaitStats,
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
export {
  DEFAULT_PRIORITY,
  looksGenerated,
  MAX_PRIORITY,
  type SlotOptions,
} from "./slot-options.js";

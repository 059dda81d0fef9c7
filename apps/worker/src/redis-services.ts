import type { Clock } from "@ringflow/core";
import type { QueueBackend } from "@ringflow/core/queue";
import {
  createRedisClient,
  RedisBackend,
  type RedisClient,
  RedisLoadBalancer,
  type RedisTarget,
} from "@ringflow/core/redis";
import type { LoadBalancer } from "@ringflow/core/ring-group";
import type { Logger } from "./logger.js";
import { rateLimitedWarn } from "./rate-limited-log.js";

/** How long callers in line keep their places while Redis does not answer. */
export const REDIS_OUTAGE_GRACE_MS = 60_000;

/** Logs a Redis client's failure, at most once per 10 s per source. */
export type RedisTrouble = (source: string, error: unknown, message: string) => void;

/** What a worker sharing Redis uses of it. */
export interface RedisServices {
  readonly backend: QueueBackend;
  readonly balancer: LoadBalancer;
  /** The worker's own client: readiness PING, worker presence. */
  readonly probe: RedisClient;
  readonly trouble: RedisTrouble;
}

/**
 * Opens the worker's Redis clients: the queue backend (`<prefix>queue:`),
 * the load balancer and the worker's own client. Every client has an error
 * listener: a lost Redis is logged through pino, at most once per 10 s per
 * client (never ioredis's "Unhandled error event" on stderr), and the
 * queue's outage once when it starts and once when it ends.
 */
export function openRedisServices(options: {
  readonly url: RedisTarget;
  readonly keyPrefix: string;
  readonly workerId: string;
  readonly log: Logger;
  /** The backend's and balancer's time and timers (default: the system's). */
  readonly clock?: Clock;
}): RedisServices {
  const { url, keyPrefix, workerId, log, clock } = options;
  const trouble = rateLimitedWarn(log);
  const backend = new RedisBackend({
    url,
    ...(clock ? { clock } : {}),
    keyPrefix: `${keyPrefix}queue:`,
    outageGraceMs: REDIS_OUTAGE_GRACE_MS,
    onError: (error) => trouble("queue backend", error, "Redis trouble (queue backend)"),
    onOutage: (change) => {
      if (change.state === "down") {
        log.warn(
          { err: change.error, graceMs: REDIS_OUTAGE_GRACE_MS },
          `Redis is not answering; callers in line keep their places for up to ${REDIS_OUTAGE_GRACE_MS / 1000} s`,
        );
      } else {
        log.warn(
          { downMs: change.downMs, dataLost: change.dataLost },
          change.dataLost
            ? `Redis answers again after ${change.downMs} ms, without its data (restarted empty?); the line was put back from what the workers hold`
            : `Redis answers again after ${change.downMs} ms`,
        );
      }
    },
  });
  const balancer = new RedisLoadBalancer({
    url,
    ...(clock ? { clock } : {}),
    keyPrefix,
    onError: (error) => trouble("load balancer", error, "Redis trouble (load balancer)"),
  });
  const probe = createRedisClient(url, {
    connectionName: `ringflow-worker-probe:${workerId}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
  });
  probe.on("error", (error) => trouble("worker client", error, "Redis trouble (worker client)"));
  return { backend, balancer, probe, trouble };
}

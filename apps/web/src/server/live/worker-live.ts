import { openLiveCommands, openLiveFeed } from "@ringflow/core/redis";
import type { WebEnv } from "../env";
import type { LiveOpeners } from "./live-services";

/**
 * Opens the workers' live feed and command channel as the environment says
 * (core's `openLiveFeed` / `openLiveCommands`): through Redis with
 * `REDIS_URL` or `REDIS_SENTINELS` / `REDIS_CLUSTER_NODES` (and the workers'
 * `REDIS_KEY_PREFIX`), else the worker's
 * HTTP endpoints at `WORKER_HTTP_URL` (with `LIVE_TOKEN` when it has one).
 */
export function workerLiveOpeners(env: WebEnv): LiveOpeners {
  const options = {
    redis: env.redis ? { url: env.redis, keyPrefix: env.REDIS_KEY_PREFIX } : null,
    workerUrl: env.WORKER_HTTP_URL,
    ...(env.LIVE_TOKEN ? { token: env.LIVE_TOKEN } : {}),
    onError: (error: unknown) => console.warn("[ringflow-web] live feed:", error),
  };
  return {
    feed: async () => openLiveFeed(options),
    commands: async () => openLiveCommands(options),
  };
}

import { RingflowError } from "@ringflow/core";
import type { WebEnv } from "../env";
import type { LiveOpeners } from "./live-services";

/** The workers' live state cannot be reached from this web process. */
export class LiveUnavailableError extends RingflowError {
  readonly code = "LIVE_UNAVAILABLE";
}

/**
 * Opens the workers' live feed and command channel as the environment says:
 * through Redis with `REDIS_URL`, else the worker's HTTP endpoints at
 * `WORKER_HTTP_URL`.
 */
export function workerLiveOpeners(env: WebEnv): LiveOpeners {
  void env;
  const unavailable = () =>
    Promise.reject(new LiveUnavailableError("The live feed is not wired to the workers yet"));
  return { feed: unavailable, commands: unavailable };
}

/**
 * The worker process: `pnpm --filter @ringflow/worker start`. Reads its
 * settings from the environment (see README.md), runs until SIGTERM or
 * SIGINT, then drains and exits 0. A second signal more than 2 s after the
 * first exits at once (1); one sooner is the same request, relayed.
 */
import { ConfigError, loadConfig } from "./env.js";
import { createLogger } from "./logger.js";
import { Worker } from "./worker.js";

/** Signals this soon after the first are the same request, relayed (see onSignal). */
const REPEAT_WINDOW_MS = 2_000;

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = createLogger({ level: config.logLevel, workerId: config.workerId });

  // One call's stray promise must not take every other call down with it.
  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason }, "unhandled promise rejection (ignored)");
  });
  process.on("uncaughtException", (error) => {
    log.fatal({ err: error }, "uncaught exception; exiting");
    process.exit(1);
  });

  const starting = new AbortController();
  let worker: Worker | undefined;
  let signalledAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalledAt !== undefined) {
      // One Ctrl-C reaches the worker several times: the terminal signals
      // the whole process group, and pnpm (and tsx, when it runs the worker)
      // relay it again a few ms later. Only a signal well after the first
      // is someone asking again, harder.
      if (Date.now() - signalledAt < REPEAT_WINDOW_MS) {
        log.debug({ signal }, "the same shutdown request again; still draining");
        return;
      }
      log.warn({ signal }, "second signal: exiting without draining");
      process.exit(1);
    }
    signalledAt = Date.now();
    log.info({ signal }, "shutting down");
    if (!worker) {
      starting.abort(new Error(`${signal} during start-up`));
      return;
    }
    worker.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);

  try {
    worker = await Worker.start(config, { log, signal: starting.signal });
  } catch (error) {
    if (starting.signal.aborted) {
      log.info("stopped during start-up");
      process.exit(0);
    }
    log.fatal({ err: error }, "the worker could not start");
    process.exit(1);
  }
  if (signalledAt !== undefined) await worker.stop().then(() => process.exit(0));
}

void main();

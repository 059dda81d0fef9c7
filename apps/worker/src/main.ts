/**
 * The worker process: `pnpm --filter @ringflow/worker start`. Reads its
 * settings from the environment (see README.md), runs until SIGTERM or
 * SIGINT, then drains and exits 0. A second signal exits at once (1).
 */
import { ConfigError, loadConfig } from "./env.js";
import { createLogger } from "./logger.js";
import { Worker } from "./worker.js";

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
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn({ signal }, "second signal: exiting without draining");
      process.exit(1);
    }
    signalled = true;
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
  if (signalled) await worker.stop().then(() => process.exit(0));
}

void main();

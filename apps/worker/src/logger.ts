import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./env.js";

export type { Logger } from "pino";

/**
 * How much log output may wait in memory for a slow reader of stdout
 * before new lines are dropped: a stalled log pipe must not stall calls.
 */
export const LOG_BUFFER_BYTES = 16 * 1024 * 1024;

/**
 * The worker's structured logger: JSON lines on stdout (or `destination`),
 * every line carrying `workerId`. Per-call lines come from a child logger
 * that adds `callUuid`.
 *
 * Stdout is written asynchronously: lines that come while a write is on
 * its way go out together in the next, and a reader that stops reading
 * (a full pipe) no longer blocks the event loop — at most
 * {@link LOG_BUFFER_BYTES} wait, lines beyond are dropped. What is buffered
 * is flushed synchronously when the process exits (`process.exit`, an
 * uncaught exception); a SIGKILL loses at most the lines of the write in
 * flight.
 */
export function createLogger(options: {
  readonly level: LogLevel;
  readonly workerId: string;
  readonly destination?: DestinationStream;
}): Logger {
  return pino(
    {
      level: options.level,
      base: { workerId: options.workerId },
      timestamp: pino.stdTimeFunctions.isoTime,
      serializers: { err: pino.stdSerializers.err },
    },
    options.destination ??
      pino.destination({ dest: 1, sync: false, minLength: 0, maxLength: LOG_BUFFER_BYTES }),
  );
}

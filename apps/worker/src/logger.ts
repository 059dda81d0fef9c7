import pino, { type DestinationStream, type Logger } from "pino";
import type { LogLevel } from "./env.js";

export type { Logger } from "pino";

/**
 * The worker's structured logger: JSON lines on stdout (or `destination`),
 * every line carrying `workerId`. Per-call lines come from a child logger
 * that adds `callUuid`.
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
    options.destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

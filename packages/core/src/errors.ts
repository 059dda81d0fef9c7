/**
 * Base class of every error Ringflow throws on purpose.
 *
 * Callers act on {@link RingflowError.code}, never on the message text: the
 * web maps codes to tRPC codes in one table and the UI shows messages only.
 */
export abstract class RingflowError extends Error {
  /** Stable, machine-readable identifier of the failure (e.g. `QUEUE_TIMEOUT`). */
  abstract readonly code: string;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** True when `error` is a {@link RingflowError} carrying `code`. */
export function hasErrorCode(error: unknown, code: string): boolean {
  return error instanceof RingflowError && error.code === code;
}

/** Unregisters a handler; calling it again does nothing. */
export type Unsubscribe = () => void;

/**
 * Application callbacks, called in registration order. A callback that
 * throws is reported through `onError` and the others still run: these are
 * called from socket handlers, where an escaping exception would crash the
 * process.
 */
export class HandlerSet<Args extends unknown[]> {
  private readonly handlers = new Set<(...args: Args) => void>();

  add(handler: (...args: Args) => void): Unsubscribe {
    // Wrapped so the same function can be registered twice and removed once.
    const entry = (...args: Args) => handler(...args);
    this.handlers.add(entry);
    return () => {
      this.handlers.delete(entry);
    };
  }

  get size(): number {
    return this.handlers.size;
  }

  emit(onError: (error: unknown) => void, ...args: Args): void {
    for (const handler of [...this.handlers]) {
      try {
        handler(...args);
      } catch (error) {
        onError(error);
      }
    }
  }
}

/** Reports `error` to `handlers`, or as a process warning when nobody listens. */
export function reportError(handlers: HandlerSet<[unknown]>, error: unknown): void {
  if (handlers.size === 0) {
    process.emitWarning(error instanceof Error ? error : String(error), "EslWarning");
    return;
  }
  handlers.emit(() => {}, error);
}

/**
 * An undo/redo stack of immutable states (the editor keeps whole flow
 * snapshots: they share every unchanged node object, so a step costs one
 * array, not a copy of the flow).
 */
export interface History<T> {
  readonly past: readonly T[];
  readonly present: T;
  readonly future: readonly T[];
  /**
   * The coalescing key of the last recorded step: a run of steps with one
   * key (typing in one field, nudging with the arrow keys) undoes as one.
   */
  readonly lastKey: string | undefined;
  /** Most steps kept; older ones are forgotten. */
  readonly limit: number;
}

/** A history whose only state is `present`. */
export function createHistory<T>(present: T, limit = 200): History<T> {
  return { past: [], present, future: [], lastKey: undefined, limit };
}

/**
 * Records `next` as a new step, dropping the redo branch. With `coalesce`
 * equal to the previous step's key, `next` replaces that step instead. A
 * `next` identical to the present (the same object) is no step.
 */
export function recordStep<T>(
  history: History<T>,
  next: T,
  options: { readonly coalesce?: string } = {},
): History<T> {
  if (Object.is(next, history.present)) return history;
  const key = options.coalesce;
  if (key !== undefined && key === history.lastKey && history.future.length === 0) {
    return { ...history, present: next };
  }
  const past = [...history.past, history.present];
  if (past.length > history.limit) past.splice(0, past.length - history.limit);
  return { ...history, past, present: next, future: [], lastKey: key };
}

/**
 * Replaces the present without making a step: for what is not an edit
 * (a save that assigns a revision, a reload from the server).
 */
export function replacePresent<T>(history: History<T>, present: T): History<T> {
  return { ...history, present, lastKey: undefined };
}

/** True when there is a step to undo. */
export function canUndo(history: History<unknown>): boolean {
  return history.past.length > 0;
}

/** True when there is an undone step to redo. */
export function canRedo(history: History<unknown>): boolean {
  return history.future.length > 0;
}

/** Goes one step back; the same history when there is none. */
export function undoStep<T>(history: History<T>): History<T> {
  const previous = history.past.at(-1);
  if (history.past.length === 0) return history;
  return {
    ...history,
    past: history.past.slice(0, -1),
    present: previous as T,
    future: [history.present, ...history.future],
    lastKey: undefined,
  };
}

/** Goes one step forward again; the same history when there is none. */
export function redoStep<T>(history: History<T>): History<T> {
  if (history.future.length === 0) return history;
  const [next, ...future] = history.future;
  return {
    ...history,
    past: [...history.past, history.present],
    present: next as T,
    future,
    lastKey: undefined,
  };
}

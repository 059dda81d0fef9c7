/**
 * The draft's save state, as the editor's header shows it, and how it
 * moves: a pure reducer the autosave hook drives.
 *
 * - `saved`: the server has what the canvas shows.
 * - `dirty`: edited since; a save is due once the edits pause.
 * - `saving`: a save is on the wire (edits may go on meanwhile).
 * - `offline`: a save failed for want of a connection; it is retried when
 *   the browser is back online (and every few seconds).
 * - `conflict`: someone else saved first; nothing is saved until the user
 *   chooses to reload their version or overwrite it with this one.
 * - `error`: the server refused the save for another reason.
 */
export type SaveStatus = "saved" | "dirty" | "saving" | "offline" | "conflict" | "error";

/** The save state of one editor. */
export interface SaveState {
  readonly status: SaveStatus;
  /** The draft revision the next save starts from (the last one this editor saved or loaded). */
  readonly revision: number;
  /** Bumped by each edit; a save remembers which it carried, to know whether edits came after. */
  readonly editCount: number;
  /** The `editCount` the server has. */
  readonly savedEditCount: number;
  /** The `editCount` of the save on the wire, if any. */
  readonly inFlight: number | null;
  /** Why the last save failed (`error`), for people. */
  readonly message: string | null;
}

/** What happens to the draft. */
export type SaveEvent =
  | { readonly type: "edited" }
  | { readonly type: "saveStarted" }
  | { readonly type: "saveSucceeded"; readonly revision: number }
  | { readonly type: "saveFailed"; readonly reason: "offline" | "error"; readonly message?: string }
  | { readonly type: "conflicted" }
  | { readonly type: "online" }
  /** The user chose to load the server's draft (after a conflict, or at any time). */
  | { readonly type: "reloaded"; readonly revision: number }
  /** The user chose to overwrite theirs: the next save starts from their revision (read afresh). */
  | { readonly type: "overwriteChosen"; readonly theirRevision: number };

/** The state of an editor that just loaded the draft at `revision`. */
export function initialSaveState(revision: number): SaveState {
  return {
    status: "saved",
    revision,
    editCount: 0,
    savedEditCount: 0,
    inFlight: null,
    message: null,
  };
}

const pending = (s: SaveState) => s.editCount > s.savedEditCount;

/** The next save state. */
export function nextSaveState(state: SaveState, event: SaveEvent): SaveState {
  switch (event.type) {
    case "edited": {
      // A conflict and an outage stay shown until resolved; a save on the
      // wire finishes first (and leaves the state dirty).
      const keep =
        state.status === "conflict" || state.status === "offline" || state.status === "saving";
      return { ...state, editCount: state.editCount + 1, status: keep ? state.status : "dirty" };
    }
    case "saveStarted":
      return { ...state, status: "saving", inFlight: state.editCount, message: null };
    case "saveSucceeded": {
      const savedEditCount = state.inFlight ?? state.savedEditCount;
      const next = {
        ...state,
        revision: event.revision,
        savedEditCount,
        inFlight: null,
        message: null,
      };
      return { ...next, status: pending(next) ? "dirty" : "saved" };
    }
    case "saveFailed":
      return {
        ...state,
        status: event.reason,
        inFlight: null,
        message: event.message ?? null,
      };
    case "conflicted":
      return { ...state, status: "conflict", inFlight: null };
    case "online":
      return state.status === "offline"
        ? { ...state, status: pending(state) ? "dirty" : "saved" }
        : state;
    case "reloaded":
      return {
        ...initialSaveState(event.revision),
        editCount: state.editCount,
        savedEditCount: state.editCount,
      };
    case "overwriteChosen":
      if (state.status !== "conflict") return state;
      // Saving from their revision replaces their draft with this one, knowingly.
      return { ...state, status: "dirty", revision: event.theirRevision };
  }
}

/** True when a save should start now (edits are pending and nothing blocks it). */
export function shouldSave(state: SaveState): boolean {
  return state.status === "dirty" && state.inFlight === null && pending(state);
}

/** True when leaving the page would lose edits (the editor then asks first). */
export function hasUnsavedEdits(state: SaveState): boolean {
  return pending(state);
}

"use client";

import type { FlowDraft } from "@ringflow/core/flow";
import { useCallback, useEffect, useRef } from "react";
import type { StoreApi } from "zustand/vanilla";
import { hasUnsavedEdits, type SaveState, shouldSave } from "../model/save-status";
import type { EditorState } from "../state/editor-state";

/** How a failed save is to be read. */
export type SaveFailure =
  | { readonly kind: "conflict" }
  | { readonly kind: "offline" }
  | { readonly kind: "error"; readonly message: string };

/** What the autosave needs from the API. */
export interface AutosaveOptions {
  readonly store: StoreApi<EditorState>;
  /** Saves the draft as of `revision`; resolves with the new revision. */
  readonly save: (graph: FlowDraft, revision: number) => Promise<{ revision: number }>;
  /** Reads a save's error: someone else saved first, no connection, or a refusal. */
  readonly classify: (error: unknown) => SaveFailure;
  /** Quiet time after the last edit before saving. */
  readonly debounceMs?: number;
}

/** How often a save is tried again while offline. */
const OFFLINE_RETRY_MS = 5000;

/**
 * Saves the draft a moment after edits stop, one save at a time, starting
 * from the revision the editor last saved or loaded; a conflict stops
 * saving until the user chooses. Retries when the browser is back online
 * (and every few seconds while offline), and asks before a page with unsaved
 * edits is left.
 */
export function useAutosave(options: AutosaveOptions): {
  /** Saves at once what is pending (Ctrl+S). */
  saveNow: () => void;
  /** Waits for a save on the wire, saves what is still pending, and gives the save state after. */
  flush: () => Promise<SaveState>;
} {
  const { store, debounceMs = 800 } = options;
  const latest = useRef(options);
  latest.current = options;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const run = useCallback(async () => {
    const state = store.getState();
    if (!shouldSave(state.save)) return;
    state.dispatchSave({ type: "saveStarted" });
    try {
      const { revision } = await latest.current.save(state.history.present, state.save.revision);
      store.getState().dispatchSave({ type: "saveSucceeded", revision });
    } catch (error) {
      const failure = latest.current.classify(error);
      store
        .getState()
        .dispatchSave(
          failure.kind === "conflict"
            ? { type: "conflicted" }
            : failure.kind === "offline"
              ? { type: "saveFailed", reason: "offline" }
              : { type: "saveFailed", reason: "error", message: failure.message },
        );
    }
  }, [store]);

  useEffect(() => {
    const schedule = (delay: number) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void run(), delay);
    };
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.save === previous.save) return;
      // Each edit restarts the wait; a save that ends with edits pending starts the next.
      if (shouldSave(state.save))
        schedule(state.save.editCount !== previous.save.editCount ? debounceMs : 0);
      if (state.save.status === "offline" && previous.save.status !== "offline") {
        schedule(OFFLINE_RETRY_MS);
      }
    });
    const retryWhenOffline = setInterval(() => {
      if (store.getState().save.status === "offline")
        store.getState().dispatchSave({ type: "online" });
    }, OFFLINE_RETRY_MS);
    const online = () => store.getState().dispatchSave({ type: "online" });
    const beforeUnload = (event: BeforeUnloadEvent) => {
      if (hasUnsavedEdits(store.getState().save)) event.preventDefault();
    };
    window.addEventListener("online", online);
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      unsubscribe();
      clearTimeout(timer.current);
      clearInterval(retryWhenOffline);
      window.removeEventListener("online", online);
      window.removeEventListener("beforeunload", beforeUnload);
    };
  }, [store, run, debounceMs]);

  const saveNow = useCallback(() => {
    clearTimeout(timer.current);
    void run();
  }, [run]);

  const flush = useCallback(async () => {
    clearTimeout(timer.current);
    await notSaving(store);
    await run();
    return store.getState().save;
  }, [run, store]);
  return { saveNow, flush };
}

/** Resolves once no save is on the wire. */
function notSaving(store: StoreApi<EditorState>): Promise<void> {
  return new Promise((resolve) => {
    if (store.getState().save.status !== "saving") return resolve();
    const unsubscribe = store.subscribe((state) => {
      if (state.save.status === "saving") return;
      unsubscribe();
      resolve();
    });
  });
}

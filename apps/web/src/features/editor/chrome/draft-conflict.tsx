"use client";

import { useState } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { EditorApi } from "../editor-api";
import type { EditorState } from "../state/editor-state";
import { ConflictDialog } from "./conflict-dialog";

/**
 * Watches the draft's save state and, on a conflict, asks: reload the
 * server's draft, or overwrite it with this one (read afresh, so the save
 * names the revision it replaces).
 */
export function DraftConflict(props: { store: StoreApi<EditorState>; api: EditorApi }) {
  const open = useStore(props.store, (s) => s.save.status === "conflict");
  const [busy, setBusy] = useState(false);
  const settle = async (work: () => Promise<void>) => {
    setBusy(true);
    try {
      await work();
    } finally {
      setBusy(false);
    }
  };
  return (
    <ConflictDialog
      open={open}
      busy={busy}
      onReload={() =>
        settle(async () => {
          const { graph, revision } = await props.api.loadDraft();
          props.store.getState().replaceGraph(graph, { revision });
        })
      }
      onOverwrite={() =>
        settle(async () => {
          const { revision } = await props.api.loadDraft();
          props.store.getState().dispatchSave({ type: "overwriteChosen", theirRevision: revision });
        })
      }
    />
  );
}

"use client";

import { createContext, type ReactNode, useContext } from "react";
import { useStore } from "zustand";
import type { StoreApi } from "zustand/vanilla";
import type { EditorState } from "./editor-state";

const EditorStoreContext = createContext<StoreApi<EditorState> | null>(null);

/** Gives the editor's components its store. */
export function EditorStoreProvider(props: { store: StoreApi<EditorState>; children: ReactNode }) {
  return (
    <EditorStoreContext.Provider value={props.store}>{props.children}</EditorStoreContext.Provider>
  );
}

/** The editor's store, for actions and reads outside render. */
export function useEditorStore(): StoreApi<EditorState> {
  const store = useContext(EditorStoreContext);
  if (!store) throw new Error("useEditorStore outside <EditorStoreProvider>");
  return store;
}

/**
 * A slice of the editor's state; the component re-renders only when the
 * slice changes (by `Object.is`), so a node selecting its own problems is
 * untouched by every other node's.
 */
export function useEditor<T>(selector: (state: EditorState) => T): T {
  return useStore(useEditorStore(), selector);
}

"use client";

import { callPathFromTrace, type FlowDraft, type PathStep } from "@ringflow/core/flow";
import { useCallback, useState } from "react";
import type { StoreApi } from "zustand/vanilla";
import { diffView, executionView } from "../model/canvas-views";
import type { EditorState } from "../state/editor-state";
import { createEditorStore } from "../state/editor-store";

/** What the canvas shows besides the draft. */
export type CanvasViewKind =
  | { readonly kind: "draft" }
  | { readonly kind: "version"; readonly version: number }
  | { readonly kind: "diff"; readonly liveVersion: number; readonly changes: number }
  | {
      readonly kind: "execution";
      /** The version the call ran; `null`: the draft (a test call). */
      readonly version: number | null;
      readonly callLabel: string;
    };

/** A read-only view: its own store, so the draft's undo stack and autosave are untouched. */
export interface CanvasView {
  readonly view: CanvasViewKind;
  readonly store: StoreApi<EditorState> | null;
}

function viewStore(graph: FlowDraft, decorations?: EditorState["decorations"]) {
  const store = createEditorStore({ graph, revision: 0, mode: "view" });
  if (decorations) store.getState().setDecorations(decorations);
  return store;
}

/**
 * Switches the canvas between the draft and the read-only views: a
 * version, the diff between the draft and the live version, a call's path
 * on the version it ran.
 */
export function useCanvasView(draft: StoreApi<EditorState>) {
  const [state, setState] = useState<CanvasView>({ view: { kind: "draft" }, store: null });
  const showDraft = useCallback(() => setState({ view: { kind: "draft" }, store: null }), []);
  const showVersion = useCallback((version: number, graph: FlowDraft) => {
    setState({ view: { kind: "version", version }, store: viewStore(graph) });
  }, []);
  const showDiff = useCallback(
    (liveVersion: number, live: FlowDraft) => {
      const { graph, decorations, changes } = diffView(live, draft.getState().history.present);
      setState({
        view: { kind: "diff", liveVersion, changes },
        store: viewStore(graph, decorations),
      });
    },
    [draft],
  );
  const showExecution = useCallback(
    (options: {
      version: number | null;
      graph: FlowDraft;
      steps: readonly PathStep[];
      callLabel: string;
      /** The call is still going: its current node is marked. */
      live?: boolean;
    }) => {
      const { decorations } = executionView(options.graph, callPathFromTrace(options.steps), {
        live: options.live ?? false,
      });
      setState((current) => {
        // The same call again (a live call's new steps; labels name one call): redraw its marks on the same canvas.
        if (
          current.store &&
          current.view.kind === "execution" &&
          current.view.callLabel === options.callLabel
        ) {
          current.store.getState().setDecorations(decorations);
          return current;
        }
        return {
          view: { kind: "execution", version: options.version, callLabel: options.callLabel },
          store: viewStore(options.graph, decorations),
        };
      });
    },
    [],
  );
  return { ...state, showDraft, showVersion, showDiff, showExecution };
}

import { checkConnection, type FlowDraft, validateFlow } from "@ringflow/core/flow";
import { applyEdgeChanges, applyNodeChanges } from "@xyflow/react";
import { createStore, type StoreApi } from "zustand/vanilla";
import { SNAP_GRID } from "../canvas/canvas-constants";
import { applyPositions, DEFAULT_NODE_SIZE, layoutFlow } from "../model/auto-layout";
import { type CanvasNode, canvasToGraph, graphToCanvas } from "../model/canvas-mapping";
import { copySelection, duplicateSelection, pasteClipboard } from "../model/clipboard";
import { noDecorations } from "../model/decorations";
import { createElementIds } from "../model/element-ids";
import {
  addElements,
  connect,
  moveElements,
  removeElements,
  setNodeConfig,
  updateNote,
} from "../model/flow-edits";
import { freeSpot } from "../model/free-spot";
import { canRedo, canUndo, createHistory, recordStep, redoStep, undoStep } from "../model/history";
import { canAddNodeType, createFlowNode } from "../model/new-node";
import { indexProblems } from "../model/problem-index";
import { initialSaveState, nextSaveState } from "../model/save-status";
import type { EditorOptions, EditorState } from "./editor-state";

/** The grid auto-layout and new nodes snap to: the canvas's snap grid. */
const LAYOUT_GRID = SNAP_GRID[0];

function selectedIds(nodes: readonly CanvasNode[]): string[] {
  return nodes.filter((n) => n.selected).map((n) => n.id);
}

/** Creates the store of one editor. */
export function createEditorStore(options: EditorOptions): StoreApi<EditorState> {
  const allIds = [
    ...options.graph.nodes.map((n) => n.id),
    ...options.graph.edges.map((e) => e.id),
    ...(options.graph.notes ?? []).map((n) => n.id),
  ];
  const newId = options.newId ?? createElementIds(allIds);
  const initial = graphToCanvas({ graph: options.graph });
  // A drag is under way: its drop is one undo step of its own.
  let dragging = false;

  return createStore<EditorState>()((set, get) => {
    /** Shows `graph`, keeping unchanged canvas objects, and selects `select` if given. */
    const show = (graph: FlowDraft, select?: readonly string[]) => {
      const { nodes, edges } = get();
      const canvas = graphToCanvas({ graph }, { reuse: nodes, reuseEdges: edges });
      const chosen = select ? new Set(select) : null;
      const shown = chosen
        ? canvas.nodes.map((n) =>
            Boolean(n.selected) === chosen.has(n.id) ? n : { ...n, selected: chosen.has(n.id) },
          )
        : canvas.nodes;
      set({
        nodes: shown,
        edges: chosen
          ? canvas.edges.map((e) => (e.selected ? { ...e, selected: false } : e))
          : canvas.edges,
        problems: indexProblems(validateFlow(graph)),
        selection: selectedIds(shown),
      });
    };
    const present = () => get().history.present;
    const editable = () => get().mode === "edit";

    return {
      mode: options.mode ?? "edit",
      nodes: initial.nodes,
      edges: initial.edges,
      history: createHistory(options.graph),
      problems: indexProblems(validateFlow(options.graph)),
      save: initialSaveState(options.revision),
      refusal: null,
      decorations: noDecorations,
      selection: [],
      fitRequests: 0,

      requestFit() {
        set({ fitRequests: get().fitRequests + 1 });
      },

      onNodesChange(changes) {
        const nodes = applyNodeChanges(changes, get().nodes);
        set({
          nodes,
          selection: changes.some((c) => c.type === "select")
            ? selectedIds(nodes)
            : get().selection,
        });
        if (!editable()) return;
        const moved = changes.filter((c) => c.type === "position");
        if (moved.some((c) => c.dragging)) dragging = true;
        const dropped = moved.length > 0 && moved.every((c) => c.dragging === false);
        const resized = changes.some((c) => c.type === "dimensions" && c.resizing === false);
        if (dropped || resized) {
          // The canvas has the new positions and sizes; make them the next step.
          const { graph } = canvasToGraph({ nodes, edges: get().edges });
          const wasDrag = dragging;
          dragging = false;
          // Arrow-key nudges of one selection undo together; each drag is its own step.
          get().commit(
            graph,
            wasDrag || resized ? {} : { coalesce: `nudge:${moved.map((c) => c.id).join(",")}` },
          );
        }
      },

      onEdgesChange(changes) {
        // Selection only: deleting goes through deleteSelection, as one step with the nodes.
        const kept = changes.filter((c) => c.type === "select");
        if (kept.length > 0) set({ edges: applyEdgeChanges(kept, get().edges) });
      },

      isValidConnection(connection) {
        if (!editable()) return false;
        // React Flow passes the edge itself while one is dragged to a new end.
        const replacing = "id" in connection ? connection.id : undefined;
        const found = checkConnection(present(), connection, replacing ? { replacing } : {});
        const refusal = found?.reason ?? null;
        if (refusal !== get().refusal) set({ refusal });
        return found === null;
      },

      connect(connection) {
        if (!editable()) return;
        const result = connect(present(), connection, { newId });
        set({ refusal: result.ok ? null : result.refusal.reason });
        if (result.ok) get().commit(result.graph);
      },

      reconnect(edge, connection) {
        if (!editable()) return;
        const result = connect(present(), connection, { newId, replacing: edge.id });
        set({ refusal: result.ok ? null : result.refusal.reason });
        if (result.ok) get().commit(result.graph);
      },

      clearRefusal() {
        if (get().refusal !== null) set({ refusal: null });
      },

      commit(graph, commitOptions = {}) {
        if (!editable()) return;
        const before = get().history;
        const history = recordStep(
          before,
          graph,
          commitOptions.coalesce ? { coalesce: commitOptions.coalesce } : {},
        );
        if (history === before && !commitOptions.select) return;
        set({ history });
        show(graph, commitOptions.select);
        if (history !== before) get().dispatchSave({ type: "edited" });
      },

      addNode(type, position) {
        if (!editable() || !canAddNodeType(present(), type)) return null;
        const taken = get().nodes.map((n) => ({
          x: n.position.x,
          y: n.position.y,
          width: n.measured?.width ?? DEFAULT_NODE_SIZE.width,
          height: n.measured?.height ?? DEFAULT_NODE_SIZE.height,
        }));
        const node = createFlowNode(type, freeSpot(position, taken, { grid: LAYOUT_GRID }), newId);
        get().commit(addElements(present(), { nodes: [node] }), { select: [node.id] });
        return node.id;
      },

      addNote(position) {
        const id = newId("note");
        get().commit(
          addElements(present(), { notes: [{ id, position, text: "", width: 240, height: 120 }] }),
          { select: [id] },
        );
        return id;
      },

      setConfig(nodeId, data, coalesce) {
        get().commit(setNodeConfig(present(), nodeId, data), coalesce ? { coalesce } : {});
      },

      setNoteText(noteId, text) {
        get().commit(updateNote(present(), noteId, { text }), { coalesce: `note:${noteId}` });
      },

      deleteSelection() {
        const ids = new Set([
          ...get().selection,
          ...get()
            .edges.filter((e) => e.selected)
            .map((e) => e.id),
        ]);
        if (ids.size === 0) return;
        get().commit(removeElements(present(), ids), { select: [] });
      },

      copySelection() {
        return copySelection(present(), new Set(get().selection));
      },

      paste(clipboard, at) {
        if (!editable()) return [];
        const result = pasteClipboard(present(), clipboard, { newId, ...(at && { at }) });
        if (result.pasted.length > 0) get().commit(result.graph, { select: result.pasted });
        return result.pasted;
      },

      duplicateSelection() {
        if (!editable()) return [];
        const result = duplicateSelection(present(), new Set(get().selection), { newId });
        if (result && result.pasted.length > 0)
          get().commit(result.graph, { select: result.pasted });
        return result?.pasted ?? [];
      },

      moveNodes(positions) {
        get().commit(moveElements(present(), positions));
      },

      select(ids) {
        const chosen = new Set(ids);
        const nodes = get().nodes.map((n) =>
          Boolean(n.selected) === chosen.has(n.id) ? n : { ...n, selected: chosen.has(n.id) },
        );
        set({ nodes, selection: selectedIds(nodes) });
      },

      undo() {
        if (!editable() || !canUndo(get().history)) return;
        const history = undoStep(get().history);
        set({ history });
        show(history.present);
        get().dispatchSave({ type: "edited" });
      },

      redo() {
        if (!editable() || !canRedo(get().history)) return;
        const history = redoStep(get().history);
        set({ history });
        show(history.present);
        get().dispatchSave({ type: "edited" });
      },

      canUndo: () => canUndo(get().history),
      canRedo: () => canRedo(get().history),

      replaceGraph(graph, replaceOptions = {}) {
        set({ history: createHistory(graph) });
        show(graph, []);
        if (replaceOptions.revision !== undefined) {
          get().dispatchSave({ type: "reloaded", revision: replaceOptions.revision });
        }
      },

      applySaved(graph, revision) {
        if (!editable()) return;
        set({ history: recordStep(get().history, graph) });
        show(graph, []);
        // Every edit so far is superseded by what the server now holds.
        const save = get().save;
        set({
          save: {
            ...save,
            status: "saved",
            revision,
            savedEditCount: save.editCount,
            inFlight: null,
            message: null,
          },
        });
      },

      autoLayout() {
        if (!editable()) return;
        const sizes = new Map(
          get().nodes.flatMap((n) =>
            n.measured?.width && n.measured.height
              ? [[n.id, { width: n.measured.width, height: n.measured.height }] as const]
              : [],
          ),
        );
        const positions = layoutFlow(present(), {
          sizeOf: (id) => sizes.get(id),
          grid: LAYOUT_GRID,
        });
        get().commit(applyPositions(present(), positions));
        get().requestFit();
      },

      setDecorations(decorations) {
        set({ decorations });
      },

      dispatchSave(event) {
        set({ save: nextSaveState(get().save, event) });
      },
    };
  });
}

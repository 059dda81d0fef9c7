import type { FlowDraft, FlowNodeType, FlowPosition } from "@ringflow/core/flow";
import type { Connection, EdgeChange, NodeChange } from "@xyflow/react";
import type { CanvasEdge, CanvasNode } from "../model/canvas-mapping";
import type { FlowClipboard } from "../model/clipboard";
import type { CanvasDecorations } from "../model/decorations";
import type { NewElementId } from "../model/element-ids";
import type { History } from "../model/history";
import type { ProblemIndex } from "../model/problem-index";
import type { SaveEvent, SaveState } from "../model/save-status";

/** Whether the canvas can be changed: the draft, or a version / a call's path shown read-only. */
export type EditorMode = "edit" | "view";

/** Everything the editor shows and the edits it makes, in one store per open flow. */
export interface EditorState {
  readonly mode: EditorMode;
  readonly nodes: CanvasNode[];
  readonly edges: CanvasEdge[];
  /** Undo/redo over whole drafts; `present` is the flow the canvas shows (positions as of the last drop). */
  readonly history: History<FlowDraft>;
  readonly problems: ProblemIndex;
  readonly save: SaveState;
  /** Why the connection being drawn is refused (core's reason), while it is. */
  readonly refusal: string | null;
  readonly decorations: CanvasDecorations;
  /** Selected node and note ids, in canvas order. */
  readonly selection: readonly string[];
  /** Bumped to ask the canvas to fit the flow into view once its nodes are measured. */
  readonly fitRequests: number;
  requestFit(): void;

  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  onEdgesChange(changes: EdgeChange<CanvasEdge>[]): void;
  isValidConnection(connection: Connection | CanvasEdge): boolean;
  connect(connection: Connection): void;
  reconnect(edge: CanvasEdge, connection: Connection): void;
  clearRefusal(): void;

  /** Makes `graph` the next undo step and shows it. */
  commit(graph: FlowDraft, options?: { coalesce?: string; select?: readonly string[] }): void;
  addNode(type: FlowNodeType, position: FlowPosition): string | null;
  addNote(position: FlowPosition): string;
  setConfig(nodeId: string, data: Record<string, unknown>, coalesce?: string): void;
  setNoteText(noteId: string, text: string): void;
  deleteSelection(): void;
  copySelection(): FlowClipboard | null;
  paste(clipboard: FlowClipboard, at?: FlowPosition): readonly string[];
  duplicateSelection(): readonly string[];
  moveNodes(positions: ReadonlyMap<string, FlowPosition>): void;
  select(ids: readonly string[]): void;
  undo(): void;
  redo(): void;
  canUndo(): boolean;
  canRedo(): boolean;

  /** Shows another flow without an undo step (a reload after a conflict, a version opened). */
  replaceGraph(graph: FlowDraft, options?: { revision?: number }): void;
  /**
   * Shows a draft the server already stored at `revision` (an import) as an
   * undo step: undo brings the previous draft back, and autosave then stores it.
   */
  applySaved(graph: FlowDraft, revision: number): void;
  /** Lays the flow out left to right (measured node sizes), as one undo step. */
  autoLayout(): void;
  setDecorations(decorations: CanvasDecorations): void;
  dispatchSave(event: SaveEvent): void;
}

/** What an editor opens with. */
export interface EditorOptions {
  readonly graph: FlowDraft;
  readonly revision: number;
  readonly mode?: EditorMode;
  readonly newId?: NewElementId;
}

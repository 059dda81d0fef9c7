"use client";

import type { FlowNodeType } from "@ringflow/core/flow";
import {
  Background,
  BackgroundVariant,
  type Connection,
  type DefaultEdgeOptions,
  getViewportForBounds,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  useStore,
  type Viewport,
} from "@xyflow/react";
import { type DragEvent, type MouseEvent, useCallback, useEffect, useRef } from "react";
import { edgeTypes } from "../edges/flow-edge";
import type { CanvasEdge, CanvasNode } from "../model/canvas-mapping";
import { nodeTypes } from "../nodes/node-types";
import { useEditor, useEditorStore } from "../state/editor-context";
import { FIT_PADDING, MIN_ZOOM, NODE_TYPE_MIME, SNAP_GRID } from "./canvas-constants";
import { CanvasControls } from "./canvas-controls";
import { ConnectionHint } from "./connection-hint";
import { DetailLevel } from "./detail-level";
import { rememberViewport } from "./viewport-memory";

const defaultEdgeOptions: DefaultEdgeOptions = {
  type: "flow",
  markerEnd: { type: MarkerType.ArrowClosed, width: 18, height: 18 },
};

const miniMapColour = (node: CanvasNode) => (node.type === "note" ? "#fde68a" : "#94a3b8");

/** Props of {@link FlowCanvas}. */
export interface FlowCanvasProps {
  readonly flowId: string;
  /** The viewport to open with; without one the flow is fitted into view. */
  readonly initialViewport: Viewport | undefined;
  /** Opens the quick-add search at a point of the flow (double-click on the canvas). */
  readonly onQuickAdd: (at: { x: number; y: number }) => void;
}

/**
 * The React Flow canvas of the editor: nodes and edges from the store,
 * React Flow's changes back into it, connections checked by core's rules
 * (the reason of a refusal shown while dragging), drops from the palette,
 * double-click to add, snap to grid, minimap and zoom controls. In view
 * mode nothing can be moved or connected, but nodes can still be selected
 * to read their settings.
 */
export function FlowCanvas({ flowId, initialViewport, onQuickAdd }: FlowCanvasProps) {
  const store = useEditorStore();
  const nodes = useEditor((s) => s.nodes);
  const edges = useEditor((s) => s.edges);
  const editable = useEditor((s) => s.mode === "edit");
  const { screenToFlowPosition, setViewport } = useReactFlow<CanvasNode, CanvasEdge>();
  // Every node of the store measured: new nodes (a template, a paste) are not until React Flow renders them.
  const measured = useEditor((s) => s.nodes.every((n) => n.measured?.width && n.measured.height));
  const fitRequests = useEditor((s) => s.fitRequests);
  const paneWidth = useStore((s) => s.width);
  const paneHeight = useStore((s) => s.height);
  // Fits handled so far: -1 fits once on load when no viewport is remembered.
  const fitted = useRef(initialViewport !== undefined ? 0 : -1);
  // Fit to the store's nodes (their positions and measured sizes) once they are
  // all measured: React Flow's own fitView may still frame the positions of
  // before an auto-layout, which it takes in a render later.
  useEffect(() => {
    if (!measured || fitted.current >= fitRequests || paneWidth === 0) return;
    fitted.current = fitRequests;
    const boxes = store.getState().nodes.map((n) => ({
      x: n.position.x,
      y: n.position.y,
      width: n.measured?.width ?? 0,
      height: n.measured?.height ?? 0,
    }));
    if (boxes.length === 0) return;
    const x = Math.min(...boxes.map((b) => b.x));
    const y = Math.min(...boxes.map((b) => b.y));
    const bounds = {
      x,
      y,
      width: Math.max(...boxes.map((b) => b.x + b.width)) - x,
      height: Math.max(...boxes.map((b) => b.y + b.height)) - y,
    };
    const viewport = getViewportForBounds(bounds, paneWidth, paneHeight, MIN_ZOOM, 1, FIT_PADDING);
    void setViewport(viewport, { duration: fitRequests > 0 ? 200 : 0 });
  }, [measured, fitRequests, paneWidth, paneHeight, setViewport, store]);
  const actions = store.getState();

  const onConnect = useCallback(
    (connection: Connection) => store.getState().connect(connection),
    [store],
  );
  const onReconnect = useCallback(
    (edge: CanvasEdge, connection: Connection) => store.getState().reconnect(edge, connection),
    [store],
  );
  const onMoveEnd = useCallback(
    (_: unknown, viewport: Viewport) => rememberViewport(flowId, viewport),
    [flowId],
  );
  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(NODE_TYPE_MIME)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);
  const onDrop = useCallback(
    (event: DragEvent) => {
      const type = event.dataTransfer.getData(NODE_TYPE_MIME) as FlowNodeType;
      if (!type) return;
      event.preventDefault();
      const at = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // The node's top-left corner a little up and left of the pointer, so it lands under it.
      store.getState().addNode(type, { x: at.x - 24, y: at.y - 24 });
    },
    [screenToFlowPosition, store],
  );
  const onDoubleClick = useCallback(
    (event: MouseEvent) => {
      if (!editable || !(event.target as Element).classList.contains("react-flow__pane")) return;
      onQuickAdd(screenToFlowPosition({ x: event.clientX, y: event.clientY }));
    },
    [editable, onQuickAdd, screenToFlowPosition],
  );

  return (
    <ReactFlow<CanvasNode, CanvasEdge>
      nodes={nodes}
      edges={edges}
      nodeTypes={nodeTypes}
      edgeTypes={edgeTypes}
      defaultEdgeOptions={defaultEdgeOptions}
      onNodesChange={actions.onNodesChange}
      onEdgesChange={actions.onEdgesChange}
      onConnect={onConnect}
      onReconnect={onReconnect}
      onConnectEnd={actions.clearRefusal}
      onReconnectEnd={actions.clearRefusal}
      isValidConnection={actions.isValidConnection}
      onMoveEnd={onMoveEnd}
      onDragOver={onDragOver}
      onDrop={onDrop}
      onDoubleClick={onDoubleClick}
      nodesDraggable={editable}
      nodesConnectable={editable}
      edgesReconnectable={editable}
      // Deleting is one undo step for nodes and edges together: the editor's key handler does it.
      deleteKeyCode={null}
      zoomOnDoubleClick={false}
      selectionOnDrag={editable}
      panOnDrag={editable ? [1, 2] : true}
      panOnScroll
      selectionKeyCode="Shift"
      multiSelectionKeyCode={["Meta", "Control", "Shift"]}
      snapToGrid
      snapGrid={SNAP_GRID}
      minZoom={MIN_ZOOM}
      maxZoom={2}
      {...(initialViewport && { defaultViewport: initialViewport })}
      proOptions={{ hideAttribution: true }}
      className="bg-muted/30"
    >
      <Background variant={BackgroundVariant.Dots} gap={SNAP_GRID[0]} size={1} />
      <MiniMap
        pannable
        zoomable
        nodeColor={miniMapColour}
        className="!bg-background"
        ariaLabel="Minimap"
      />
      <CanvasControls />
      <DetailLevel />
      <ConnectionHint />
    </ReactFlow>
  );
}

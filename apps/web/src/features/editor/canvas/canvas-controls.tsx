"use client";

import { Panel, useReactFlow, useStore } from "@xyflow/react";
import { Maximize, Minus, Plus } from "lucide-react";
import { FIT_PADDING } from "./canvas-constants";

const zoomSelector = (s: { transform: [number, number, number] }) =>
  Math.round(s.transform[2] * 100);

/** Zoom out, the zoom level, zoom in, fit the flow: bottom left of the canvas. */
export function CanvasControls() {
  const { zoomIn, zoomOut, fitView } = useReactFlow();
  const zoom = useStore(zoomSelector);
  const button =
    "grid size-8 place-items-center text-muted-foreground hover:bg-accent hover:text-accent-foreground focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";
  return (
    <Panel position="bottom-left">
      <div className="flex items-center overflow-hidden rounded-md border bg-background shadow-sm">
        <button
          type="button"
          className={button}
          onClick={() => zoomOut({ duration: 150 })}
          aria-label="Zoom out"
        >
          <Minus className="size-4" />
        </button>
        <span
          className="w-12 text-center text-xs tabular-nums text-muted-foreground"
          data-testid="zoom-level"
        >
          {zoom}%
        </span>
        <button
          type="button"
          className={button}
          onClick={() => zoomIn({ duration: 150 })}
          aria-label="Zoom in"
        >
          <Plus className="size-4" />
        </button>
        <button
          type="button"
          className={`${button} border-l`}
          onClick={() => fitView({ padding: FIT_PADDING, duration: 200, maxZoom: 1 })}
          aria-label="Fit the flow in view"
        >
          <Maximize className="size-4" />
        </button>
      </div>
    </Panel>
  );
}

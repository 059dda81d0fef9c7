"use client";

import { useStore } from "@xyflow/react";
import { useEffect } from "react";

/** Below this zoom the nodes' text is too small to read, and is not drawn. */
export const FAR_ZOOM = 0.35;

/**
 * Marks the canvas `data-detail="far"` while zoomed out below
 * {@link FAR_ZOOM}; the editor's stylesheet then leaves out the nodes'
 * text and shadows. A whole large flow in view is mostly text to paint, and
 * painting it on every frame of a drag is what made dragging stutter. The
 * nodes keep their sizes, so nothing moves when the detail changes.
 */
export function DetailLevel() {
  const far = useStore((s) => s.transform[2] < FAR_ZOOM);
  const domNode = useStore((s) => s.domNode);
  useEffect(() => {
    domNode?.setAttribute("data-detail", far ? "far" : "near");
  }, [far, domNode]);
  return null;
}

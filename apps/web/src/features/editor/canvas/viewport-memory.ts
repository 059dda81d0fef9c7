import type { Viewport } from "@xyflow/react";
import { z } from "zod";

const viewportSchema = z.object({ x: z.number(), y: z.number(), zoom: z.number().positive() });

const keyOf = (flowId: string) => `ringflow:editor:viewport:${flowId}`;

/**
 * Where the admin last looked at a flow, kept in this browser: the
 * viewport is the viewer's, not the flow's, so panning never makes a draft
 * change (nor a save conflict with a colleague who looks elsewhere).
 */
export function rememberedViewport(flowId: string): Viewport | undefined {
  try {
    const raw = window.localStorage.getItem(keyOf(flowId));
    const parsed = raw === null ? undefined : viewportSchema.safeParse(JSON.parse(raw));
    return parsed?.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps `viewport` for the next visit of `flowId`. */
export function rememberViewport(flowId: string, viewport: Viewport): void {
  try {
    window.localStorage.setItem(keyOf(flowId), JSON.stringify(viewport));
  } catch {
    // Private windows may refuse storage; the canvas then fits the flow on load.
  }
}

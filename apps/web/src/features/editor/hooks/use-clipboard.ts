"use client";

import { useCallback, useRef } from "react";
import type { StoreApi } from "zustand/vanilla";
import { type FlowClipboard, parseClipboard, serializeClipboard } from "../model/clipboard";
import type { EditorState } from "../state/editor-state";

/**
 * Copy, cut and paste of the selection through the system clipboard (so a
 * selection can go to another flow, in another tab), with an in-page copy
 * to fall back on where the browser refuses clipboard access. Repeated
 * pastes step down and right, so copies do not stack on each other.
 */
export function useClipboard(store: StoreApi<EditorState>) {
  const local = useRef<FlowClipboard | null>(null);
  const pastes = useRef(0);

  const copy = useCallback(() => {
    const clip = store.getState().copySelection();
    if (!clip) return false;
    local.current = clip;
    pastes.current = 0;
    void navigator.clipboard?.writeText(serializeClipboard(clip)).catch(() => {});
    return true;
  }, [store]);

  const cut = useCallback(() => {
    if (copy()) store.getState().deleteSelection();
  }, [copy, store]);

  const paste = useCallback(async () => {
    let clip = local.current;
    try {
      const text = await navigator.clipboard?.readText();
      const fromSystem = text ? parseClipboard(text) : null;
      if (fromSystem) clip = fromSystem;
    } catch {
      // Clipboard read refused (permission, insecure origin): the in-page copy serves.
    }
    if (!clip) return;
    pastes.current++;
    const first = clip.nodes[0]?.position ?? clip.notes[0]?.position ?? { x: 0, y: 0 };
    const corner = [...clip.nodes, ...clip.notes].reduce(
      (c, e) => ({ x: Math.min(c.x, e.position.x), y: Math.min(c.y, e.position.y) }),
      first,
    );
    const step = 40 * pastes.current;
    store.getState().paste(clip, { x: corner.x + step, y: corner.y + step });
  }, [store]);

  return { copy: () => void copy(), cut, paste: () => void paste() };
}

"use client";

import { useEffect, useRef } from "react";
import { type ShortcutId, shortcutFor } from "../model/shortcuts";

/** What each shortcut does; a missing one is ignored (a read-only view has no undo). */
export type ShortcutHandlers = Partial<Record<ShortcutId, () => void>>;

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName);
}

const apple = () => typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * Runs the editor's shortcuts (the table in `model/shortcuts.ts`) while no
 * text field has the focus and no dialog is open, so typing a label or a
 * number never deletes nodes or undoes a step.
 */
export function useEditorShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isTyping(event.target)) return;
      if (
        document.querySelector(
          "[role=dialog][data-state=open], [role=alertdialog][data-state=open]",
        )
      )
        return;
      const id = shortcutFor(event, { apple: apple() });
      const handler = id ? latest.current[id] : undefined;
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);
}

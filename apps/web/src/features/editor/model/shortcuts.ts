/**
 * The editor's keyboard shortcuts: one table the key handler and the `?`
 * sheet are both built from, so the sheet cannot promise a key that does
 * nothing.
 */
export const editorShortcuts = [
  { id: "undo", keys: ["Mod+Z"], label: "Undo", group: "Edit" },
  { id: "redo", keys: ["Mod+Shift+Z", "Mod+Y"], label: "Redo", group: "Edit" },
  { id: "copy", keys: ["Mod+C"], label: "Copy the selection", group: "Edit" },
  { id: "cut", keys: ["Mod+X"], label: "Cut the selection", group: "Edit" },
  { id: "paste", keys: ["Mod+V"], label: "Paste", group: "Edit" },
  { id: "duplicate", keys: ["Mod+D"], label: "Duplicate the selection", group: "Edit" },
  { id: "delete", keys: ["Delete", "Backspace"], label: "Delete the selection", group: "Edit" },
  { id: "selectAll", keys: ["Mod+A"], label: "Select everything", group: "Edit" },
  { id: "quickAdd", keys: ["/"], label: "Add a node (search)", group: "Canvas" },
  { id: "note", keys: ["N"], label: "Add a sticky note", group: "Canvas" },
  { id: "layout", keys: ["Mod+Shift+L"], label: "Tidy up (auto-layout)", group: "Canvas" },
  { id: "fitView", keys: ["Shift+1"], label: "Fit the flow in view", group: "Canvas" },
  { id: "zoomIn", keys: ["+"], label: "Zoom in", group: "Canvas" },
  { id: "zoomOut", keys: ["-"], label: "Zoom out", group: "Canvas" },
  { id: "save", keys: ["Mod+S"], label: "Save now", group: "Flow" },
  { id: "problems", keys: ["Mod+."], label: "Show the problems", group: "Flow" },
  { id: "help", keys: ["?"], label: "Show these shortcuts", group: "Help" },
  { id: "escape", keys: ["Escape"], label: "Clear the selection, close a dialog", group: "Help" },
] as const;

/** A shortcut's id. */
export type ShortcutId = (typeof editorShortcuts)[number]["id"];

/** The parts of a keyboard event a shortcut is matched on. */
export interface KeyPress {
  readonly key: string;
  readonly ctrlKey: boolean;
  readonly metaKey: boolean;
  readonly shiftKey: boolean;
  readonly altKey: boolean;
}

/** "Mod" is ⌘ on Apple platforms, Ctrl elsewhere. */
function matches(combo: string, press: KeyPress, apple: boolean): boolean {
  const parts = combo.split("+");
  // "+" alone is the plus key, not a separator.
  const key = combo.endsWith("++") || combo === "+" ? "+" : (parts.at(-1) ?? "");
  const modifiers = new Set(combo === "+" ? [] : parts.slice(0, -1));
  const mod = apple ? press.metaKey : press.ctrlKey;
  if (modifiers.has("Mod") !== mod) return false;
  if (!apple && press.metaKey) return false;
  if (apple && press.ctrlKey) return false;
  if (press.altKey) return false;
  const printable = key.length === 1 && !/[a-z0-9]/i.test(key);
  // Shift produces "?", "+" and "!" on most layouts: for those keys the
  // character is what counts, not whether Shift was held.
  if (!printable && modifiers.has("Shift") !== press.shiftKey) return false;
  if (key.length === 1 && /[a-z]/i.test(key)) return press.key.toLowerCase() === key.toLowerCase();
  if (key === "1" && modifiers.has("Shift")) return press.key === "1" || press.key === "!";
  return press.key === key;
}

/** The shortcut a key press means, if any. */
export function shortcutFor(
  press: KeyPress,
  options: { readonly apple: boolean },
): ShortcutId | null {
  for (const shortcut of editorShortcuts) {
    if (shortcut.keys.some((combo) => matches(combo, press, options.apple))) return shortcut.id;
  }
  return null;
}

/** How a combination is written on the sheet: `⌘ Z` on a Mac, `Ctrl Z` elsewhere. */
export function formatCombo(combo: string, options: { readonly apple: boolean }): string[] {
  if (combo === "+") return ["+"];
  return combo.split("+").map((part) => {
    if (part === "Mod") return options.apple ? "⌘" : "Ctrl";
    if (part === "Shift") return options.apple ? "⇧" : "Shift";
    return part;
  });
}

import { describe, expect, it } from "vitest";
import { editorShortcuts, formatCombo, shortcutFor } from "./shortcuts";

const press = (
  key: string,
  mods: Partial<Record<"ctrlKey" | "metaKey" | "shiftKey" | "altKey", boolean>> = {},
) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe("editor shortcuts", () => {
  it("undoes with Ctrl+Z (⌘Z on a Mac) and redoes with Ctrl+Shift+Z or Ctrl+Y", () => {
    expect(shortcutFor(press("z", { ctrlKey: true }), { apple: false })).toBe("undo");
    expect(shortcutFor(press("z", { metaKey: true }), { apple: true })).toBe("undo");
    expect(shortcutFor(press("Z", { ctrlKey: true, shiftKey: true }), { apple: false })).toBe(
      "redo",
    );
    expect(shortcutFor(press("y", { ctrlKey: true }), { apple: false })).toBe("redo");
    expect(shortcutFor(press("z", { metaKey: true }), { apple: false })).toBeNull();
    expect(shortcutFor(press("z"), { apple: false })).toBeNull();
  });

  it("reads ? and / by the character typed, Shift or not", () => {
    expect(shortcutFor(press("?", { shiftKey: true }), { apple: false })).toBe("help");
    expect(shortcutFor(press("/"), { apple: false })).toBe("quickAdd");
    expect(shortcutFor(press("+", { shiftKey: true }), { apple: false })).toBe("zoomIn");
    expect(shortcutFor(press("Delete"), { apple: true })).toBe("delete");
    expect(shortcutFor(press("!", { shiftKey: true }), { apple: false })).toBe("fitView");
  });

  it("lists every shortcut once, each with at least one key", () => {
    const ids = editorShortcuts.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of editorShortcuts) expect(s.keys.length).toBeGreaterThan(0);
    expect(formatCombo("Mod+Shift+Z", { apple: true })).toEqual(["⌘", "⇧", "Z"]);
    expect(formatCombo("Mod+Z", { apple: false })).toEqual(["Ctrl", "Z"]);
  });
});

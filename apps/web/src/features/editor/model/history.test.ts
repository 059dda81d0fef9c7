import { describe, expect, it } from "vitest";
import {
  canRedo,
  canUndo,
  createHistory,
  recordStep,
  redoStep,
  replacePresent,
  undoStep,
} from "./history";

describe("the undo/redo stack", () => {
  it("undoes and redoes steps in order", () => {
    let h = createHistory("a");
    h = recordStep(h, "b");
    h = recordStep(h, "c");
    expect(canRedo(h)).toBe(false);
    h = undoStep(h);
    expect(h.present).toBe("b");
    h = undoStep(h);
    expect(h.present).toBe("a");
    expect(canUndo(h)).toBe(false);
    expect(undoStep(h)).toBe(h);
    h = redoStep(redoStep(h));
    expect(h.present).toBe("c");
    expect(redoStep(h)).toBe(h);
  });

  it("drops the redo branch when a new step is recorded after undoing", () => {
    let h = recordStep(recordStep(createHistory(1), 2), 3);
    h = recordStep(undoStep(h), 4);
    expect(h.present).toBe(4);
    expect(canRedo(h)).toBe(false);
    expect(undoStep(h).present).toBe(2);
  });

  it("merges a run of steps with one coalescing key (typing in one field)", () => {
    let h = createHistory("");
    for (const text of ["S", "Sa", "Sal", "Sale", "Sales"])
      h = recordStep(h, text, { coalesce: "label:q1" });
    h = recordStep(h, "Sales!", { coalesce: "label:q2" });
    expect(undoStep(h).present).toBe("Sales");
    expect(undoStep(undoStep(h)).present).toBe("");
  });

  it("does not merge into a step that was undone and redone", () => {
    let h = recordStep(createHistory("a"), "ab", { coalesce: "k" });
    h = redoStep(undoStep(h));
    h = recordStep(h, "abc", { coalesce: "k" });
    expect(undoStep(h).present).toBe("ab");
  });

  it("ignores a step that changes nothing, and replaces the present without a step", () => {
    const h = createHistory({ v: 1 });
    expect(recordStep(h, h.present)).toBe(h);
    const saved = replacePresent(h, { v: 1 });
    expect(canUndo(saved)).toBe(false);
  });

  it("forgets the oldest steps beyond its limit", () => {
    let h = createHistory(0, 3);
    for (let i = 1; i <= 10; i++) h = recordStep(h, i);
    expect(h.past).toEqual([7, 8, 9]);
  });
});

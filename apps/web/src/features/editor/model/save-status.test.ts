import { describe, expect, it } from "vitest";
import {
  hasUnsavedEdits,
  initialSaveState,
  nextSaveState,
  type SaveEvent,
  shouldSave,
} from "./save-status";

const run = (revision: number, ...events: SaveEvent[]) =>
  events.reduce(nextSaveState, initialSaveState(revision));

describe("the draft's save state", () => {
  it("goes saved → dirty → saving → saved, carrying the new revision", () => {
    let s = run(3, { type: "edited" });
    expect(s.status).toBe("dirty");
    expect(shouldSave(s)).toBe(true);
    s = nextSaveState(s, { type: "saveStarted" });
    expect(s.status).toBe("saving");
    expect(shouldSave(s)).toBe(false);
    s = nextSaveState(s, { type: "saveSucceeded", revision: 4 });
    expect(s).toMatchObject({ status: "saved", revision: 4 });
    expect(hasUnsavedEdits(s)).toBe(false);
  });

  it("stays dirty when edits came in while saving, and saves them next", () => {
    const s = run(
      0,
      { type: "edited" },
      { type: "saveStarted" },
      { type: "edited" },
      { type: "saveSucceeded", revision: 1 },
    );
    expect(s.status).toBe("dirty");
    expect(shouldSave(s)).toBe(true);
    expect(s.revision).toBe(1);
  });

  it("shows offline until the browser is back, then saves what is pending", () => {
    let s = run(
      0,
      { type: "edited" },
      { type: "saveStarted" },
      { type: "saveFailed", reason: "offline" },
    );
    expect(s.status).toBe("offline");
    s = nextSaveState(s, { type: "edited" });
    expect(s.status).toBe("offline");
    expect(hasUnsavedEdits(s)).toBe(true);
    s = nextSaveState(s, { type: "online" });
    expect(shouldSave(s)).toBe(true);
  });

  it("on a conflict saves nothing until the user chooses; overwrite saves from their revision", () => {
    let s = run(5, { type: "edited" }, { type: "saveStarted" }, { type: "conflicted" });
    expect(s.status).toBe("conflict");
    s = nextSaveState(s, { type: "edited" });
    expect(s.status).toBe("conflict");
    expect(shouldSave(s)).toBe(false);
    s = nextSaveState(s, { type: "overwriteChosen", theirRevision: 6 });
    expect(s).toMatchObject({ status: "dirty", revision: 6 });
    expect(shouldSave(s)).toBe(true);
  });

  it("on a conflict, reload takes the server's draft and revision, with nothing pending", () => {
    const s = run(
      5,
      { type: "edited" },
      { type: "saveStarted" },
      { type: "conflicted" },
      { type: "reloaded", revision: 6 },
    );
    expect(s).toMatchObject({ status: "saved", revision: 6 });
    expect(hasUnsavedEdits(s)).toBe(false);
  });

  it("shows a refusal, and tries again after the next edit", () => {
    let s = run(
      0,
      { type: "edited" },
      { type: "saveStarted" },
      { type: "saveFailed", reason: "error", message: "Too many nodes" },
    );
    expect(s).toMatchObject({ status: "error", message: "Too many nodes" });
    expect(shouldSave(s)).toBe(false);
    s = nextSaveState(s, { type: "edited" });
    expect(shouldSave(s)).toBe(true);
  });
});

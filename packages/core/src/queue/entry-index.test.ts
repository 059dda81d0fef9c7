import { describe, expect, it } from "vitest";
import { EntryIndex } from "./entry-index.js";

describe("EntryIndex", () => {
  it("finds, replaces and forgets entries on both sides of the move to the standing map", () => {
    const index = new EntryIndex<number>();
    // 3,000 entries: the first 2,048 have moved to the standing map twice over.
    for (let i = 0; i < 3000; i++) index.add(`item-${i}`, i);
    expect(index.get("item-0")).toBe(0);
    expect(index.get("item-2999")).toBe(2999);
    expect(index.has("item-1500")).toBe(true);
    expect(index.has("item-3000")).toBe(false);

    index.delete("item-0"); // standing
    index.delete("item-2999"); // recent
    expect(index.has("item-0")).toBe(false);
    expect(index.get("item-2999")).toBeUndefined();
    expect([...index.values()]).toHaveLength(2998);

    // A deleted id can come back.
    index.add("item-0", -1);
    expect(index.get("item-0")).toBe(-1);
    expect(new Set(index.values()).size).toBe(2999);

    index.clear();
    expect([...index.values()]).toEqual([]);
    expect(index.has("item-1500")).toBe(false);
  });

  it("answers for a standing line while quick entries come and go", () => {
    const index = new EntryIndex<number>();
    for (let i = 0; i < 10_000; i++) index.add(`standing-${i}`, i);
    for (let i = 0; i < 50_000; i++) {
      index.add(`quick-${i}`, i);
      if (i >= 100) index.delete(`quick-${i - 100}`);
    }
    expect([...index.values()]).toHaveLength(10_100);
    expect(index.get("standing-0")).toBe(0);
    expect(index.get("quick-49999")).toBe(49_999);
    expect(index.has("quick-49899")).toBe(false);
  });
});

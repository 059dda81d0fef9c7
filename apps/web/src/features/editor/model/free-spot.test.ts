import { describe, expect, it } from "vitest";
import { freeSpot } from "./free-spot";

const box = (x: number, y: number) => ({ x, y, width: 260, height: 120 });

describe("freeSpot", () => {
  it("keeps a free spot, snapped to the grid", () => {
    expect(freeSpot({ x: 1003, y: 997 }, [box(0, 0)])).toEqual({ x: 1008, y: 992 });
  });

  it("steps down past the nodes in the way, and never lands on one", () => {
    const taken = [box(0, 0), box(0, 150)];
    const spot = freeSpot({ x: 0, y: 0 }, taken);
    const placed = { ...spot, width: 260, height: 120 };
    for (const other of taken) {
      const apart =
        placed.y >= other.y + other.height ||
        placed.y + placed.height <= other.y ||
        placed.x >= other.x + other.width;
      expect(apart).toBe(true);
    }
    expect(spot.x).toBe(0);
  });
});

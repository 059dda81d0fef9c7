import { describe, expect, it } from "vitest";
import { flowNodeTypeNames } from "../node-types.js";
import { nodeRunners } from "./node-runners.js";

describe("the runner map", () => {
  it("has one runner per node type, in the registry's order", () => {
    expect(Object.keys(nodeRunners)).toEqual([...flowNodeTypeNames]);
  });
});

import { validateFlow } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { demoFlowGraph } from "./demo.js";

describe("the demo flow", () => {
  it("validates with no error and no warning", () => {
    expect(validateFlow(demoFlowGraph("group-1"))).toEqual([]);
  });
});

import { flowNodeTypeNames } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { groupNodeTypes, searchNodeTypes } from "./node-search";

describe("searching node types", () => {
  it("finds types by name, help or the words people use", () => {
    expect(searchNodeTypes("")).toEqual(flowNodeTypeNames);
    expect(searchNodeTypes("voice")).toEqual(["voicemail"]);
    expect(searchNodeTypes("ivr")).toEqual(["menu"]);
    expect(searchNodeTypes("hours")).toEqual(["timeCondition"]);
    expect(searchNodeTypes("ring parallel")).toEqual(["ringGroup"]);
    expect(searchNodeTypes("zzz")).toEqual([]);
  });

  it("groups them in palette order", () => {
    expect(groupNodeTypes(flowNodeTypeNames).map(([c, t]) => [c, t.length])).toEqual([
      ["entry", 1],
      ["caller", 2],
      ["routing", 1],
      ["agents", 3],
      ["end", 2],
    ]);
  });
});

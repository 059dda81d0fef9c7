import { createDemoFlow } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { checkImportFile, exportFileName, exportFileText } from "./flow-file";

describe("flow files", () => {
  it("names exports after the flow and the version", () => {
    expect(exportFileName("Support line (UK)", null)).toBe("support-line-uk-draft.json");
    expect(exportFileName("Ventes", 3)).toBe("ventes-v3.json");
    expect(exportFileName("***", 1)).toBe("flow-v1.json");
  });

  it("imports what it exports", () => {
    const result = checkImportFile(exportFileText(createDemoFlow()));
    expect(result).toMatchObject({ ok: true, problems: [] });
  });

  it("refuses a file that is not JSON, or a flow with errors, listing every problem", () => {
    expect(checkImportFile("{nope")).toMatchObject({
      ok: false,
      reason: expect.stringContaining("not JSON"),
    });
    const broken = {
      ...createDemoFlow(),
      edges: [{ id: "e", source: "start", sourceHandle: "next", target: "gone" }],
    };
    const result = checkImportFile(JSON.stringify(broken));
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.code)).toContain("edgeTargetMissing");
  });
});

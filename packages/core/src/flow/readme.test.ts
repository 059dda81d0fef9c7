import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { flowProblemCodes } from "./validate/flow-problem.js";
import { validateFlow } from "./validate/validate-flow.js";

// The "Flows" section of packages/core/README.md is the editor's and API's
// reference; these checks keep it from drifting from the code.
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

describe("the README's Flows section", () => {
  it("documents every problem code with its severity, in order", () => {
    const rows = [...readme.matchAll(/^\| `(\w+)` *\| (error|warning) *\|/gm)].map((m) => [
      m[1],
      m[2],
    ]);
    const codes = Object.entries(flowProblemCodes).map(([code, { severity }]) => [code, severity]);
    expect(rows).toEqual(codes);
  });

  it("shows an example flow that validates clean", () => {
    const example = /```json\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    expect(validateFlow(JSON.parse(example ?? ""))).toEqual([]);
  });
});

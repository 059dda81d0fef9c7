import { validateFlow } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { flowTemplates } from "./flow-templates";

describe("starter templates", () => {
  it.each(flowTemplates.map((t) => [t.id, t] as const))(
    "%s validates without an error",
    (_, template) => {
      const problems = validateFlow(template.build({ timeZone: "Europe/London" }));
      expect(problems.filter((p) => p.severity === "error")).toEqual([]);
      // Only the numbers are left to the admin (in a blank flow, all after the start too).
      const expected = template.id === "blank" ? ["unconnectedOutput", "noNumbers"] : ["noNumbers"];
      expect(problems.map((p) => p.code)).toEqual(expected);
    },
  );
});

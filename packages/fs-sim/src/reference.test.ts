import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..", "reference");

describe("reference/", () => {
  it("is untouched: every file in SHA256SUMS matches its sum", () => {
    const lines = readFileSync(join(root, "SHA256SUMS"), "utf8").split("\n").filter(Boolean);
    expect(lines.length).toBeGreaterThan(10);
    for (const line of lines) {
      const [sum, file] = line.split(/\s+\*?/, 2) as [string, string];
      const actual = createHash("sha256")
        .update(readFileSync(join(root, file)))
        .digest("hex");
      expect({ file, sum: actual }).toEqual({ file, sum });
    }
  });
});

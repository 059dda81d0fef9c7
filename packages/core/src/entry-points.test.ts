import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import packageJson from "../package.json" with { type: "json" };

const here = dirname(fileURLToPath(import.meta.url));
const packageRoot = resolve(here, "..");

/** Entry points a browser bundle may import: all but `./redis`. */
const browserSafe = Object.keys(packageJson.exports).filter((entry) => entry !== "./redis");

function sourceOf(entry: string): string {
  const target = packageJson.exports[entry as keyof typeof packageJson.exports];
  return resolve(packageRoot, target["@ringflow/source"]);
}

const nodeOnly = (specifier: string) =>
  specifier.startsWith("node:") ||
  builtinModules.includes(specifier) ||
  specifier === "ioredis" ||
  specifier.startsWith("ioredis/");

/**
 * Every module `entry` reaches by static imports (type-only imports
 * included: they are erased, but a Node-only type in the browser's
 * surface is a smell too), and the Node-only specifiers each imports.
 */
function importGraph(entry: string): { files: Set<string>; nodeImports: string[] } {
  const files = new Set<string>();
  const nodeImports: string[] = [];
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const { importedFiles } = ts.preProcessFile(readFileSync(file, "utf8"), true, false);
    for (const { fileName } of importedFiles) {
      if (nodeOnly(fileName))
        nodeImports.push(`${file.slice(packageRoot.length + 1)} → ${fileName}`);
      else if (fileName.startsWith("."))
        visit(resolve(dirname(file), fileName.replace(/\.js$/, ".ts")));
    }
  };
  visit(sourceOf(entry));
  return { files, nodeImports };
}

describe("core's entry points", () => {
  it.each(browserSafe)("%s reaches neither ioredis nor node: modules", (entry) => {
    const { files, nodeImports } = importGraph(entry);
    expect(files.size).toBeGreaterThan(0);
    expect(nodeImports).toEqual([]);
  });

  it("lists the wall-board's ./live among the browser-safe entries", () => {
    expect(browserSafe).toContain("./live");
  });

  it("keeps the Redis classes behind ./redis, which does reach ioredis", () => {
    expect(importGraph("./redis").nodeImports.some((line) => line.endsWith("→ ioredis"))).toBe(
      true,
    );
  });

  it("does no I/O when imported: no module reads a file", () => {
    const all = new Set(Object.keys(packageJson.exports).flatMap((e) => [...importGraph(e).files]));
    const reading = [...all].filter((file) =>
      /\bread(File|dir)(Sync)?\(|import\.meta\.url/.test(readFileSync(file, "utf8")),
    );
    expect(reading).toEqual([]);
  });
});

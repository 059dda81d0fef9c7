import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LUA_SOURCES_FILE, renderLuaSources } from "./render-lua-sources.js";

describe("src/redis/generated/lua-sources.ts", () => {
  it("carries the .lua files as they are (run `pnpm --filter @ringflow/core lua` after editing one)", () => {
    expect(readFileSync(LUA_SOURCES_FILE, "utf8")).toBe(renderLuaSources());
  });
});

import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { LUA_SOURCES_FILE, renderLuaSources } from "./render-lua-sources.js";

mkdirSync(dirname(LUA_SOURCES_FILE), { recursive: true });
writeFileSync(LUA_SOURCES_FILE, renderLuaSources());
console.log(`wrote ${LUA_SOURCES_FILE}`);

import { LuaScript } from "../../redis/lua-script.js";

/**
 * The scripts ship as `.lua` files under `src/`; this module sits at the same
 * depth in `src/` and in the built `dist/`, so one relative path finds them
 * from either without a copy step.
 */
const LUA_DIR = new URL("../../../src/queue/redis/lua/", import.meta.url);

/** Names of the queue's scripts, one `.lua` file each. */
export type QueueScriptName =
  | "enqueue"
  | "remove"
  | "heartbeat"
  | "alive"
  | "claim"
  | "configure"
  | "snapshot";

/** Every queue script, ready to run. */
export type QueueScripts = Readonly<Record<QueueScriptName, LuaScript>>;

let loaded: QueueScripts | undefined;

/** Reads the queue's scripts once per process, each with `common.lua`'s helpers in front. */
export function queueScripts(): QueueScripts {
  if (!loaded) {
    const load = (name: QueueScriptName) => LuaScript.read(LUA_DIR, `${name}.lua`, "common.lua");
    loaded = {
      enqueue: load("enqueue"),
      remove: load("remove"),
      heartbeat: load("heartbeat"),
      alive: load("alive"),
      claim: load("claim"),
      configure: load("configure"),
      snapshot: load("snapshot"),
    };
  }
  return loaded;
}

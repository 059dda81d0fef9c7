import { LuaScript, lazyScripts } from "../../redis/lua-script.js";

/** Names of the queue's scripts, one `src/redis/lua/queue/<name>.lua` file each. */
export type QueueScriptName =
  | "enqueue"
  | "remove"
  | "heartbeat"
  | "alive"
  | "claim"
  | "restore"
  | "configure"
  | "setPaused"
  | "snapshot";

/** Every queue script, ready to run. */
export type QueueScripts = Readonly<Record<QueueScriptName, LuaScript>>;

/** The queue's scripts, built once per process, each with `common.lua`'s helpers in front. */
export const queueScripts = lazyScripts((): QueueScripts => {
  const load = (name: Exclude<QueueScriptName, "setPaused">) =>
    LuaScript.of(`queue/${name}.lua`, "queue/common.lua");
  return {
    enqueue: load("enqueue"),
    remove: load("remove"),
    heartbeat: load("heartbeat"),
    alive: load("alive"),
    claim: load("claim"),
    restore: load("restore"),
    configure: load("configure"),
    setPaused: LuaScript.of("queue/set-paused.lua", "queue/common.lua"),
    snapshot: load("snapshot"),
  };
});

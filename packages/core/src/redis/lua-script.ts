import { createHash } from "node:crypto";
import { luaSources } from "./generated/lua-sources.js";
import type { RedisClient } from "./redis-connection.js";

/** A script's path under `src/redis/lua/`, e.g. `queue/enqueue.lua`. */
export type LuaFile = keyof typeof luaSources;

/**
 * One Redis Lua script, run by SHA; the source is sent only when Redis does
 * not have it cached (first use, or after a restart or flush).
 */
export class LuaScript {
  /** SHA-1 of the source, as Redis names the script. */
  readonly sha: string;

  constructor(
    /** Name used in errors and tests. */
    readonly name: string,
    /** The full source sent to Redis. */
    readonly source: string,
  ) {
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  /**
   * The script in `file`, with the `preludes` (helper functions shared by
   * several scripts) in front. The sources are inlined into the package
   * (`generated/lua-sources.ts`), so this reads no file.
   */
  static of(file: LuaFile, ...preludes: LuaFile[]): LuaScript {
    return new LuaScript(file, [...preludes, file].map((name) => luaSources[name]).join("\n"));
  }

  /** Runs the script with `keys` as KEYS and `args` as ARGV. */
  async run(
    redis: RedisClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return await redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}

/**
 * A set of scripts built on first use: modules that declare scripts do no
 * work (not even hashing) until a Redis class asks for them.
 */
export function lazyScripts<T>(build: () => T): () => T {
  let scripts: T | undefined;
  return () => {
    scripts ??= build();
    return scripts;
  };
}

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

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
   * Reads `file` from the directory `dir`, with the `preludes` (helper
   * functions shared by several scripts, in the same directory) in front.
   *
   * The `.lua` files stay in `src/` (the package ships it). A module at the
   * same depth in `src/` and `dist/` finds them from both with one relative
   * URL, e.g. `new URL("../../src/balancer/", import.meta.url)`.
   */
  static read(dir: URL, file: string, ...preludes: string[]): LuaScript {
    const text = (name: string) => readFileSync(new URL(name, dir), "utf8");
    return new LuaScript(file, [...preludes.map(text), text(file)].join("\n"));
  }

  /** Runs the script with `keys` as KEYS and `args` as ARGV. */
  async run(
    redis: Redis,
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

import { randomBytes } from "node:crypto";
import type { LuaScript } from "../../redis/lua-script.js";
import type { RedisClient } from "../../redis/redis-connection.js";
import { restoreReply } from "./redis-replies.js";
import type { RedisTicket } from "./redis-ticket.js";

/**
 * Tells whether Redis lost its data since this process last looked: a
 * random value under `<prefix>epoch`, set by whichever process finds it
 * missing. A Redis restarted empty has none (or another process's new one).
 */
export class RedisEpoch {
  private known: string | undefined;

  constructor(private readonly key: string) {}

  /** True if the epoch changed since the last check (never on the first). */
  async lost(redis: RedisClient): Promise<boolean> {
    await redis.set(this.key, randomBytes(8).toString("hex"), "NX");
    const epoch = await redis.get(this.key);
    const lost = this.known !== undefined && epoch !== this.known;
    this.known = epoch ?? undefined;
    return lost;
  }
}

/** What {@link restoreEntries} needs of its backend. */
export interface RestoreContext {
  readonly redis: RedisClient;
  readonly script: LuaScript;
  readonly owner: string;
  readonly channelPrefix: string;
  readonly leaseMs: number;
  readonly livenessMs: number;
  /** Grants wait this long after Redis lost its data, so every process puts its entries back first. */
  readonly restoreWindowMs: number;
  keys(queueId: string): string[];
  now(): number;
}

/** What Redis says of one entry put back: 2 holding, 1 waiting, 3 granted now, 0 could not. */
export type RestoredState = 0 | 1 | 2 | 3;

/**
 * Puts this process's entries back into Redis (restore.lua), holders first
 * so they take back their slots before any waiter could; each waiter at its
 * old place. Returns what Redis says of each, in the order given.
 */
export async function restoreEntries(
  context: RestoreContext,
  entries: readonly RedisTicket[],
  dataLost: boolean,
): Promise<Array<{ entry: RedisTicket; state: RestoredState }>> {
  const now = context.now();
  const holdGrantsUntil = dataLost ? now + context.restoreWindowMs : "";
  const ordered = [...entries].sort((a, b) => rank(a) - rank(b));
  return Promise.all(
    ordered.map(async (entry) => {
      const raw = await context.script.run(context.redis, context.keys(entry.queueId), [
        now,
        context.channelPrefix,
        entry.itemId,
        context.owner,
        entry.id,
        entry.maxConcurrent,
        now + context.leaseMs,
        entry.enqueuedAt,
        entry.state === "holding" ? (entry.grantedAt ?? now) : "",
        entry.score ?? "",
        now + context.livenessMs,
        holdGrantsUntil,
      ]);
      return { entry, state: restoreReply.parse(raw) as RestoredState };
    }),
  );
}

function rank(entry: RedisTicket): number {
  return entry.state === "holding" ? 0 : 1;
}

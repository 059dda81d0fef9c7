import { z } from "zod";
import type { QueueHolder, QueueSnapshot, QueueWaiter, WaitStats } from "../backend.js";

/** What separates priorities in a waiting entry's score (see enqueue.lua). */
const PRIORITY_STEP = 1e12;

/**
 * enqueue.lua: `[1]` granted, `[0, position, score]` waiting, `[-1]`
 * duplicate, `[-2]` full, `[-3, aliveUntil]` another live process's item.
 */
export const enqueueReply = z.union([
  z.tuple([z.literal(0), z.number().int(), z.string()]),
  z.tuple([z.literal(-3), z.number().int()]),
  z.tuple([z.number().int()]),
]);

/** remove.lua: 0 nothing removed, 1 a waiter, 2 a holder. */
export const removeReply = z.number().int().min(0).max(2);

/** remove.lua with its own-waiters flag: `[what was removed, tickets granted to the caller...]`. */
export const removeOwnReply = z.tuple([removeReply], z.string());

/** claim.lua: 0 gone, 1 still waiting (the offer was taken back), 2 holding. */
export const claimReply = z.number().int().min(0).max(2);

/** restore.lua: 0 could not, 1 waiting, 2 holding, 3 put back and granted. */
export const restoreReply = z.number().int().min(0).max(3);

/** heartbeat.lua: one state per entry sent (0 gone, 1 waiting, 2 holding). */
export const heartbeatReply = z.array(z.number().int().min(0).max(2));

const snapshotReply = z.tuple([z.string().nullable(), z.array(z.string()), z.array(z.string())]);

/** Turns snapshot.lua's flat lists into a {@link QueueSnapshot}. */
export function parseSnapshot(queueId: string, at: number, raw: unknown): QueueSnapshot {
  const [max, flatHolders, flatWaiters] = snapshotReply.parse(raw);
  const holders: QueueHolder[] = [];
  for (let i = 0; i + 1 < flatHolders.length; i += 2) {
    holders.push({ itemId: flatHolders[i] as string, since: Number(flatHolders[i + 1]) });
  }
  holders.sort((a, b) => a.since - b.since || (a.itemId < b.itemId ? -1 : 1));
  const waiters: QueueWaiter[] = [];
  for (let i = 0; i + 2 < flatWaiters.length; i += 3) {
    waiters.push({
      itemId: flatWaiters[i] as string,
      priority: Math.floor(Number(flatWaiters[i + 1]) / PRIORITY_STEP),
      enqueuedAt: Number(flatWaiters[i + 2]),
      position: waiters.length + 1,
    });
  }
  return { queueId, at, maxConcurrent: max === null ? null : Number(max), holders, waiters };
}

const waitStatsReplies = z.tuple([
  z.tuple([z.null(), z.number().nullable()]),
  z.tuple([z.null(), z.string().nullable()]),
  z.tuple([z.null(), z.string().nullable()]),
  z.tuple([z.null(), z.number()]),
]);

/** Turns the replies of the wait-stats transaction (ZRANK, HGET max, HGET holdSum, LLEN) into {@link WaitStats}. */
export function parseWaitStats(raw: unknown): WaitStats | null {
  const [[, rank], [, max], [, holdSum], [, samples]] = waitStatsReplies.parse(raw);
  if (rank === null || max === null) return null;
  return {
    position: rank + 1,
    maxConcurrent: Number(max),
    averageHoldMs: samples === 0 ? null : Number(holdSum ?? 0) / samples,
  };
}

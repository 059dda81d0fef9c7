import { z } from "zod";
import type { LiveQueue } from "./live-state.js";

/** Zod schema of {@link QueueDayCounts}. */
export const queueDayCountsSchema = z.object({
  queueId: z.string(),
  /** Midnight in the queue's time zone (UTC for a queue with no configuration). */
  dayStartedAt: z.date(),
  /** Calls that started today, waited in the queue and reached an agent. */
  completed: z.number().int().min(0),
  /** Calls that started today and hung up while waiting. */
  abandoned: z.number().int().min(0),
  /** Calls that started today and were given up on by the queue (its timeout). */
  timedOut: z.number().int().min(0),
  /** Callback requests holding a place in the line, not yet completed. */
  callbacksPending: z.number().int().min(0),
  /** Callback requests that ran out of attempts. */
  callbacksFailed: z.number().int().min(0),
});

/**
 * A queue's counts kept in storage: today's finished waits by outcome,
 * and its callback requests by state (open now, and failed
 * today).
 */
export type QueueDayCounts = z.infer<typeof queueDayCountsSchema>;

/** Zod schema of {@link QueueCounts}. */
export const queueCountsSchema = queueDayCountsSchema.extend({
  /** Callers waiting now; `null` when the live state could not be read. */
  waiting: z.number().int().min(0).nullable(),
  /** Entries holding a slot now; `null` when the live state could not be read. */
  inSlot: z.number().int().min(0).nullable(),
});

/**
 * A queue's counts per state, as the wall-board and the API show them:
 * waiting and in slot from the live state, completed / abandoned / timed
 * out today and callbacks pending / failed from storage.
 */
export type QueueCounts = z.infer<typeof queueCountsSchema>;

/** Options of {@link countQueues}. */
export interface CountQueuesInput {
  /** The live queues (a snapshot's `queues`); `null` when the live state could not be read. */
  readonly live: readonly LiveQueue[] | null;
  /** What storage counted, one entry per queue it knows. */
  readonly stored: readonly QueueDayCounts[];
  /** Midnight UTC of today: the day of a queue only the live state knows. */
  readonly utcDayStartedAt: Date;
}

/**
 * Every queue's counts, from the live state and storage side by side: one
 * entry per queue either knows, by `queueId`. A queue that storage does
 * not know (no configuration, no call today) counts 0 finished calls; a
 * queue the live state does not hold has nobody waiting or in a slot
 * (when the live state was read at all; `null` counts otherwise).
 */
export function countQueues(input: CountQueuesInput): QueueCounts[] {
  const live = new Map((input.live ?? []).map((queue) => [queue.queueId, queue]));
  const stored = new Map(input.stored.map((counts) => [counts.queueId, counts]));
  const ids = [...new Set([...stored.keys(), ...live.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return ids.map((queueId) => {
    const day = stored.get(queueId) ?? {
      queueId,
      dayStartedAt: input.utcDayStartedAt,
      completed: 0,
      abandoned: 0,
      timedOut: 0,
      callbacksPending: 0,
      callbacksFailed: 0,
    };
    const queue = live.get(queueId);
    return {
      ...day,
      waiting: input.live === null ? null : (queue?.waiting.length ?? 0),
      inSlot: input.live === null ? null : (queue?.inSlot ?? 0),
    };
  });
}

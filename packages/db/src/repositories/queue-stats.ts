import { flowReferences } from "@ringflow/core/flow";
import type { QueueDayCounts } from "@ringflow/core/live";
import type { Prisma } from "../generated/sqlite/client.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import type { CallbackRequestsRepository } from "./callback-requests.js";
import { byCodeUnits, fromJsonText } from "./records.js";

/**
 * How a queue did today, from its call records: what the wall-board shows
 * beside the live counts. "Today" starts at midnight in the queue's time
 * zone and counts calls that started since then.
 */
export interface QueueDayStats {
  queueId: string;
  /** Midnight in the queue's time zone, as an instant. */
  dayStartedAt: Date;
  /** The queue's service level threshold. */
  serviceLevelSeconds: number;
  /** Reached an agent. */
  answered: number;
  /** Hung up while waiting. */
  abandoned: number;
  /** The queue gave up on them. */
  timedOut: number;
  /** Answered within `serviceLevelSeconds` of entering. */
  answeredWithinServiceLevel: number;
  /**
   * `answeredWithinServiceLevel ÷ (answered + abandoned + timedOut)`, 0-1;
   * null before any of those today.
   */
  serviceLevel: number | null;
  /** Mean wait of the answered calls (the average speed of answer), null before any. */
  averageWaitMs: number | null;
  /** Longest wait of a call that reached an agent today, null before any. */
  longestAnsweredWaitMs: number | null;
}

/** One bucket of {@link QueueStatsRepository.history}. */
export interface QueueHistoryPoint {
  /** Start of the bucket. */
  at: Date;
  /** Most callers waiting at once during the bucket. */
  peakWaiting: number;
  /** Calls whose wait ended in the bucket answered, abandoned or timed out. */
  answered: number;
  abandoned: number;
  timedOut: number;
  /** Of those, the share answered within the service level threshold; null when none. */
  serviceLevel: number | null;
}

/** Options of {@link QueueStatsRepository.history}. */
export interface QueueHistoryQuery {
  queueId: string;
  /** First bucket starts here. */
  since: Date;
  /** Last bucket ends here (usually now); a wait still running is counted up to it. */
  until: Date;
  /** Bucket width. */
  bucketMs: number;
}

/** Today's figures and the recent history of queues, read from call records. */
export interface QueueStatsRepository {
  /**
   * Today's figures for every configured queue (or the given ones), by id;
   * a queue id with no configuration is left out.
   */
  today(input: { now: Date; queueIds?: readonly string[] }): Promise<QueueDayStats[]>;
  /**
   * Every queue's stored counts in one round, by id: calls that started
   * today (midnight in the queue's time zone) and finished waiting
   * completed (answered), abandoned or timed out; callback requests
   * open now (pending or dialling) and failed today. Every configured
   * queue is listed, and every other queue id with calls since midnight
   * UTC or with callback requests (counted in UTC). One query per table,
   * whatever the number of queues.
   */
  counts(input: { now: Date }): Promise<QueueDayCounts[]>;
  /**
   * Callers waiting (peak per bucket) and service level per bucket between
   * `since` and `until`, oldest first. Reads the calls that started up to
   * {@link HISTORY_LOOKBACK_MS} before `since`, so a long wait that began
   * earlier still counts.
   * @throws {RangeError} for more than {@link MAX_HISTORY_BUCKETS} buckets.
   */
  history(query: QueueHistoryQuery): Promise<QueueHistoryPoint[]>;
  /**
   * For each queue id named by a flow's live version, the agent groups that
   * same version names (its ring groups and "leave when no agents"
   * checks), sorted: whose agents the wall-board shows beside the queue.
   */
  agentGroupsByQueue(): Promise<Record<string, string[]>>;
}

/** How far before `since` {@link QueueStatsRepository.history} looks for waits that began earlier. */
export const HISTORY_LOOKBACK_MS = 60 * 60_000;
/** Most buckets one history query returns. */
export const MAX_HISTORY_BUCKETS = 500;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds that `timeZone`'s wall clock is ahead of UTC at `instant`. */
function offsetAt(timeZone: string, instant: number): number {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const part of formatter.formatToParts(new Date(instant))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (instant - (instant % 1000));
}

/**
 * The instant of the last local midnight at or before `instant` in
 * `timeZone` (through `Intl`, so daylight saving needs no special case).
 * @throws {RangeError} for a time zone `Intl` does not know.
 */
export function startOfLocalDay(timeZone: string, instant: Date): Date {
  const t = instant.getTime();
  const local = new Date(t + offsetAt(timeZone, t));
  const localMidnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate());
  // The offset at midnight may differ from the one now (a DST change today).
  let guess = localMidnight - offsetAt(timeZone, t);
  guess = localMidnight - offsetAt(timeZone, guess);
  return new Date(Math.min(guess, t));
}

const WAIT_OUTCOMES = ["answered", "abandoned", "timeout"] as const;

/** Creates the queue statistics repository over `prisma`. */
export function createQueueStatsRepository(
  prisma: RingflowPrismaClient,
  callbacks: Pick<CallbackRequestsRepository, "counts">,
): QueueStatsRepository {
  return {
    async today({ now, queueIds }) {
      const queues = await prisma.queueConfig.findMany({
        where: queueIds ? { id: { in: [...queueIds] } } : {},
        select: { id: true, serviceLevelSeconds: true, timeZone: true },
        orderBy: { id: "asc" },
      });
      return Promise.all(
        queues.map(async (queue) => {
          const dayStartedAt = startOfLocalDay(queue.timeZone, now);
          const where = {
            queueId: queue.id,
            startedAt: { gte: dayStartedAt, lte: now },
          };
          const [groups, withinServiceLevel] = await Promise.all([
            prisma.callRecord.groupBy({
              by: ["outcome"],
              where: { ...where, outcome: { in: [...WAIT_OUTCOMES] } },
              _count: { _all: true },
              _avg: { waitMs: true },
              _max: { waitMs: true },
            }),
            prisma.callRecord.count({
              where: {
                ...where,
                outcome: "answered",
                waitMs: { lte: queue.serviceLevelSeconds * 1000 },
              },
            }),
          ]);
          const group = (outcome: string) => groups.find((g) => g.outcome === outcome);
          const answered = group("answered")?._count._all ?? 0;
          const abandoned = group("abandoned")?._count._all ?? 0;
          const timedOut = group("timeout")?._count._all ?? 0;
          const finished = answered + abandoned + timedOut;
          const averageWait = group("answered")?._avg.waitMs;
          const longestWait = group("answered")?._max.waitMs;
          return {
            queueId: queue.id,
            dayStartedAt,
            serviceLevelSeconds: queue.serviceLevelSeconds,
            answered,
            abandoned,
            timedOut,
            answeredWithinServiceLevel: withinServiceLevel,
            serviceLevel: finished === 0 ? null : withinServiceLevel / finished,
            averageWaitMs:
              averageWait === null || averageWait === undefined ? null : Math.round(averageWait),
            longestAnsweredWaitMs: longestWait ?? null,
          };
        }),
      );
    },

    async counts({ now }) {
      const queues = await prisma.queueConfig.findMany({
        select: { id: true, timeZone: true },
        orderBy: { id: "asc" },
      });
      const utcStart = startOfLocalDay("UTC", now);
      const dayStartOf = new Map(queues.map((q) => [q.id, startOfLocalDay(q.timeZone, now)]));
      // One branch per distinct day start (queues sharing a time zone share
      // one), and one for queues with no configuration, counted in UTC.
      const idsByStart = new Map<number, string[]>();
      for (const [id, start] of dayStartOf) {
        idsByStart.set(start.getTime(), [...(idsByStart.get(start.getTime()) ?? []), id]);
      }
      const branches: Prisma.CallRecordWhereInput[] = [...idsByStart].map(([start, ids]) => ({
        queueId: { in: ids },
        startedAt: { gte: new Date(start), lte: now },
      }));
      branches.push({
        queueId: { notIn: [...dayStartOf.keys()] },
        startedAt: { gte: utcStart, lte: now },
      });
      const [groups, callbackCounts] = await Promise.all([
        prisma.callRecord.groupBy({
          by: ["queueId", "outcome"],
          where: { queueId: { not: null }, outcome: { in: [...WAIT_OUTCOMES] }, OR: branches },
          _count: { _all: true },
        }),
        callbacks.counts({ failedSince: utcStart, failedSinceByQueue: dayStartOf }),
      ]);
      const counts = new Map<string, QueueDayCounts>();
      const entry = (queueId: string): QueueDayCounts => {
        let found = counts.get(queueId);
        if (!found) {
          found = {
            queueId,
            dayStartedAt: dayStartOf.get(queueId) ?? utcStart,
            completed: 0,
            abandoned: 0,
            timedOut: 0,
            callbacksPending: 0,
            callbacksFailed: 0,
          };
          counts.set(queueId, found);
        }
        return found;
      };
      for (const queue of queues) entry(queue.id);
      for (const group of groups) {
        if (group.queueId === null) continue;
        const counted = entry(group.queueId);
        const n = group._count._all;
        if (group.outcome === "answered") counted.completed += n;
        else if (group.outcome === "abandoned") counted.abandoned += n;
        else if (group.outcome === "timeout") counted.timedOut += n;
      }
      for (const callback of callbackCounts) {
        const counted = entry(callback.queueId);
        counted.callbacksPending = callback.pending + callback.dialling;
        counted.callbacksFailed = callback.failed;
      }
      return [...counts.values()].sort((a, b) => byCodeUnits(a.queueId, b.queueId));
    },

    async agentGroupsByQueue() {
      // Only text columns: raw results need no type mapping on either provider.
      const rows = await prisma.$queryRaw<{ id: string; graph: string }[]>`
        SELECT f."id" AS "id", v."graph" AS "graph"
        FROM "Flow" f
        JOIN "FlowVersion" v ON v."flowId" = f."id" AND v."number" = f."lastVersion"`;
      const groups = new Map<string, Set<string>>();
      for (const row of rows) {
        const refs = flowReferences(fromJsonText(row.graph, `FlowVersion of ${row.id}`));
        for (const queueId of refs.queueIds) {
          const set = groups.get(queueId) ?? new Set<string>();
          for (const groupId of refs.agentGroupIds) set.add(groupId);
          groups.set(queueId, set);
        }
      }
      return Object.fromEntries(
        [...groups].map(([queueId, set]) => [queueId, [...set].sort(byCodeUnits)]),
      );
    },

    async history({ queueId, since, until, bucketMs }) {
      const from = since.getTime();
      const to = until.getTime();
      const buckets = Math.max(0, Math.ceil((to - from) / bucketMs));
      if (!(bucketMs > 0) || buckets > MAX_HISTORY_BUCKETS) {
        throw new RangeError(`at most ${MAX_HISTORY_BUCKETS} buckets of a positive width`);
      }
      const queue = await prisma.queueConfig.findUnique({
        where: { id: queueId },
        select: { serviceLevelSeconds: true },
      });
      const serviceLevelMs = (queue?.serviceLevelSeconds ?? 20) * 1000;
      const rows = await prisma.callRecord.findMany({
        where: {
          queueId,
          startedAt: { gte: new Date(from - HISTORY_LOOKBACK_MS), lt: until },
          enqueuedAt: { not: null },
        },
        select: { enqueuedAt: true, waitMs: true, acquiredAt: true, endedAt: true, outcome: true },
      });
      const points: QueueHistoryPoint[] = Array.from({ length: buckets }, (_, i) => ({
        at: new Date(from + i * bucketMs),
        peakWaiting: 0,
        answered: 0,
        abandoned: 0,
        timedOut: 0,
        serviceLevel: null,
      }));
      const within = new Array<number>(buckets).fill(0);
      // Each wait is +1 at its start and -1 at its end; a sweep finds each bucket's peak.
      const steps: [number, number][] = [];
      const bucketOf = (t: number) => Math.floor((t - from) / bucketMs);
      for (const row of rows) {
        const start = row.enqueuedAt?.getTime();
        if (start === undefined) continue;
        const end =
          row.waitMs !== null
            ? start + row.waitMs
            : (row.acquiredAt?.getTime() ?? row.endedAt?.getTime() ?? to);
        if (end > from && start < to) {
          steps.push([start, 1], [end, -1]);
        }
        const point = points[bucketOf(end)];
        if (!point || end >= to) continue;
        if (row.outcome === "answered") {
          point.answered++;
          const b = bucketOf(end);
          if (row.waitMs !== null && row.waitMs <= serviceLevelMs) within[b] = (within[b] ?? 0) + 1;
        } else if (row.outcome === "abandoned") point.abandoned++;
        else if (row.outcome === "timeout") point.timedOut++;
      }
      // Ends before starts at one instant: a caller leaving as another enters is not two at once.
      steps.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      let waiting = 0;
      let index = 0;
      for (; index < steps.length && (steps[index]?.[0] ?? 0) <= from; index++) {
        waiting += steps[index]?.[1] ?? 0;
      }
      for (let b = 0; b < buckets; b++) {
        const point = points[b] as QueueHistoryPoint;
        const end = from + (b + 1) * bucketMs;
        let peak = waiting;
        for (; index < steps.length && (steps[index]?.[0] ?? 0) < end; index++) {
          waiting += steps[index]?.[1] ?? 0;
          peak = Math.max(peak, waiting);
        }
        point.peakWaiting = peak;
        const finished = point.answered + point.abandoned + point.timedOut;
        point.serviceLevel = finished === 0 ? null : (within[b] ?? 0) / finished;
      }
      return points;
    },
  };
}

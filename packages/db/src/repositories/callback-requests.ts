import { randomUUID } from "node:crypto";
import { join, type Sql, sqltag as sql } from "@prisma/client/runtime/client";
import type { DatabaseProvider } from "../database-url.js";
import { LeaseLostError, NotFoundError } from "../errors.js";
import type { Prisma } from "../generated/sqlite/client.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { byCodeUnits, oneOf } from "./records.js";

/**
 * Where a callback request is: `pending` (waiting for a dispatcher, or for
 * its next attempt), `dialling` (a dispatcher holds it under a lease: it
 * waits for a slot, rings an agent or calls the customer), then one of the
 * ends: `completed` (the customer was bridged to an agent), `failed` (no
 * attempt reached them, `maxAttempts` times), `cancelled`.
 */
export const CALLBACK_STATUSES = [
  "pending",
  "dialling",
  "completed",
  "failed",
  "cancelled",
] as const;

/** One of {@link CALLBACK_STATUSES}. */
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

/** The statuses of an open request: at most one per number per queue. */
export const OPEN_CALLBACK_STATUSES = ["pending", "dialling"] as const satisfies CallbackStatus[];

/** A caller's request to be called back, keeping their place in a queue's line. */
export interface CallbackRequest {
  id: string;
  queueId: string;
  /** The number to call, as the caller confirmed or keyed it. */
  number: string;
  callerName: string | null;
  /** When the caller entered the queue: the request's place in the line. */
  requestedAt: Date;
  /** The caller's queue priority: lower is served first (0 = VIP), as in the queue. */
  priority: number;
  status: CallbackStatus;
  /** Failed attempts so far. */
  attempts: number;
  maxAttempts: number;
  /** Wait after the first failed attempt, doubling after each (as the flow set it); null: the backoff's `initialMs`. */
  retryDelayMs: number | null;
  /** A pending request is not claimed before this. */
  nextAttemptAt: Date;
  /** What the latest attempt came to: the customer leg's hangup cause (e.g. `NO_ANSWER`), or `completed`, `connectedBeforeWorkerLost`, `workerLost`, `noRingGroup`, `error`; null before any. */
  lastResult: string | null;
  /** The dispatcher holding a `dialling` request, else null. */
  leaseOwner: string | null;
  /** When that lease runs out unless renewed, else null. */
  leaseUntil: Date | null;
  /** When its holder began to dial (see {@link CallbackRequestsRepository.markDialling}); null while it waits for a slot, or is not held. */
  dialStartedAt: Date | null;
  /** Dials cut short because their worker died: see {@link CallbackRequestsRepository.reclaimExpired}. */
  lostDials: number;
  /** The uuid the latest dial gave the customer's leg (see {@link CallbackRequestsRepository.markDialling}), else null. */
  customerLeg: string | null;
  /** The call that asked for it, and the flow version and queue node it was in. */
  callUuid: string | null;
  flowVersionId: string | null;
  nodeId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Priority of a request that does not say: an ordinary caller's (core's `DEFAULT_PRIORITY`). */
export const DEFAULT_CALLBACK_PRIORITY = 5;

/** What {@link CallbackRequestsRepository.create} takes. */
export interface CallbackRequestInput {
  /** Default: a random UUID. Naming it lets a retry after a crash find its own request. */
  id?: string;
  queueId: string;
  number: string;
  callerName?: string | null;
  requestedAt: Date;
  priority?: number;
  maxAttempts: number;
  /** See {@link CallbackRequest.retryDelayMs}. */
  retryDelayMs?: number | null;
  /** First attempt not before this; default `requestedAt`. */
  notBefore?: Date;
  callUuid?: string | null;
  flowVersionId?: string | null;
  nodeId?: string | null;
}

/** How long a dispatcher waits before the next attempt: doubling from `initialMs`, at most `maxMs`. */
export interface CallbackBackoff {
  initialMs: number;
  maxMs: number;
}

/**
 * Dials a request may lose to dying workers before it fails (`lastResult`
 * `workerLost`): a request whose dialling crashes its worker is not
 * dialled again and again, taking every other call of each worker with it.
 */
export const DEFAULT_MAX_LOST_DIALS = 3;

/** Default {@link CallbackBackoff}: 1 min, 2 min, 4 min... at most 30 min. */
export const DEFAULT_CALLBACK_BACKOFF: CallbackBackoff = { initialMs: 60_000, maxMs: 30 * 60_000 };

/**
 * The wait before the attempt after `failedAttempts` failed ones (1 or
 * more): `initialMs × 2^(failedAttempts - 1)`, at most `maxMs`.
 */
export function callbackRetryDelayMs(failedAttempts: number, backoff: CallbackBackoff): number {
  const exponent = Math.max(0, Math.min(30, failedAttempts - 1));
  return Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}

/** A queue's callback requests by status, from {@link CallbackRequestsRepository.counts}. */
export interface CallbackCounts {
  queueId: string;
  /** Waiting for a dispatcher or for their next attempt. */
  pending: number;
  /** Held by a dispatcher. */
  dialling: number;
  /** Ran out of attempts since the `failedSince` given for the queue. */
  failed: number;
}

/** What a dispatcher names when it acts on a request it holds. */
export interface CallbackLeaseHolder {
  id: string;
  /** The dispatcher (worker id) that claimed it. */
  owner: string;
}

/**
 * Callback requests: stored by the call that asks (before the caller is
 * let go), then worked through by the workers' dispatchers under leases.
 * Every change of state is one conditional statement, so two dispatchers
 * never hold one request and a dispatcher that lost its lease changes
 * nothing.
 */
export interface CallbackRequestsRepository {
  /**
   * Stores a pending request, or returns the open (pending or dialling)
   * request that already exists for this number in this queue: a caller
   * asking twice, or a worker retrying after a crash, never makes two.
   * `created` says which.
   */
  create(input: CallbackRequestInput): Promise<{ request: CallbackRequest; created: boolean }>;
  /** The request, or null. */
  get(id: string): Promise<CallbackRequest | null>;
  /** The open requests (of one queue, or all), in line order: priority (lowest first), then `requestedAt`. */
  listOpen(input?: { queueId?: string }): Promise<CallbackRequest[]>;
  /**
   * Requests that ended (completed, failed, cancelled) since `since` (of
   * one queue, or all), the latest first, at most `limit`.
   */
  listEnded(input: { since: Date; queueId?: string; limit: number }): Promise<CallbackRequest[]>;
  /**
   * Claims up to `limit` pending requests due at `now` (of the given
   * queues, or any), in line order (priority, lowest first, then `requestedAt`), for `owner`, until `now + leaseMs`:
   * they become `dialling`. One statement: concurrent claims (threads or
   * processes) never get the same request.
   */
  claimDue(input: {
    owner: string;
    now: Date;
    leaseMs: number;
    limit: number;
    queueIds?: readonly string[];
  }): Promise<CallbackRequest[]>;
  /**
   * Extends the lease of a request `owner` holds to `now + leaseMs`.
   * @throws {LeaseLostError} when `owner` no longer holds it (its lease ran out and another took it, or it ended).
   */
  renewLease(input: CallbackLeaseHolder & { now: Date; leaseMs: number }): Promise<CallbackRequest>;
  /**
   * The holder begins to dial the request (it holds a slot and rings an
   * agent, then the customer, whose leg will have the uuid `customerLeg`):
   * from now on, a lease running out means the worker died mid-dial, which
   * {@link reclaimExpired} counts, and whoever takes the request over can
   * ask the switch about that leg.
   * @throws {LeaseLostError} when `owner` no longer holds it.
   */
  markDialling(
    input: CallbackLeaseHolder & { now: Date; customerLeg: string },
  ): Promise<CallbackRequest>;
  /**
   * Gives a request back without counting an attempt (the queue closed, the
   * worker is stopping): pending again, due at `nextAttemptAt` (default: as it was).
   * @throws {LeaseLostError} when `owner` no longer holds it.
   */
  release(input: CallbackLeaseHolder & { nextAttemptAt?: Date }): Promise<CallbackRequest>;
  /**
   * The customer was bridged to an agent: `completed`.
   * @throws {LeaseLostError} when `owner` no longer holds it.
   */
  complete(input: CallbackLeaseHolder & { result?: string }): Promise<CallbackRequest>;
  /**
   * An attempt did not reach the customer (`result`, e.g. `noAnswer`):
   * counted, then pending again after the backoff (from the request's
   * `retryDelayMs` when it has one, doubling up to `backoff.maxMs`), or `failed` once
   * `maxAttempts` attempts failed.
   * @throws {LeaseLostError} when `owner` no longer holds it.
   */
  recordFailedAttempt(
    input: CallbackLeaseHolder & { result: string; now: Date; backoff?: CallbackBackoff },
  ): Promise<CallbackRequest>;
  /**
   * Puts every `dialling` request whose lease ran out before `now` back to
   * pending (a killed dispatcher's), without counting a customer attempt;
   * returns their ids. A request that was being dialled (see
   * {@link markDialling}) counts a lost dial; at `maxLostDials` (default
   * {@link DEFAULT_MAX_LOST_DIALS}) it is `failed` instead, `lastResult`
   * `workerLost`.
   */
  reclaimExpired(input: { now: Date; maxLostDials?: number }): Promise<string[]>;
  /**
   * Cancels an open request; an ended one is left as it is.
   * @throws {NotFoundError} when there is no request `id`.
   */
  cancel(id: string): Promise<CallbackRequest>;
  /**
   * Requests per queue by status, in one query: every queue with open
   * requests, or with requests failed since `failedSinceByQueue[queueId]`
   * (default `failedSince`). By queue id.
   */
  counts(input: {
    failedSince: Date;
    failedSinceByQueue?: ReadonlyMap<string, Date>;
  }): Promise<CallbackCounts[]>;
}

type Row = Omit<CallbackRequest, "status"> & { status: string; openKey: string | null };

function toRequest(row: Row): CallbackRequest {
  const { openKey: _, ...rest } = row;
  return { ...rest, status: oneOf(CALLBACK_STATUSES, row.status, "callback status") };
}

/** The unique key of an open request (pending or dialling); null once it ended. */
function openKeyOf(queueId: string, number: string): string {
  return JSON.stringify([queueId, number]);
}

function positive(name: string, value: number): void {
  if (!(Number.isSafeInteger(value) && value > 0)) {
    throw new RangeError(`${name} must be a positive whole number, not ${value}`);
  }
}

const LINE_ORDER = [
  { priority: "asc" },
  { requestedAt: "asc" },
  { id: "asc" },
] satisfies Prisma.CallbackRequestOrderByWithRelationInput[];

/** What a request no longer held carries. */
const NOT_HELD = { leaseOwner: null, leaseUntil: null, dialStartedAt: null } as const;

/** Creates the callback requests repository over `prisma`. */
export function createCallbackRequestsRepository(
  prisma: RingflowPrismaClient,
  provider: DatabaseProvider,
): CallbackRequestsRepository {
  const held = (id: string, owner: string) => ({ id, leaseOwner: owner, status: "dialling" });

  /** Applies `data` to a request `owner` holds, or throws LeaseLostError. */
  async function whileHeld(
    { id, owner }: CallbackLeaseHolder,
    data: Prisma.CallbackRequestUpdateManyMutationInput,
    extra: Prisma.CallbackRequestWhereInput = {},
  ): Promise<CallbackRequest> {
    const { count } = await prisma.callbackRequest.updateMany({
      where: { ...held(id, owner), ...extra },
      data,
    });
    const row = await prisma.callbackRequest.findUnique({ where: { id } });
    if (count === 0 || !row) throw new LeaseLostError(id, owner);
    return toRequest(row);
  }

  return {
    async create(input) {
      positive("maxAttempts", input.maxAttempts);
      const id = input.id ?? randomUUID();
      const openKey = openKeyOf(input.queueId, input.number);
      const now = new Date();
      // The open key is unique: a second open request for the number is a
      // conflict, and the insert does nothing (as does a retry of this very
      // create, by its id). One statement, so concurrent creates (threads
      // or processes) make one row.
      for (let attempt = 0; attempt < 3; attempt++) {
        const inserted = await prisma.$executeRaw`
          INSERT INTO "CallbackRequest" ("id", "queueId", "number", "callerName", "requestedAt",
            "priority", "status", "attempts", "maxAttempts", "retryDelayMs", "nextAttemptAt", "openKey",
            "callUuid", "flowVersionId", "nodeId", "createdAt", "updatedAt")
          VALUES (${id}, ${input.queueId}, ${input.number}, ${input.callerName ?? null},
            ${input.requestedAt}, ${input.priority ?? DEFAULT_CALLBACK_PRIORITY}, 'pending', 0, ${input.maxAttempts}, ${input.retryDelayMs ?? null},
            ${input.notBefore ?? input.requestedAt}, ${openKey}, ${input.callUuid ?? null},
            ${input.flowVersionId ?? null}, ${input.nodeId ?? null}, ${now}, ${now})
          ON CONFLICT DO NOTHING`;
        const row =
          inserted === 1
            ? await prisma.callbackRequest.findUnique({ where: { id } })
            : ((await prisma.callbackRequest.findUnique({ where: { openKey } })) ??
              // A retry of this very create whose request has ended since.
              (await prisma.callbackRequest.findUnique({ where: { id } })));
        // Else the open one ended between the insert and the read: try again.
        if (row) return { request: toRequest(row), created: inserted === 1 };
      }
      throw new Error(`Could not store the callback request for ${input.number}`);
    },

    async get(id) {
      const row = await prisma.callbackRequest.findUnique({ where: { id } });
      return row ? toRequest(row) : null;
    },

    async listOpen(input) {
      const rows = await prisma.callbackRequest.findMany({
        where: {
          status: { in: [...OPEN_CALLBACK_STATUSES] },
          ...(input?.queueId ? { queueId: input.queueId } : {}),
        },
        orderBy: LINE_ORDER,
      });
      return rows.map(toRequest);
    },

    async listEnded({ since, queueId, limit }) {
      positive("limit", limit);
      const rows = await prisma.callbackRequest.findMany({
        where: {
          status: { notIn: [...OPEN_CALLBACK_STATUSES] },
          updatedAt: { gte: since },
          ...(queueId ? { queueId } : {}),
        },
        orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
        take: limit,
      });
      return rows.map(toRequest);
    },

    async claimDue({ owner, now, leaseMs, limit, queueIds }) {
      positive("leaseMs", leaseMs);
      positive("limit", limit);
      if (queueIds && queueIds.length === 0) return [];
      const until = new Date(now.getTime() + leaseMs);
      const inQueues: Sql = queueIds ? sql`AND "queueId" IN (${join([...queueIds])})` : sql``;
      // PostgreSQL: skip rows another claim has locked instead of waiting
      // for it. Either way the outer `status` check is evaluated again on
      // the row as it is once locked, so a request is claimed once.
      const skipLocked: Sql = provider === "postgresql" ? sql`FOR UPDATE SKIP LOCKED` : sql``;
      // MATERIALIZED: the line is read once. Left to the planner,
      // PostgreSQL may run an `IN (SELECT ... LIMIT n)` again per row and
      // hand out more than `limit`.
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        WITH "due" AS MATERIALIZED (
          SELECT "id" FROM "CallbackRequest"
          WHERE "status" = 'pending' AND "nextAttemptAt" <= ${now} ${inQueues}
          ORDER BY "priority" ASC, "requestedAt" ASC, "id" ASC
          LIMIT ${limit}
          ${skipLocked}
        )
        UPDATE "CallbackRequest"
        SET "status" = 'dialling', "leaseOwner" = ${owner}, "leaseUntil" = ${until},
          "dialStartedAt" = NULL, "updatedAt" = ${now}
        WHERE "status" = 'pending' AND "id" IN (SELECT "id" FROM "due")
        RETURNING "id"`;
      if (rows.length === 0) return [];
      const claimed = await prisma.callbackRequest.findMany({
        where: { id: { in: rows.map((row) => row.id) } },
        orderBy: LINE_ORDER,
      });
      return claimed.map(toRequest);
    },

    renewLease({ id, owner, now, leaseMs }) {
      positive("leaseMs", leaseMs);
      return whileHeld({ id, owner }, { leaseUntil: new Date(now.getTime() + leaseMs) });
    },

    markDialling({ id, owner, now, customerLeg }) {
      return whileHeld({ id, owner }, { dialStartedAt: now, customerLeg });
    },

    release({ id, owner, nextAttemptAt }) {
      return whileHeld(
        { id, owner },
        {
          status: "pending",
          ...NOT_HELD,
          ...(nextAttemptAt ? { nextAttemptAt } : {}),
        },
      );
    },

    complete({ id, owner, result = "completed" }) {
      return whileHeld(
        { id, owner },
        {
          status: "completed",
          lastResult: result,
          ...NOT_HELD,
          openKey: null,
        },
      );
    },

    async recordFailedAttempt({ id, owner, result, now, backoff = DEFAULT_CALLBACK_BACKOFF }) {
      const current = await prisma.callbackRequest.findFirst({ where: held(id, owner) });
      if (!current) throw new LeaseLostError(id, owner);
      const attempts = current.attempts + 1;
      const last = attempts >= current.maxAttempts;
      // Conditional on the attempts read: a stale read changes nothing.
      return whileHeld(
        { id, owner },
        {
          attempts,
          lastResult: result,
          ...NOT_HELD,
          ...(last
            ? { status: "failed", openKey: null }
            : {
                status: "pending",
                nextAttemptAt: new Date(
                  now.getTime() +
                    callbackRetryDelayMs(attempts, {
                      initialMs: current.retryDelayMs ?? backoff.initialMs,
                      maxMs: Math.max(backoff.maxMs, current.retryDelayMs ?? 0),
                    }),
                ),
              }),
        },
        { attempts: current.attempts },
      );
    },

    async reclaimExpired({ now, maxLostDials = DEFAULT_MAX_LOST_DIALS }) {
      positive("maxLostDials", maxLostDials);
      // Every right-hand side reads the row as it was: "lostDials" + 1 is
      // the count with this lost dial.
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        UPDATE "CallbackRequest"
        SET "lostDials" = "lostDials" + (CASE WHEN "dialStartedAt" IS NULL THEN 0 ELSE 1 END),
          "status" = (CASE WHEN "dialStartedAt" IS NOT NULL AND "lostDials" + 1 >= ${maxLostDials}
            THEN 'failed' ELSE 'pending' END),
          "openKey" = (CASE WHEN "dialStartedAt" IS NOT NULL AND "lostDials" + 1 >= ${maxLostDials}
            THEN NULL ELSE "openKey" END),
          "lastResult" = (CASE WHEN "dialStartedAt" IS NULL THEN "lastResult" ELSE 'workerLost' END),
          "dialStartedAt" = NULL, "leaseOwner" = NULL, "leaseUntil" = NULL, "updatedAt" = ${now}
        WHERE "status" = 'dialling' AND "leaseUntil" < ${now}
        RETURNING "id"`;
      return rows.map((row) => row.id).sort(byCodeUnits);
    },

    async cancel(id) {
      await prisma.callbackRequest.updateMany({
        where: { id, status: { in: [...OPEN_CALLBACK_STATUSES] } },
        data: { status: "cancelled", ...NOT_HELD, openKey: null },
      });
      const row = await prisma.callbackRequest.findUnique({ where: { id } });
      if (!row) throw new NotFoundError("callback request", id);
      return toRequest(row);
    },

    async counts({ failedSince, failedSinceByQueue = new Map() }) {
      const idsBySince = new Map<number, string[]>();
      for (const [queueId, since] of failedSinceByQueue) {
        idsBySince.set(since.getTime(), [...(idsBySince.get(since.getTime()) ?? []), queueId]);
      }
      const failedBranches: Prisma.CallbackRequestWhereInput[] = [...idsBySince].map(
        ([since, ids]) => ({
          status: "failed",
          queueId: { in: ids },
          updatedAt: { gte: new Date(since) },
        }),
      );
      failedBranches.push({
        status: "failed",
        queueId: { notIn: [...failedSinceByQueue.keys()] },
        updatedAt: { gte: failedSince },
      });
      const groups = await prisma.callbackRequest.groupBy({
        by: ["queueId", "status"],
        where: { OR: [{ status: { in: [...OPEN_CALLBACK_STATUSES] } }, ...failedBranches] },
        _count: { _all: true },
      });
      const counts = new Map<string, CallbackCounts>();
      for (const group of groups) {
        const entry = counts.get(group.queueId) ?? {
          queueId: group.queueId,
          pending: 0,
          dialling: 0,
          failed: 0,
        };
        const status = oneOf(CALLBACK_STATUSES, group.status, "callback status");
        if (status === "pending" || status === "dialling" || status === "failed") {
          entry[status] += group._count._all;
        }
        counts.set(group.queueId, entry);
      }
      return [...counts.values()].sort((a, b) => byCodeUnits(a.queueId, b.queueId));
    },
  };
}

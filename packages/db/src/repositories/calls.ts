import { join, type Sql, sqltag as sql } from "@prisma/client/runtime/client";
import {
  CALL_OUTCOMES,
  type CallOutcome,
  RECORD_OUTCOMES,
  type RecordOutcome,
} from "@ringflow/core";
import { NotFoundError } from "../errors.js";
import type { Prisma } from "../generated/sqlite/client.js";
import type { RingflowPrismaClient } from "../prisma-client.js";
import { type SqliteRun, type SqliteWrites, sqliteValue } from "../sqlite-writes.js";
import { decodeCursor, type Page, pageLimit, toPage } from "./pages.js";
import {
  byCodeUnits,
  fromJsonText,
  oneOf,
  toJsonText,
  toNumber,
  translatePrismaErrors,
} from "./records.js";

/**
 * How a call ended, as the interpreter reports it: an agent `answered`; the
 * caller hung up while waiting (`abandoned`); the queue gave up (`timeout`);
 * it went to `voicemail`; no agent answered (`noAnswer`); or something broke
 * (`failed`).
 */
/**
 * How a call ended, as stored: core's outcomes, plus `workerLost` — the
 * worker running it died, and another worker closed its record
 * ({@link CallsRepository.closeLost}).
 */
export { CALL_OUTCOMES, type CallOutcome, RECORD_OUTCOMES, type RecordOutcome };

/** One call as the worker saw it. Times are absolute; null until they happen. */
export interface CallRecord {
  /** FreeSWITCH's channel UUID of the caller's leg. */
  callUuid: string;
  flowId: string | null;
  flowVersionId: string | null;
  flowVersion: number | null;
  numberDialled: string;
  callerNumber: string;
  callerName: string | null;
  queueId: string | null;
  startedAt: Date;
  enqueuedAt: Date | null;
  acquiredAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  /** Time spent waiting in the queue. */
  waitMs: number | null;
  /**
   * The wait the caller was given to expect when they joined the queue (the
   * worker's estimate at entry, ms); null when none could be told. Beside
   * {@link waitMs} it says how honest the estimates are.
   */
  estimatedWaitMs: number | null;
  /** Null while the call is in progress. */
  outcome: RecordOutcome | null;
  /** Contact of the agent who answered, e.g. `user/1001`. */
  agentContact: string | null;
  hangupCause: string | null;
  /** Which worker handled the call. */
  workerId: string;
}

/**
 * What {@link CallsRepository.record} takes: the fields known when a call
 * starts, and any of the others. A field left out keeps its stored value; null clears it.
 */
export type CallRecordInput = Pick<
  CallRecord,
  "callUuid" | "numberDialled" | "callerNumber" | "startedAt" | "workerId"
> &
  Partial<
    Omit<CallRecord, "callUuid" | "numberDialled" | "callerNumber" | "startedAt" | "workerId">
  >;

/** Filters of {@link CallsRepository.list}; every one optional. */
export interface CallQuery {
  queueId?: string;
  /** Calls started at or after this time. */
  since?: Date;
  /** Calls started before this time (exclusive): pass the oldest `startedAt` seen to page. */
  until?: Date;
  outcome?: RecordOutcome;
  /** At most this many calls (default 100, at most 1000). */
  limit?: number;
}

/**
 * Filters and position of {@link CallsRepository.page}; every one optional.
 * Unlike {@link CallQuery}, `outcome` may be `inProgress` (no outcome yet).
 */
export interface CallPageQuery {
  /** Calls started at or after this time. */
  since?: Date;
  /** Calls started before this time (exclusive). */
  until?: Date;
  queueId?: string;
  outcome?: RecordOutcome | "inProgress";
  /** Part of the caller's number or of the number dialled. */
  number?: string;
  /** The contact of the agent who answered, exactly. */
  agentContact?: string;
  /** A previous page's `nextCursor`. */
  cursor?: string;
  /** Calls per page: default 50, at most 200. */
  limit?: number;
}

/** One step of a call's trace, as the interpreter reports it. */
export interface TraceStep {
  at: Date;
  /** What happened, e.g. `enter`, `output`, `error`. */
  kind: string;
  /** The flow node it happened in, if any. */
  nodeId?: string | null;
  /** Details; any JSON value. */
  data?: unknown;
}

/** A stored trace step, numbered from 0 in the order steps were appended. */
export interface StoredTraceStep {
  seq: number;
  at: Date;
  kind: string;
  nodeId: string | null;
  data: unknown;
}

/** A call's trace: the first `cap` steps, and how many more were dropped. */
export interface CallTrace {
  callUuid: string;
  steps: StoredTraceStep[];
  /** Steps appended in all, kept or not. */
  totalSteps: number;
  /** Steps beyond the cap, not kept. */
  droppedSteps: number;
}

/** Call records, their queries and their traces. */
export interface CallsRepository {
  /** Creates the call's record, or updates the fields given (keyed by `callUuid`). */
  record(input: CallRecordInput): Promise<CallRecord>;
  get(callUuid: string): Promise<CallRecord | null>;
  /** Calls matching `query`, newest first. */
  list(query?: CallQuery): Promise<CallRecord[]>;
  /**
   * A page of call history, newest first by (`startedAt`, `callUuid`), both
   * descending: keyset pagination over the `(startedAt, callUuid)` index
   * (`(queueId, startedAt, callUuid)` with a queue filter), so a page costs
   * the same however deep it is.
   * @throws {InvalidCursorError} for a cursor no page handed out.
   */
  page(query?: CallPageQuery): Promise<Page<CallRecord>>;
  /** Every queue id seen in call records, sorted: for a filter's choices. */
  listQueueIds(): Promise<string[]>;
  /** Every agent contact seen in call records, sorted: for a filter's choices. */
  listAgentContacts(): Promise<string[]>;
  /** How many calls matching `query` ended each way; `inProgress` counts those without an outcome. */
  countByOutcome(
    query?: Omit<CallQuery, "outcome" | "limit">,
  ): Promise<Record<RecordOutcome | "inProgress", number>>;
  /** Every worker id that has a call record without an outcome (a call running, or lost). */
  openWorkerIds(): Promise<string[]>;
  /** The calls of `workerId` whose records have no outcome yet, by uuid. */
  listOpen(workerId: string): Promise<string[]>;
  /**
   * Closes every record of `workerIds` still without an outcome: outcome
   * `workerLost`, `endedAt` as given. One conditional update, so a record
   * another worker took over meanwhile (its `workerId` changed) or finished
   * is left alone. Returns the call uuids it closed.
   */
  closeLost(input: { workerIds: readonly string[]; endedAt: Date }): Promise<string[]>;
  /**
   * Appends steps to a call's trace. The trace keeps the first `traceStepCap`
   * steps of a call (see `createDb`); later ones are counted, not kept.
   * Concurrent appends to one call get distinct sequence numbers.
   * @throws {NotFoundError} when the call has no record yet.
   */
  appendTrace(input: {
    callUuid: string;
    steps: readonly TraceStep[];
  }): Promise<{ kept: number; dropped: number }>;
  /** The call's trace, or null when nothing was appended. */
  getTrace(callUuid: string): Promise<CallTrace | null>;
  /**
   * Writes many calls at once, in one transaction: every record replaces
   * its call's stored record whole (created when absent; every field is
   * written, null included), then every trace is appended as
   * {@link appendTrace} would (sequence numbers continue, the cap applies).
   * Records go first, so a trace may belong to a call whose record is in
   * the same batch. A call listed twice: the later record wins, the steps
   * add up in order. All or nothing.
   * @throws {NotFoundError} when a trace's call has no record, stored or in the batch; nothing is written.
   */
  saveBatch(batch: CallBatch): Promise<CallBatchResult>;
  /**
   * Deletes up to `batchSize` finished calls (an outcome set) that started
   * before `before`, oldest first, with their traces, in one short
   * transaction; returns how many. Call it again until it returns less than
   * `batchSize` (the history clean-up job does, pausing between batches so
   * calls being written are never held up for long).
   */
  deleteFinishedBefore(input: { before: Date; batchSize: number }): Promise<number>;
}

/**
 * The whole record `input` describes: every field it leaves out is null
 * (not known yet, or did not happen). What {@link CallsRepository.saveBatch}
 * takes for a call written a field at a time.
 */
export function wholeCallRecord(input: CallRecordInput): CallRecord {
  return {
    callUuid: input.callUuid,
    flowId: input.flowId ?? null,
    flowVersionId: input.flowVersionId ?? null,
    flowVersion: input.flowVersion ?? null,
    numberDialled: input.numberDialled,
    callerNumber: input.callerNumber,
    callerName: input.callerName ?? null,
    queueId: input.queueId ?? null,
    startedAt: input.startedAt,
    enqueuedAt: input.enqueuedAt ?? null,
    acquiredAt: input.acquiredAt ?? null,
    answeredAt: input.answeredAt ?? null,
    endedAt: input.endedAt ?? null,
    waitMs: input.waitMs ?? null,
    estimatedWaitMs: input.estimatedWaitMs ?? null,
    outcome: input.outcome ?? null,
    agentContact: input.agentContact ?? null,
    hangupCause: input.hangupCause ?? null,
    workerId: input.workerId,
  };
}

/** What {@link CallsRepository.saveBatch} writes. */
export interface CallBatch {
  readonly records: readonly CallRecord[];
  readonly traces: readonly { readonly callUuid: string; readonly steps: readonly TraceStep[] }[];
}

/** What a batch wrote: records, and trace steps kept or dropped past the cap. */
export interface CallBatchResult {
  records: number;
  keptSteps: number;
  droppedSteps: number;
}

/** Columns of a call record, in the order the batch insert lists them. */
const RECORD_COLUMNS = [
  "callUuid",
  "flowId",
  "flowVersionId",
  "flowVersion",
  "numberDialled",
  "callerNumber",
  "callerName",
  "queueId",
  "startedAt",
  "enqueuedAt",
  "acquiredAt",
  "answeredAt",
  "endedAt",
  "waitMs",
  "estimatedWaitMs",
  "outcome",
  "agentContact",
  "hangupCause",
  "workerId",
] as const satisfies readonly (keyof CallRecord)[];

/**
 * Rows per statement of a batch: well under SQLite's 32,766 and
 * PostgreSQL's 65,535 bound parameters (19 per record, 6 per step).
 */
const RECORDS_PER_STATEMENT = 500;
const STEPS_PER_STATEMENT = 1_000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < items.length; i += size) result.push(items.slice(i, i + size));
  return result;
}

const quoted = (name: string) => sql([`"${name}"`]);

const RECORD_COLUMN_LIST = join(RECORD_COLUMNS.map(quoted));
const RECORD_UPDATES = join(
  RECORD_COLUMNS.filter((column) => column !== "callUuid").map((column) =>
    sql([`"${column}" = excluded."${column}"`]),
  ),
);

/** A batch as written: the latest record of each call, and each call's steps in order. */
function groupBatch({ records, traces }: CallBatch) {
  // The later record of a call wins; a call's steps add up in order.
  const latest = new Map<string, CallRecord>();
  for (const record of records) latest.set(record.callUuid, record);
  const stepsByCall = new Map<string, TraceStep[]>();
  for (const { callUuid, steps } of traces) {
    if (steps.length === 0) continue;
    const list = stepsByCall.get(callUuid);
    if (list) list.push(...steps);
    else stepsByCall.set(callUuid, [...steps]);
  }
  return { latest, stepsByCall };
}

/** A trace step row as stored. */
interface StepRow {
  callUuid: string;
  seq: number;
  at: Date;
  kind: string;
  nodeId: string | null;
  data: string | null;
}

/** @throws when the step's data is not JSON-serializable. */
function stepRow(callUuid: string, seq: number, step: TraceStep): StepRow {
  return {
    callUuid,
    seq,
    at: step.at,
    kind: step.kind,
    nodeId: step.nodeId ?? null,
    data: step.data === undefined ? null : toJsonText(step.data, "trace step data"),
  };
}

/** How many of the steps numbered from `first` on a trace keeps under `cap`, at most. */
function keptUnderCap(cap: number, first: number): number {
  return Math.max(0, cap - first);
}

/** Which of a batch's steps are kept under the cap, and how many were kept and dropped. */
class StepTally {
  private kept = 0;
  private dropped = 0;

  constructor(private readonly cap: number) {}

  /**
   * The rows of `steps`, appended to a trace whose total, with them, is
   * now `total` (reserved by the upsert on CallTrace): they take sequence
   * numbers [total - n, total), and those from the cap on are dropped.
   */
  keep(callUuid: string, steps: readonly TraceStep[], total: number): StepRow[] {
    const first = total - steps.length;
    const kept = steps.slice(0, keptUnderCap(this.cap, first));
    this.kept += kept.length;
    this.dropped += steps.length - kept.length;
    return kept.map((step, index) => stepRow(callUuid, first + index, step));
  }

  result(): { keptSteps: number; droppedSteps: number } {
    return { keptSteps: this.kept, droppedSteps: this.dropped };
  }
}

const RECORD_UPSERT_SQLITE = `INSERT INTO "CallRecord" (${RECORD_COLUMNS.map((c) => `"${c}"`).join(", ")})
  VALUES (${RECORD_COLUMNS.map(() => "?").join(", ")})
  ON CONFLICT ("callUuid") DO UPDATE SET ${RECORD_COLUMNS.filter((c) => c !== "callUuid")
    .map((c) => `"${c}" = excluded."${c}"`)
    .join(", ")}`;
const RECORD_EXISTS_SQLITE = `SELECT 1 FROM "CallRecord" WHERE "callUuid" = ?`;
const TRACE_RESERVE_SQLITE = `INSERT INTO "CallTrace" ("callUuid", "totalSteps") VALUES (?, ?)
  ON CONFLICT ("callUuid") DO UPDATE SET "totalSteps" = "CallTrace"."totalSteps" + excluded."totalSteps"
  RETURNING "totalSteps"`;
const STEP_INSERT_SQLITE = `INSERT INTO "CallTraceStep" ("callUuid", "seq", "at", "kind", "nodeId", "data")
  VALUES (?, ?, ?, ?, ?, ?)`;

/**
 * `saveBatch` on SQLite, inside one of {@link SqliteWrites}' transactions:
 * the same statements as through Prisma, a row at a time on statements
 * prepared once (on SQLite a row's statement costs microseconds; Prisma's
 * planning of one statement cost far more than the rows).
 */
function saveBatchOnSqlite(
  run: SqliteRun,
  latest: ReadonlyMap<string, CallRecord>,
  stepsByCall: ReadonlyMap<string, readonly TraceStep[]>,
  traceStepCap: number,
): CallBatchResult {
  const upsert = run.statement(RECORD_UPSERT_SQLITE);
  for (const record of latest.values()) {
    upsert.run(RECORD_COLUMNS.map((column) => sqliteValue(record[column])));
  }
  const exists = run.statement(RECORD_EXISTS_SQLITE);
  for (const callUuid of stepsByCall.keys()) {
    if (!latest.has(callUuid) && exists.get(callUuid) === undefined) {
      throw new NotFoundError("call", callUuid);
    }
  }
  const reserve = run.statement(TRACE_RESERVE_SQLITE);
  const insert = run.statement(STEP_INSERT_SQLITE);
  const tally = new StepTally(traceStepCap);
  for (const [callUuid, steps] of stepsByCall) {
    const { totalSteps } = reserve.get(callUuid, steps.length) as { totalSteps: number };
    for (const row of tally.keep(callUuid, steps, totalSteps)) {
      insert.run(row.callUuid, row.seq, sqliteValue(row.at), row.kind, row.nodeId, row.data);
    }
  }
  return { records: latest.size, ...tally.result() };
}

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;

type CallRow = Omit<CallRecord, "outcome"> & { outcome: string | null };

function toCallRecord(row: CallRow): CallRecord {
  return {
    ...row,
    outcome: row.outcome === null ? null : oneOf(RECORD_OUTCOMES, row.outcome, "call outcome"),
  };
}

function whereOf(query: CallQuery) {
  return {
    queueId: query.queueId,
    outcome: query.outcome,
    startedAt: { gte: query.since, lt: query.until },
  };
}

function pageWhereOf(query: CallPageQuery): Prisma.CallRecordWhereInput {
  const and: Prisma.CallRecordWhereInput[] = [
    {
      queueId: query.queueId,
      agentContact: query.agentContact,
      startedAt: { gte: query.since, lt: query.until },
    },
  ];
  if (query.outcome !== undefined) {
    and.push({ outcome: query.outcome === "inProgress" ? null : query.outcome });
  }
  if (query.number !== undefined && query.number !== "") {
    const contains = query.number;
    and.push({
      OR: [{ callerNumber: { contains } }, { numberDialled: { contains } }],
    });
  }
  if (query.cursor !== undefined) {
    const [startedAtMs, callUuid] = decodeCursor(query.cursor, ["number", "string"]);
    const startedAt = new Date(startedAtMs);
    // The row-value comparison (startedAt, callUuid) < (t, u), with the
    // redundant bound startedAt <= t so both databases seek the index to it.
    and.push({
      startedAt: { lte: startedAt },
      OR: [{ startedAt: { lt: startedAt } }, { callUuid: { lt: callUuid } }],
    });
  }
  return { AND: and };
}

/**
 * The distinct non-null values of an indexed column, sorted, by a "loose
 * index scan": each step seeks the index for the next greater value, so
 * the cost grows with the number of values, not of calls. (Neither database
 * does this for a plain DISTINCT: PostgreSQL would read the whole index.)
 */
async function distinctValues(
  prisma: RingflowPrismaClient,
  column: "queueId" | "agentContact",
): Promise<string[]> {
  const name = sql([`"${column}"`]);
  const rows = await prisma.$queryRaw<{ value: string | null }[]>`
    WITH RECURSIVE "seen" ("value") AS (
      SELECT MIN(${name}) FROM "CallRecord"
      UNION ALL
      SELECT (SELECT MIN(${name}) FROM "CallRecord" WHERE ${name} > "seen"."value")
      FROM "seen" WHERE "seen"."value" IS NOT NULL
    )
    SELECT "value" FROM "seen" WHERE "value" IS NOT NULL`;
  return rows.map((row) => row.value as string).sort(byCodeUnits);
}

/**
 * Creates the calls repository over `prisma`, keeping at most
 * `traceStepCap` steps per call.
 * @param sqliteWrites on SQLite: `saveBatch` writes through it, beside
 * Prisma (see {@link SqliteWrites}); the rest goes through Prisma.
 */
export function createCallsRepository(
  prisma: RingflowPrismaClient,
  traceStepCap: number,
  sqliteWrites?: SqliteWrites,
): CallsRepository {
  return {
    async record(input) {
      const { callUuid, ...fields } = input;
      const row = await prisma.callRecord.upsert({
        where: { callUuid },
        create: input,
        update: fields,
      });
      return toCallRecord(row);
    },

    async get(callUuid) {
      const row = await prisma.callRecord.findUnique({ where: { callUuid } });
      return row ? toCallRecord(row) : null;
    },

    async list(query = {}) {
      const limit = Math.min(Math.max(1, Math.trunc(query.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
      const rows = await prisma.callRecord.findMany({
        where: whereOf(query),
        orderBy: [{ startedAt: "desc" }, { callUuid: "asc" }],
        take: limit,
      });
      return rows.map(toCallRecord);
    },

    async page(query = {}) {
      const take = pageLimit(query.limit);
      const rows = await prisma.callRecord.findMany({
        where: pageWhereOf(query),
        orderBy: [{ startedAt: "desc" }, { callUuid: "desc" }],
        take: take + 1,
      });
      return toPage(rows, take, toCallRecord, (row) => [row.startedAt.getTime(), row.callUuid]);
    },

    listQueueIds: () => distinctValues(prisma, "queueId"),

    listAgentContacts: () => distinctValues(prisma, "agentContact"),

    async countByOutcome(query = {}) {
      const groups = await prisma.callRecord.groupBy({
        by: ["outcome"],
        where: whereOf(query),
        _count: { _all: true },
      });
      const counts = Object.fromEntries(
        [...RECORD_OUTCOMES, "inProgress" as const].map((outcome) => [outcome, 0]),
      ) as Record<RecordOutcome | "inProgress", number>;
      for (const group of groups) {
        const key =
          group.outcome === null
            ? "inProgress"
            : oneOf(RECORD_OUTCOMES, group.outcome, "call outcome");
        counts[key] = group._count._all;
      }
      return counts;
    },

    async openWorkerIds() {
      const rows = await prisma.callRecord.findMany({
        where: { outcome: null },
        distinct: ["workerId"],
        select: { workerId: true },
      });
      return rows.map((row) => row.workerId);
    },

    async listOpen(workerId) {
      const rows = await prisma.callRecord.findMany({
        where: { outcome: null, workerId },
        select: { callUuid: true },
        orderBy: { callUuid: "asc" },
      });
      return rows.map((row) => row.callUuid);
    },

    async deleteFinishedBefore({ before, batchSize }) {
      const rows = await prisma.callRecord.findMany({
        where: { startedAt: { lt: before }, outcome: { not: null } },
        orderBy: [{ startedAt: "asc" }, { callUuid: "asc" }],
        take: Math.max(1, Math.floor(batchSize)),
        select: { callUuid: true },
      });
      if (rows.length === 0) return 0;
      const callUuid = { in: rows.map((row) => row.callUuid) };
      // Steps and traces explicitly: SQLite may run without foreign-key cascades.
      await prisma.$transaction([
        prisma.callTraceStep.deleteMany({ where: { callUuid } }),
        prisma.callTrace.deleteMany({ where: { callUuid } }),
        prisma.callRecord.deleteMany({ where: { callUuid } }),
      ]);
      return rows.length;
    },

    async closeLost({ workerIds, endedAt }) {
      if (workerIds.length === 0) return [];
      const outcome: RecordOutcome = "workerLost";
      const rows = await prisma.$queryRaw<{ callUuid: string }[]>`
        UPDATE "CallRecord" SET "outcome" = ${outcome}, "endedAt" = ${endedAt}
        WHERE "outcome" IS NULL AND "workerId" IN (${join([...workerIds])})
        RETURNING "callUuid"`;
      return rows.map((row) => row.callUuid).sort();
    },

    async appendTrace({ callUuid, steps }) {
      if (steps.length === 0) return { kept: 0, dropped: 0 };
      // Step data fails here, before anything is written, if it is not JSON.
      const rows = steps.map((step, index) => stepRow(callUuid, index, step));
      return translatePrismaErrors(
        () =>
          prisma.$transaction(async (tx) => {
            // Reserve sequence numbers [total - n, total) with one atomic
            // upsert (a write first, for the same reason as in publish), then
            // keep the reserved ones below the cap.
            const reserved = await tx.$queryRaw<{ totalSteps: unknown }[]>`
              INSERT INTO "CallTrace" ("callUuid", "totalSteps") VALUES (${callUuid}, ${steps.length})
              ON CONFLICT ("callUuid")
              DO UPDATE SET "totalSteps" = "CallTrace"."totalSteps" + excluded."totalSteps"
              RETURNING "totalSteps"`;
            const total = toNumber(reserved[0]?.totalSteps);
            const first = total - steps.length;
            const kept = rows
              .slice(0, keptUnderCap(traceStepCap, first))
              .map((row, index) => ({ ...row, seq: first + index }));
            if (kept.length > 0) await tx.callTraceStep.createMany({ data: kept });
            return { kept: kept.length, dropped: steps.length - kept.length };
          }),
        { P2003: (cause) => new NotFoundError("call", callUuid, { cause }) },
      );
    },

    async saveBatch(batch) {
      const { latest, stepsByCall } = groupBatch(batch);
      if (latest.size === 0 && stepsByCall.size === 0) {
        return { records: 0, keptSteps: 0, droppedSteps: 0 };
      }
      if (sqliteWrites) {
        return sqliteWrites.transaction((run) =>
          saveBatchOnSqlite(run, latest, stepsByCall, traceStepCap),
        );
      }
      return prisma.$transaction(async (tx) => {
        for (const rows of chunks([...latest.values()], RECORDS_PER_STATEMENT)) {
          const values = rows.map(
            (row) => sql`(${join(RECORD_COLUMNS.map((column) => sql`${row[column]}`))})`,
          );
          await tx.$executeRaw`
            INSERT INTO "CallRecord" (${RECORD_COLUMN_LIST}) VALUES ${join(values)}
            ON CONFLICT ("callUuid") DO UPDATE SET ${RECORD_UPDATES}`;
        }
        const elsewhere = [...stepsByCall.keys()].filter((callUuid) => !latest.has(callUuid));
        if (elsewhere.length > 0) {
          const found = await tx.callRecord.findMany({
            where: { callUuid: { in: elsewhere } },
            select: { callUuid: true },
          });
          const known = new Set(found.map((row) => row.callUuid));
          const missing = elsewhere.find((callUuid) => !known.has(callUuid));
          if (missing !== undefined) throw new NotFoundError("call", missing);
        }
        const tally = new StepTally(traceStepCap);
        const stepRows: Sql[] = [];
        for (const calls of chunks([...stepsByCall], RECORDS_PER_STATEMENT)) {
          // Reserve each call's sequence numbers with one upsert, as appendTrace does.
          const reserved = await tx.$queryRaw<{ callUuid: string; totalSteps: unknown }[]>`
            INSERT INTO "CallTrace" ("callUuid", "totalSteps")
            VALUES ${join(calls.map(([callUuid, steps]) => sql`(${callUuid}, ${steps.length})`))}
            ON CONFLICT ("callUuid")
            DO UPDATE SET "totalSteps" = "CallTrace"."totalSteps" + excluded."totalSteps"
            RETURNING "callUuid", "totalSteps"`;
          const totals = new Map(reserved.map((row) => [row.callUuid, toNumber(row.totalSteps)]));
          for (const [callUuid, steps] of calls) {
            for (const row of tally.keep(callUuid, steps, totals.get(callUuid) ?? steps.length)) {
              stepRows.push(
                sql`(${row.callUuid}, ${row.seq}, ${row.at}, ${row.kind}, ${row.nodeId}, ${row.data})`,
              );
            }
          }
        }
        for (const rows of chunks(stepRows, STEPS_PER_STATEMENT)) {
          await tx.$executeRaw`
            INSERT INTO "CallTraceStep" ("callUuid", "seq", "at", "kind", "nodeId", "data")
            VALUES ${join(rows)}`;
        }
        return { records: latest.size, ...tally.result() };
      });
    },

    async getTrace(callUuid) {
      const trace = await prisma.callTrace.findUnique({
        where: { callUuid },
        include: { steps: { orderBy: { seq: "asc" } } },
      });
      if (!trace) return null;
      return {
        callUuid,
        steps: trace.steps.map((step) => ({
          seq: step.seq,
          at: step.at,
          kind: step.kind,
          nodeId: step.nodeId,
          data: step.data === null ? null : fromJsonText(step.data, `trace step ${step.seq}`),
        })),
        totalSteps: trace.totalSteps,
        droppedSteps: Math.max(0, trace.totalSteps - trace.steps.length),
      };
    },
  };
}

import type { FlowGraph } from "@ringflow/core/flow";
import { balancerKeys } from "@ringflow/core/redis";
import type { CallRecord, Db } from "@ringflow/db";
import type { FsSim } from "@ringflow/fs-sim";
import type { Redis } from "ioredis";

/** One call of the soak, as the caller's phone saw it. */
export interface SoakCall {
  ended: boolean;
  bridgedTo: string | undefined;
  /** The hang-up cause the caller heard. */
  cause: string | undefined;
}

function describe(record: CallRecord | undefined): string {
  if (!record) return "none";
  return `${record.outcome ?? "open"}, ${record.hangupCause ?? "-"}, queue ${record.queueId ?? "-"}, ${record.workerId}`;
}

/** What the end-of-run checks look at. */
export interface SoakState {
  readonly sim: FsSim;
  readonly db: Db<FlowGraph>;
  /** A client on the soak's Redis. */
  readonly redis: Redis;
  readonly keyPrefix: string;
  /** Every call placed, by uuid, with what the caller's phone saw. */
  readonly calls: ReadonlyMap<string, SoakCall>;
  readonly records: ReadonlyMap<string, CallRecord>;
  /** Agents and the status each was configured with. */
  /**
   * The agents as configured; `mayBreak`: their phone never answers, so
   * the worker may put them On break after `maxNoAnswer` missed offers.
   */
  readonly agents: ReadonlyArray<{
    readonly id: string;
    readonly status: string;
    readonly mayBreak?: boolean;
  }>;
  /** The most holders seen at once in each queue's Redis state, and its limit. */
  readonly holdersSeen: ReadonlyMap<string, { readonly most: number; readonly limit: number }>;
}

/** One end-of-run check: a name, and what is wrong (empty when it holds). */
export interface SoakCheck {
  readonly name: string;
  run(state: SoakState): Promise<string[]>;
}

const some = (problems: string[], limit = 10) =>
  problems.length > limit
    ? [...problems.slice(0, limit), `... ${problems.length - limit} more`]
    : problems;

/** 0 stranded callers: every call ended; nobody is parked or in a line. */
export const noStrandedCallers: SoakCheck = {
  name: "0 stranded callers",
  async run({ sim, calls, records, redis, keyPrefix }) {
    const problems: string[] = [];
    for (const [uuid, call] of calls) {
      if (!call.ended)
        problems.push(`${uuid} never ended (record: ${describe(records.get(uuid))})`);
    }
    for (const channel of sim.channels()) {
      if (channel.answerState !== "hangup") {
        problems.push(`${channel.name} (${channel.uuid}) still up: ${channel.state}`);
      }
    }
    for (const key of await scan(redis, `${keyPrefix}queue:{*}:waiting`)) {
      const waiting = await redis.zrange(key, 0, -1);
      if (waiting.length > 0) problems.push(`${key}: ${waiting.length} still in line`);
    }
    return some(problems);
  },
};

/**
 * 0 stuck agents: no agent leg left on the switch, every agent in its
 * configured state in the database (or On break, for one whose phone never
 * answers: the worker's max-no-answer rule, written back), no load count
 * or queue slot left in Redis.
 */
export const noStuckAgents: SoakCheck = {
  name: "0 stuck agents",
  async run({ sim, db, redis, keyPrefix, agents }) {
    const problems: string[] = [];
    for (const channel of sim.channels()) {
      if (channel.direction === "outbound" && channel.answerState !== "hangup") {
        problems.push(`agent leg ${channel.name} still up`);
      }
    }
    for (const agent of agents) {
      const stored = await db.agents.get(agent.id);
      const brokeByRule = agent.mayBreak === true && stored?.status === "onBreak";
      if (stored?.status !== agent.status && !brokeByRule) {
        problems.push(`agent ${agent.id} is ${stored?.status}, configured ${agent.status}`);
      }
    }
    const now = Date.now();
    for (const key of await scan(redis, balancerKeys(keyPrefix).leases("*"))) {
      const live = await redis.zcount(key, `(${now}`, "+inf");
      if (live > 0) problems.push(`${key}: ${live} load counts left`);
    }
    for (const key of await scan(redis, `${keyPrefix}queue:{*}:holding`)) {
      const holders = await redis.smembers(key);
      if (holders.length > 0) problems.push(`${key}: ${holders.length} slots still held`);
    }
    for (const key of await scan(redis, `${keyPrefix}queue:{*}:offers`)) {
      const offers = await redis.hlen(key);
      if (offers > 0) problems.push(`${key}: ${offers} grants never claimed`);
    }
    return some(problems);
  },
};

/**
 * Every call has exactly one final record (the call's uuid is the record's
 * key) with an outcome; one recorded answered was bridged on the switch; a
 * record naming a queue says when it joined, one with a slot names its queue.
 */
export const finalRecords: SoakCheck = {
  name: "one final record per call",
  async run({ calls, records }) {
    const problems: string[] = [];
    for (const [uuid, call] of calls) {
      const record = records.get(uuid);
      if (!record) problems.push(`${uuid}: no record (${call.cause ?? "not ended"})`);
      else if (record.outcome === null) problems.push(`${uuid}: no outcome (${describe(record)})`);
      else if (record.outcome === "answered" && !call.bridgedTo) {
        problems.push(`${uuid}: recorded answered, never bridged on the switch`);
      } else if (
        record.acquiredAt !== null &&
        (record.queueId === null || record.enqueuedAt === null)
      ) {
        problems.push(`${uuid}: has a slot but no queue or join time (${describe(record)})`);
      }
    }
    return some(problems);
  },
};

/** No slot was ever held by more callers than the queue allows (Redis, sampled during the run). */
export const slotLimits: SoakCheck = {
  name: "no queue over its limit",
  async run({ holdersSeen }) {
    const problems: string[] = [];
    for (const [queueId, { most, limit }] of holdersSeen) {
      if (most > limit) problems.push(`${queueId}: ${most} holders seen at once, limit ${limit}`);
    }
    return problems;
  },
};

/** Every check the soak runs at the end. */
export const SOAK_CHECKS: readonly SoakCheck[] = [
  noStrandedCallers,
  noStuckAgents,
  finalRecords,
  slotLimits,
];

async function scan(redis: Redis, pattern: string): Promise<string[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  return keys;
}

import type { LiveAgent, LiveEvent, LiveQueue, LiveSnapshot } from "./live-state.js";

/** A snapshot with no queue and no agent, taken at `at`. */
export function emptyLiveSnapshot(at = 0): LiveSnapshot {
  return { at, queues: [], agents: [] };
}

/**
 * The snapshot after `event`: the queue or agent it carries replaces the one
 * held, unless the held one is newer (its `at` is later), so events arriving
 * late or twice change nothing. `callEnded` and `callbacksChanged` change
 * nothing (they are hints to refresh figures kept elsewhere). Pure: returns `snapshot` itself when
 * nothing changes, a new object otherwise. Queues stay ordered by
 * `queueId`, agents by `id`.
 */
export function applyLiveEvent(snapshot: LiveSnapshot, event: LiveEvent): LiveSnapshot {
  switch (event.type) {
    case "queue": {
      const queues = replaceNewer(snapshot.queues, event.queue, (q) => q.queueId);
      return queues === snapshot.queues
        ? snapshot
        : { ...snapshot, queues, at: later(snapshot, event.queue.at) };
    }
    case "agent": {
      const agents = replaceNewer(snapshot.agents, event.agent, (a) => a.id);
      return agents === snapshot.agents
        ? snapshot
        : { ...snapshot, agents, at: later(snapshot, event.agent.at) };
    }
    case "agentRemoved": {
      const held = snapshot.agents.find((a) => a.id === event.agentId);
      if (!held || held.at > event.at) return snapshot;
      return {
        ...snapshot,
        agents: snapshot.agents.filter((a) => a.id !== event.agentId),
        at: later(snapshot, event.at),
      };
    }
    case "callEnded":
    case "callbacksChanged":
      return snapshot;
    default:
      return assertNever(event);
  }
}

/** Applies `events` in order (see {@link applyLiveEvent}). */
export function applyLiveEvents(snapshot: LiveSnapshot, events: Iterable<LiveEvent>): LiveSnapshot {
  let current = snapshot;
  for (const event of events) current = applyLiveEvent(current, event);
  return current;
}

/**
 * How long the longest-waiting caller of `queue` has waited at `now` (ms);
 * 0 when nobody waits. Not always position 1: a VIP may have joined later.
 */
export function longestWaitMs(queue: LiveQueue, now: number): number {
  let earliest = Number.POSITIVE_INFINITY;
  for (const caller of queue.waiting) earliest = Math.min(earliest, caller.enqueuedAt);
  return earliest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, now - earliest);
}

/** How many agents are in each combination the board shows, from one list. */
export interface LiveAgentCounts {
  readonly loggedOut: number;
  readonly onBreak: number;
  /** Available and idle: the next call may ring them. */
  readonly idle: number;
  readonly ringing: number;
  readonly inCall: number;
  readonly wrapUp: number;
}

/**
 * Counts agents (of `group`, if given) by what the board shows: logged out,
 * on break, or — for available agents — idle, ringing, in call or wrap-up.
 * An agent on a break who is still on a call counts as in call.
 */
export function countLiveAgents(agents: readonly LiveAgent[], group?: string): LiveAgentCounts {
  const counts = { loggedOut: 0, onBreak: 0, idle: 0, ringing: 0, inCall: 0, wrapUp: 0 };
  for (const agent of agents) {
    if (group !== undefined && !agent.groups.includes(group)) continue;
    if (agent.state !== "idle") counts[agent.state] += 1;
    else if (agent.status === "available") counts.idle += 1;
    else counts[agent.status] += 1;
  }
  return counts;
}

function replaceNewer<T extends { readonly at: number }>(
  list: readonly T[],
  item: T,
  keyOf: (value: T) => string,
): readonly T[] {
  const key = keyOf(item);
  const found = list.findIndex((value) => keyOf(value) === key);
  if (found >= 0) {
    if ((list[found] as T).at > item.at) return list;
    const next = list.slice();
    next[found] = item;
    return next;
  }
  let index = 0;
  while (index < list.length && keyOf(list[index] as T) < key) index += 1;
  const next = list.slice();
  next.splice(index, 0, item);
  return next;
}

function later(snapshot: LiveSnapshot, at: number): number {
  return Math.max(snapshot.at, at);
}

function assertNever(value: never): never {
  throw new Error(`unknown live event ${JSON.stringify(value)}`);
}

import {
  countLiveAgents,
  type LiveAgent,
  type LiveAgentCounts,
  type LiveCaller,
  type LiveSnapshot,
  longestWaitMs,
} from "@ringflow/core/live";
import type { RouterOutputs } from "@/trpc/types";
import { type TileTone, toneOf } from "./board-format";

type Figures = RouterOutputs["wallboard"]["figures"][number];
type Counts = RouterOutputs["queues"]["counts"]["queues"][number];
type Roster = RouterOutputs["wallboard"]["roster"];

/** One queue's tile: live state, today's figures, its agents, and the tone thresholds give it. */
export interface BoardQueue {
  readonly queueId: string;
  readonly name: string;
  readonly paused: boolean;
  readonly waiting: readonly LiveCaller[];
  readonly longestWaitMs: number;
  readonly inSlot: number;
  readonly maxConcurrent: number | null;
  readonly agents: LiveAgentCounts;
  /** Agents in the groups the queue's live flows ring. */
  readonly agentTotal: number;
  readonly figures: Figures | null;
  /** Today's completed / abandoned / timed out and callbacks (`queues.counts`), null before read. */
  readonly counts: Counts | null;
  readonly tone: TileTone;
}

const noAgents: LiveAgentCounts = {
  loggedOut: 0,
  onBreak: 0,
  idle: 0,
  ringing: 0,
  inCall: 0,
  wrapUp: 0,
};

/**
 * The tiles, one per configured or live queue, by name. The counting rules
 * are core's (`countLiveAgents`, `longestWaitMs`); this only puts the
 * sources side by side.
 */
export function boardQueues(input: {
  readonly snapshot: LiveSnapshot | null;
  readonly figures: readonly Figures[];
  /** `queues.counts`: the counts per state of every queue. */
  readonly counts?: readonly Counts[] | undefined;
  readonly roster: Roster | undefined;
  readonly now: number;
}): BoardQueue[] {
  const live = new Map((input.snapshot?.queues ?? []).map((q) => [q.queueId, q]));
  const figures = new Map(input.figures.map((f) => [f.queueId, f]));
  const counts = new Map((input.counts ?? []).map((c) => [c.queueId, c]));
  const ids = new Set([...figures.keys(), ...live.keys()]);
  const agents = input.snapshot?.agents ?? [];
  return [...ids]
    .map((queueId): BoardQueue => {
      const queue = live.get(queueId);
      const figure = figures.get(queueId) ?? null;
      const groups = input.roster?.queueGroups[queueId] ?? [];
      const serving = agents.filter((agent) => agent.groups.some((g) => groups.includes(g)));
      const longest = queue ? longestWaitMs(queue, input.now) : 0;
      const paused = queue?.paused ?? false;
      const waiting = queue?.waiting ?? [];
      return {
        queueId,
        name: figure?.name ?? queue?.name ?? queueId,
        paused,
        waiting,
        longestWaitMs: longest,
        inSlot: queue?.inSlot ?? 0,
        maxConcurrent: queue?.maxConcurrent ?? figure?.maxConcurrent ?? null,
        agents: serving.length > 0 ? countLiveAgents(serving) : noAgents,
        agentTotal: serving.length,
        figures: figure,
        counts: counts.get(queueId) ?? null,
        tone: toneOf({
          longestWaitMs: longest,
          serviceLevelSeconds: figure?.serviceLevelSeconds ?? 20,
          serviceLevel: figure?.serviceLevel ?? null,
          waiting: waiting.length,
          paused,
        }),
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.queueId.localeCompare(b.queueId));
}

/** An agent row of the board: the live state with the configured name. */
export interface BoardAgent {
  readonly live: LiveAgent;
  readonly name: string;
}

/** The live agents with their names, by name. */
export function boardAgents(
  snapshot: LiveSnapshot | null,
  roster: Roster | undefined,
): BoardAgent[] {
  const names = new Map((roster?.agents ?? []).map((a) => [a.id, a.name]));
  return (snapshot?.agents ?? [])
    .map((live) => ({ live, name: names.get(live.id) ?? live.contact }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

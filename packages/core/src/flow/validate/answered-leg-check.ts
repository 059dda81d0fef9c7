import { type CheckedFlow, type CheckedNode, describeNode } from "./checked-flow.js";
import type { ProblemList } from "./flow-problem.js";

/** A node reached with, or without, a ring group's answered leg waiting to be bridged. */
interface LegState {
  readonly nodeId: string;
  /** The ring group whose answered leg is waiting, or null. */
  readonly leg: string | null;
}

function keyOf(state: LegState): string {
  return `${state.leg ?? ""}\u0000${state.nodeId}`;
}

function bridgesAnsweredLeg(node: CheckedNode): boolean {
  return node.parsed?.type === "bridge" && node.parsed.data.to.kind === "answeredLeg";
}

/**
 * The "answered leg" rule. The leg a bridge of the answered leg connects is
 * the one the last ring group on the call's path answered; a `noAnswer`
 * leaves none, and a bridge of the answered leg uses it up (whether the
 * conversation took place or not). Explores every (node, waiting leg) state
 * reachable from the start, so "on every path" includes paths round loops:
 *
 * - a bridge of the answered leg reachable with no leg waiting is an error,
 *   shown with one such path;
 * - a ring group whose answered leg can reach a hang-up, a voicemail or
 *   another ring group unbridged gets a warning (the agent would be hung up).
 */
export function checkAnsweredLegs(flow: CheckedFlow, report: ProblemList): void {
  if (!flow.start) return;
  const first: LegState = { nodeId: flow.start.id, leg: null };
  const parent = new Map<string, LegState | null>([[keyOf(first), null]]);
  const queue: LegState[] = [first];
  for (let head = 0; head < queue.length; head++) {
    const state = queue[head] as LegState;
    const node = flow.nodes.get(state.nodeId) as CheckedNode;
    for (const edge of flow.outgoing.get(node.id) ?? []) {
      let leg = state.leg;
      if (node.type === "ringGroup") leg = edge.sourceHandle === "answered" ? node.id : null;
      else if (bridgesAnsweredLeg(node)) leg = null;
      const next: LegState = { nodeId: edge.target, leg };
      if (parent.has(keyOf(next))) continue;
      parent.set(keyOf(next), state);
      queue.push(next);
    }
  }

  const pathTo = (state: LegState): string => {
    const names: string[] = [];
    for (let at: LegState | null | undefined = state; at; at = parent.get(keyOf(at))) {
      names.push(describeNode(flow.nodes.get(at.nodeId) as CheckedNode));
    }
    return names.reverse().join(" → ");
  };

  const abandoned = new Set<string>();
  for (const state of queue) {
    const node = flow.nodes.get(state.nodeId) as CheckedNode;
    if (state.leg === null && bridgesAnsweredLeg(node)) {
      report.add(
        "bridgeWithoutAnsweredLeg",
        `${describeNode(node)} connects the leg a ring group answered, but a call can get here without one: ${pathTo(state)}`,
        { nodeId: node.id, path: ["nodes", node.index, "data", "to"] },
      );
    }
    const dropsLeg = node.definition?.terminal === true || node.type === "ringGroup";
    if (state.leg !== null && dropsLeg && !abandoned.has(state.leg)) {
      abandoned.add(state.leg);
      const group = flow.nodes.get(state.leg) as CheckedNode;
      report.add(
        "answeredLegNotBridged",
        `After ${describeNode(group)} answers, a call can reach ${describeNode(node)} without connecting the agent: ${pathTo(state)}`,
        { nodeId: group.id, path: ["nodes", group.index] },
      );
    }
  }
}

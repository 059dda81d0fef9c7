import { type CheckedFlow, type CheckedNode, describeNode } from "./checked-flow.js";
import type { ProblemList } from "./flow-problem.js";

function nodePath(node: CheckedNode): (string | number)[] {
  return ["nodes", node.index];
}

/** Warns about every output without an edge: the interpreter hangs up there. */
export function checkUnconnectedOutputs(flow: CheckedFlow, report: ProblemList): void {
  for (const node of flow.nodes.values()) {
    const connected = new Set(flow.outgoing.get(node.id)?.map((e) => e.sourceHandle));
    for (const output of node.outputs ?? []) {
      if (connected.has(output.id)) continue;
      report.add(
        "unconnectedOutput",
        `Output "${output.label}" of ${describeNode(node)} is not connected: calls leaving there are hung up`,
        { nodeId: node.id, path: nodePath(node) },
      );
    }
  }
}

/** Warns about nodes no path from the start reaches. */
export function checkReachability(flow: CheckedFlow, report: ProblemList): void {
  if (!flow.start) return;
  const seen = new Set([flow.start.id]);
  const stack = [flow.start.id];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    for (const edge of flow.outgoing.get(id) ?? []) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        stack.push(edge.target);
      }
    }
  }
  for (const node of flow.nodes.values()) {
    if (seen.has(node.id) || node.type === "start") continue;
    report.add("unreachableNode", `No path from the start reaches ${describeNode(node)}`, {
      nodeId: node.id,
      path: nodePath(node),
    });
  }
}

/** Tarjan's strongly connected components of the subgraph `keep` selects. */
function stronglyConnectedComponents(
  flow: CheckedFlow,
  keep: (node: CheckedNode) => boolean,
): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  const successors = (id: string) =>
    (flow.outgoing.get(id) ?? [])
      .map((e) => flow.nodes.get(e.target))
      .filter((n): n is CheckedNode => n !== undefined && keep(n))
      .map((n) => n.id);

  // Depth is bounded by MAX_FLOW_NODES, well within the call stack.
  const visit = (id: string): void => {
    index.set(id, index.size);
    low.set(id, index.size - 1);
    stack.push(id);
    onStack.add(id);
    for (const next of successors(id)) {
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id) as number, index.get(next) as number));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      for (;;) {
        const member = stack.pop() as string;
        onStack.delete(member);
        component.push(member);
        if (member === id) break;
      }
      components.push(component.reverse());
    }
  };
  for (const node of flow.nodes.values()) {
    if (keep(node) && !index.has(node.id)) visit(node.id);
  }
  return components;
}

/** The shortest cycle from `id` back to itself inside `members`, as node ids (first = last). */
function cycleThrough(flow: CheckedFlow, id: string, members: ReadonlySet<string>): string[] {
  const parent = new Map<string, string>();
  const queue = [id];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head] as string;
    for (const edge of flow.outgoing.get(current) ?? []) {
      if (!members.has(edge.target)) continue;
      if (edge.target === id) {
        const path = [id];
        for (
          let at: string | undefined = current;
          at !== id && at !== undefined;
          at = parent.get(at)
        ) {
          path.push(at);
        }
        path.push(id);
        return path.reverse();
      }
      if (!parent.has(edge.target)) {
        parent.set(edge.target, current);
        queue.push(edge.target);
      }
    }
  }
  return [id, id];
}

/**
 * Every loop must pass through a node that waits (announcement, menu,
 * queue); otherwise a call could go round it as fast as the CPU allows until
 * the visit cap ends it. Reports each node of such a loop.
 */
export function checkLoops(flow: CheckedFlow, report: ProblemList): void {
  // An unknown type is already an error; counting it as waiting avoids a second report.
  const fast = (node: CheckedNode) => node.definition !== undefined && !node.definition.waits;
  for (const component of stronglyConnectedComponents(flow, fast)) {
    const only = component[0] as string;
    const selfLoop = (flow.outgoing.get(only) ?? []).some((e) => e.target === only);
    if (component.length === 1 && !selfLoop) continue;
    const members = new Set(component);
    for (const id of component) {
      const node = flow.nodes.get(id) as CheckedNode;
      const cycle = cycleThrough(flow, id, members)
        .map((n) => describeNode(flow.nodes.get(n) as CheckedNode))
        .join(" → ");
      report.add(
        "loopWithoutWait",
        `${describeNode(node)} is on a loop that never waits (${cycle}): add an announcement, menu or queue to it`,
        { nodeId: id, path: nodePath(node) },
      );
    }
  }
}

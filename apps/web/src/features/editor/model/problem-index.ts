import type { FlowProblem, FlowProblemSeverity } from "@ringflow/core/flow";

/** The problems of one node or edge, errors first. */
export interface ElementProblems {
  /** `error` when any problem is an error. */
  readonly severity: FlowProblemSeverity;
  readonly problems: readonly FlowProblem[];
}

/** `validateFlow`'s problems, placed for the canvas. */
export interface ProblemIndex {
  readonly all: readonly FlowProblem[];
  readonly byNode: ReadonlyMap<string, ElementProblems>;
  readonly byEdge: ReadonlyMap<string, ElementProblems>;
  readonly errorCount: number;
  readonly warningCount: number;
}

function add(map: Map<string, FlowProblem[]>, id: string, problem: FlowProblem): void {
  const list = map.get(id);
  if (list) list.push(problem);
  else map.set(id, [problem]);
}

function summarise(map: Map<string, FlowProblem[]>): Map<string, ElementProblems> {
  const rank = (p: FlowProblem) => (p.severity === "error" ? 0 : 1);
  return new Map(
    [...map].map(([id, list]) => {
      const problems = [...list].sort((a, b) => rank(a) - rank(b));
      return [id, { severity: problems[0]?.severity ?? "warning", problems }];
    }),
  );
}

/**
 * Indexes problems by the node and the edge they are on. An edge problem
 * that also names a node (an edge into the start) marks both, so the node
 * shows why its edge is wrong.
 */
export function indexProblems(problems: readonly FlowProblem[]): ProblemIndex {
  const byNode = new Map<string, FlowProblem[]>();
  const byEdge = new Map<string, FlowProblem[]>();
  let errorCount = 0;
  for (const problem of problems) {
    if (problem.severity === "error") errorCount++;
    if (problem.edgeId !== undefined) add(byEdge, problem.edgeId, problem);
    if (problem.nodeId !== undefined) add(byNode, problem.nodeId, problem);
  }
  return {
    all: problems,
    byNode: summarise(byNode),
    byEdge: summarise(byEdge),
    errorCount,
    warningCount: problems.length - errorCount,
  };
}

/** The problems that belong to no node or edge (a missing start, a malformed document). */
export function flowLevelProblems(problems: readonly FlowProblem[]): FlowProblem[] {
  return problems.filter((p) => p.nodeId === undefined && p.edgeId === undefined);
}

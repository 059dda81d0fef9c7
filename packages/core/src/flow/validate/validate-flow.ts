import { checkAnsweredLegs } from "./answered-leg-check.js";
import { checkFlowElements } from "./checked-flow.js";
import { checkNodeSettings } from "./config-checks.js";
import { type FlowProblem, ProblemList } from "./flow-problem.js";
import { checkLoops, checkReachability, checkUnconnectedOutputs } from "./graph-checks.js";

/**
 * Everything wrong with a flow, for the editor to show on the canvas and for
 * the API to refuse publishing on (see `isPublishable`).
 *
 * Takes anything — the editor's live nodes and edges (extra React Flow
 * fields are ignored), a stored draft, untrusted JSON — and never throws:
 * a broken element is reported and the rest still checked. Problems are in
 * a stable order (elements first, then the graph rules); codes and
 * severities are listed in `flowProblemCodes`.
 */
export function validateFlow(flow: unknown): FlowProblem[] {
  const report = new ProblemList();
  const checked = checkFlowElements(flow, report);
  if (checked) {
    checkUnconnectedOutputs(checked, report);
    checkReachability(checked, report);
    checkAnsweredLegs(checked, report);
    checkLoops(checked, report);
    checkNodeSettings(checked, report);
  }
  return report.problems;
}

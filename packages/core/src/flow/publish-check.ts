import { RingflowError } from "../errors.js";
import { type FlowProblem, isPublishable } from "./flow-problem.js";
import { validateFlow } from "./validate-flow.js";

/** A flow may not go live: `validateFlow` found errors in it. */
export class FlowNotPublishableError extends RingflowError {
  readonly code = "FLOW_NOT_PUBLISHABLE";

  constructor(
    /** Every problem found, errors and warnings, each placed on its node or edge. */
    readonly problems: readonly FlowProblem[],
  ) {
    const errors = problems.filter((problem) => problem.severity === "error");
    const first = errors[0];
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    super(`The flow cannot be published: ${first?.message ?? "it has errors"}${more}`);
  }
}

/**
 * The rule for going live, in one place: a flow is published only when
 * {@link validateFlow} finds no error in it (warnings are allowed).
 * Returns the problems (warnings only) when it may go live.
 *
 * @throws {FlowNotPublishableError} with every problem when it may not.
 */
export function assertPublishable(flow: unknown): FlowProblem[] {
  const problems = validateFlow(flow);
  if (!isPublishable(problems)) throw new FlowNotPublishableError(problems);
  return problems;
}

/**
 * What is announced when a version goes live, so that every worker re-reads
 * its routes at once instead of at its next poll. A nudge only: the
 * database stays the truth.
 */
export interface FlowPublished {
  readonly flowId: string;
  readonly versionId?: string;
  readonly version?: number;
}

/** Tells running workers that a flow has a new live version. */
export interface FlowAnnouncer {
  /** Resolves once the announcement is sent; never rejects (failures are the announcer's to report). */
  announce(notice: FlowPublished): Promise<void>;
}

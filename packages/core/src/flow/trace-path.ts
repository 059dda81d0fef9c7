/**
 * One step of a call's trace as the path reads it: the interpreter's
 * `FlowTraceStep` fits, and so does a stored step once its `output` is
 * read back (`@ringflow/db` keeps it in the step's data).
 */
export interface PathStep {
  /** Epoch ms. */
  readonly at: number;
  readonly kind: string;
  readonly nodeId: string | null;
  /** The output taken, on `output` steps. */
  readonly output?: string | null | undefined;
}

/** One visit of a node by a call. */
export interface NodeVisit {
  readonly nodeId: string;
  /** 1 for the first visit of this node, 2 for the second... */
  readonly visit: number;
  readonly enteredAt: number;
  /** When the call left (its output step), or when the call ended in the node. */
  readonly leftAt: number;
  /** `leftAt - enteredAt`: the wait in a queue, the ring time of a ring group. */
  readonly durationMs: number;
  /** The output the call left by; `null` when the call ended in the node. */
  readonly output: string | null;
}

/** The way a call went through a flow, for drawing it on the canvas. */
export interface CallPath {
  /** Every node visit, in order. */
  readonly visits: readonly NodeVisit[];
  /** The outputs the call left by (`source` node and `sourceHandle`), in order, repeats kept. */
  readonly outputsTaken: readonly { readonly source: string; readonly sourceHandle: string }[];
  /** When the trace ends: its last step. */
  readonly endedAt: number | null;
}

/**
 * Reads a call's path from its trace: each `enter` step opens a visit, the
 * node's `output` step closes it; a visit still open at the end of the
 * trace (voicemail, hang-up, the caller hanging up in a queue) lasts until
 * the trace's last step. Steps of other kinds only mark time.
 *
 * A trace cut short by the step cap ends early; its last visit then ends
 * at the last kept step.
 */
export function callPathFromTrace(steps: readonly PathStep[]): CallPath {
  const visits: NodeVisit[] = [];
  const outputsTaken: { source: string; sourceHandle: string }[] = [];
  const counts = new Map<string, number>();
  let open: { nodeId: string; visit: number; enteredAt: number } | null = null;
  const close = (leftAt: number, output: string | null) => {
    if (!open) return;
    visits.push({ ...open, leftAt, durationMs: Math.max(0, leftAt - open.enteredAt), output });
    open = null;
  };
  for (const step of steps) {
    if (step.kind === "enter" && step.nodeId !== null) {
      close(step.at, null);
      const visit = (counts.get(step.nodeId) ?? 0) + 1;
      counts.set(step.nodeId, visit);
      open = { nodeId: step.nodeId, visit, enteredAt: step.at };
    } else if (step.kind === "output" && open && step.nodeId === open.nodeId) {
      const output = step.output ?? null;
      if (output !== null) outputsTaken.push({ source: open.nodeId, sourceHandle: output });
      close(step.at, output);
    }
  }
  const endedAt = steps.at(-1)?.at ?? null;
  if (endedAt !== null) close(endedAt, null);
  return { visits, outputsTaken, endedAt };
}

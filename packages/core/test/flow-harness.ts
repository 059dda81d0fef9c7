import { InMemoryAgentRegistry } from "../src/agents/in-memory-agent-registry.js";
import type { FlowGraph } from "../src/flow/flow-graph.js";
import type {
  CallProgress,
  CallReport,
  FlowTraceStep,
} from "../src/flow/interpreter/call-report.js";
import { FlowEngine } from "../src/flow/interpreter/flow-engine.js";
import type { FlowRuntime } from "../src/flow/interpreter/flow-runtime.js";
import { parseFlowGraph } from "../src/flow/parse-flow-graph.js";
import { InMemoryBackend } from "../src/queue/in-memory-backend.js";
import { Queue } from "../src/queue/queue.js";
import { FakeCallControl } from "../src/testing/fake-call-control.js";
import { FakeCallSession, type FakeCallSessionOptions } from "../src/testing/fake-call-session.js";
import { ManualClock } from "../src/testing/manual-clock.js";

/** A node of {@link buildFlow}: its type and config (`data`). */
export interface NodeSpec {
  readonly type: string;
  readonly data?: Record<string, unknown>;
}

/**
 * A flow from nodes by id and edges as `[source, output, target]`, parsed
 * as the worker would read a published version.
 */
export function buildFlow(
  nodes: Record<string, NodeSpec>,
  edges: readonly (readonly [string, string, string])[],
): FlowGraph {
  return parseFlowGraph({
    schemaVersion: 1,
    nodes: Object.entries(nodes).map(([id, node], i) => ({
      id,
      type: node.type,
      position: { x: i * 200, y: 0 },
      data: node.data ?? {},
    })),
    edges: edges.map(([source, sourceHandle, target], i) => ({
      id: `e${i}`,
      source,
      sourceHandle,
      target,
    })),
  });
}

/** One call started by {@link FlowTest.start}: the fake caller, what it reported, and the run. */
export interface StartedCall {
  readonly call: FakeCallSession;
  readonly progress: CallProgress[];
  readonly traced: FlowTraceStep[];
  readonly report: Promise<CallReport>;
}

/**
 * A world to run flows in: a manual clock, a fake switch, an in-memory
 * queue and agent registry on that clock, a runtime made of them and the
 * engine on that runtime, as a worker has one.
 */
export function setUpFlowTest(
  options: { readonly runtime?: Partial<FlowRuntime>; readonly acceptDelayMs?: number } = {},
) {
  const clock = new ManualClock();
  const switchboard = new FakeCallControl({ clock, acceptDelayMs: options.acceptDelayMs ?? 0 });
  const queue = new Queue(new InMemoryBackend({ clock }));
  const agents = new InMemoryAgentRegistry({ clock });
  const runtime: FlowRuntime = { queue, callControl: switchboard, clock, ...options.runtime };
  const engine = new FlowEngine(runtime);
  let calls = 0;

  /**
   * Another engine, on the runtime with `overrides`: a second worker on the
   * same switch and clock (and queue, unless overridden).
   */
  function engineWith(overrides: Partial<FlowRuntime> = {}): FlowEngine {
    return new FlowEngine({ ...runtime, ...overrides });
  }

  /** Starts a caller through `flow` on `on` (default: the engine); it runs as the clock is moved. */
  function start(
    flow: FlowGraph,
    caller: Partial<Omit<FakeCallSessionOptions, "clock" | "callControl">> = {},
    on: FlowEngine = engine,
  ): StartedCall {
    calls += 1;
    const call = new FakeCallSession({
      clock,
      callControl: switchboard,
      uuid: `call-${calls}`,
      ...caller,
    });
    const progress: CallProgress[] = [];
    const traced: FlowTraceStep[] = [];
    const report = on.run({
      flow,
      call,
      onProgress: (p) => progress.push(p),
      onTrace: (s) => traced.push(s),
    });
    return { call, progress, traced, report };
  }

  /** Adds agents in `group`, each Available unless told otherwise. */
  async function addAgents(
    group: string,
    contacts: readonly string[],
    status: "available" | "onBreak" | "loggedOut" = "available",
  ): Promise<void> {
    for (const contact of contacts) {
      const id = contact.replace(/\W/g, "-");
      await agents.upsert({ id, contact, groups: [group] });
      await agents.setStatus(id, status);
    }
  }

  return {
    clock,
    switchboard,
    queue,
    agents,
    runtime,
    engine,
    engineWith,
    start,
    addAgents,
    t0: clock.now(),
  };
}

/** The steps of a trace, reduced to `kind node output/event` strings for readable assertions. */
export function traceLines(trace: readonly FlowTraceStep[]): string[] {
  return trace.map((step) => {
    const what =
      step.kind === "output"
        ? step.output
        : step.kind === "enter"
          ? ""
          : String(step.detail?.event ?? step.detail?.code ?? "");
    return `${step.kind} ${step.nodeId ?? "-"}${what ? ` ${what}` : ""}`;
  });
}

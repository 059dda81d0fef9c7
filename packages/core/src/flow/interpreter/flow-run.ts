import type { LoadBalancer } from "../../balancer/load-balancer.js";
import type { CallSession } from "../../call-control/call-session.js";
import { CallerHungUpError } from "../../call-control/errors.js";
import { HangupCauses } from "../../call-control/hangup-cause.js";
import { type Clock, systemClock } from "../../clock.js";
import type { FlowEdge, FlowGraph, FlowNode } from "../flow-graph.js";
import { DEFAULT_MAX_NODE_VISITS } from "../visit-limit.js";
import type { CallReport } from "./call-report.js";
import { CallState } from "./call-state.js";
import { decideOutcome } from "./decide-outcome.js";
import { FlowGraphError, FlowVisitLimitError } from "./errors.js";
import type { FlowRunOptions, FlowRuntime } from "./flow-runtime.js";
import { FlowTelemetry } from "./flow-telemetry.js";
import { HoldMusic } from "./hold-music.js";
import type { NodeContext } from "./node-context.js";
import { runNode } from "./node-runners.js";
import type { QueueJoins } from "./queue-joins.js";

/**
 * How long a run waits for the switch to confirm the end of a call it hung
 * up itself, to learn the call's `Hangup-Cause` for the report.
 */
const ENDED_WAIT_MS = 5000;

const edgeKey = (nodeId: string, output: string) => `${nodeId}\u0000${output}`;

/** What a run takes from its engine: the runtime and what the engine keeps for all its calls. */
export interface FlowRunServices {
  readonly runtime: FlowRuntime;
  /** The runtime's balancer, or the engine's own when it brings none. */
  readonly balancer: LoadBalancer;
  readonly joins: QueueJoins;
}

/** One call's run through a flow (`FlowEngine.run` documents what it does). */
export class FlowRun {
  private readonly call: CallSession;
  private readonly flow: FlowGraph;
  private readonly runtime: FlowRuntime;
  private readonly clock: Clock;
  private readonly state: CallState;
  private readonly music: HoldMusic;
  private readonly telemetry: FlowTelemetry;
  private readonly context: NodeContext;
  private answered = false;
  private failure: unknown;
  private droppingLeg: Promise<void> = Promise.resolve();

  constructor(options: FlowRunOptions, services: FlowRunServices) {
    this.call = options.call;
    this.flow = options.flow;
    this.runtime = services.runtime;
    this.clock = services.runtime.clock ?? systemClock;
    this.state = new CallState(this.clock, options);
    this.music = new HoldMusic(this.call, this.state);
    this.telemetry = new FlowTelemetry(this.call.info);
    this.context = {
      call: this.call,
      state: this.state,
      queue: this.runtime.queue,
      runtime: this.runtime,
      clock: this.clock,
      balancer: services.balancer,
      joins: services.joins,
      music: this.music,
      answer: () => this.answer(),
      takeChannel: async () => {
        await this.music.stop();
        await this.answer();
      },
    };
  }

  async run(): Promise<CallReport> {
    const { signal } = this.call;
    const onEnded = () => this.callEnded();
    if (signal.aborted) onEnded();
    else signal.addEventListener("abort", onEnded, { once: true });
    try {
      await this.walk();
    } catch (error) {
      this.fail(error);
    }
    await this.finish();
    signal.removeEventListener("abort", onEnded);
    const report = this.report();
    this.telemetry.endCall(report.outcome, this.failure);
    return report;
  }

  private async walk(): Promise<void> {
    const { flow, state, call } = this;
    const nodes = new Map(flow.nodes.map((node) => [node.id, node]));
    const edges = new Map<string, FlowEdge>();
    for (const edge of flow.edges) {
      const key = edgeKey(edge.source, edge.sourceHandle);
      if (!edges.has(key)) edges.set(key, edge);
    }
    const start = flow.nodes.find((n) => n.type === "start");
    if (!start) {
      this.fail(new FlowGraphError("the flow has no start node"));
      return;
    }
    let node: FlowNode = start;
    const limit = this.runtime.maxNodeVisits ?? DEFAULT_MAX_NODE_VISITS;
    for (let visit = 1; ; visit++) {
      if (call.signal.aborted) return;
      state.node = { id: node.id, type: node.type };
      if (visit > limit) {
        this.fail(new FlowVisitLimitError(limit));
        return;
      }
      state.record("enter", { detail: { visit } });
      const output = await this.visit(node);
      if (output === null) return;
      const edge = edges.get(edgeKey(node.id, output));
      if (!edge) {
        state.note("noEdge", { output });
        return;
      }
      const next = nodes.get(edge.target);
      if (!next) {
        this.fail(new FlowGraphError(`edge ${edge.id} leads to ${edge.target}, which is no node`));
        return;
      }
      node = next;
    }
  }

  /** Runs one node; its output, or `null` when the call is over (ended, hung up, failed). */
  private async visit(node: FlowNode): Promise<string | null> {
    const span = this.telemetry.startNode(node.id, node.type);
    try {
      const result = await runNode(node, this.context);
      if ("ended" in result) {
        this.telemetry.endNode(span, {});
        return null;
      }
      this.state.record("output", {
        output: result.output,
        ...(result.detail ? { detail: result.detail } : {}),
      });
      this.telemetry.endNode(span, { output: result.output });
      return result.output;
    } catch (error) {
      if (this.call.signal.aborted || error instanceof CallerHungUpError) {
        this.telemetry.endNode(span, {});
      } else {
        this.telemetry.endNode(span, { error });
        this.fail(error);
      }
      return null;
    }
  }

  private async answer(): Promise<void> {
    if (this.answered) return;
    await this.call.answer();
    this.answered = true;
  }

  private fail(error: unknown): void {
    this.state.failed = true;
    this.state.error(error);
    this.failure ??= error;
  }

  /** The call is over (the signal aborted): whoever hung up, the agent on hold goes too. */
  private callEnded(): void {
    const { state } = this;
    state.endedAt ??= state.now();
    const reason = this.call.signal.reason;
    if (reason instanceof CallerHungUpError) state.hangupCause ??= reason.hangupCause;
    if (!state.flowHangingUp) {
      state.callerHungUp = true;
      state.note("callerHungUp", { cause: state.hangupCause });
    }
    this.droppingLeg = state.dropLeg(HangupCauses.OriginatorCancel);
  }

  /** Lets go of everything the call holds and makes sure it is hung up. Never throws. */
  private async finish(): Promise<void> {
    const { state, call } = this;
    state.node = null;
    await this.droppingLeg;
    await state.dropLeg(HangupCauses.NormalClearing);
    await state.releaseSlot();
    if (!call.signal.aborted) {
      state.flowHangingUp = true;
      const cause = state.failed
        ? HangupCauses.NormalTemporaryFailure
        : HangupCauses.NormalClearing;
      try {
        await call.hangup(cause);
      } catch (error) {
        state.error(error, { during: "hangup" });
      }
    }
    await this.music.stop();
    state.hangupCause ??= await this.awaitHangupCause();
    state.endedAt ??= state.now();
    state.note("callEnded", { outcome: decideOutcome(state), hangupCause: state.hangupCause });
  }

  private async awaitHangupCause(): Promise<string | null> {
    const reason = this.call.signal.reason;
    if (reason instanceof CallerHungUpError) return reason.hangupCause;
    let timer: { cancel(): void } | undefined;
    const giveUp = new Promise<null>((resolve) => {
      timer = this.clock.setTimeout(() => resolve(null), ENDED_WAIT_MS);
    });
    try {
      return await Promise.race([this.call.ended, giveUp]);
    } catch {
      return null;
    } finally {
      timer?.cancel();
    }
  }

  private report(): CallReport {
    const { state } = this;
    return {
      outcome: decideOutcome(state),
      queueId: state.queueId,
      enqueuedAt: state.enqueuedAt,
      acquiredAt: state.acquiredAt,
      answeredAt: state.answeredAt,
      endedAt: state.endedAt ?? state.now(),
      waitMs: state.waitMs,
      agentContact: state.agentContact,
      hangupCause: state.hangupCause,
      trace: state.trace,
    };
  }
}

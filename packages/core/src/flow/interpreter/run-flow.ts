import { InMemoryLoadBalancer } from "../../balancer/in-memory-load-balancer.js";
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
import type { FlowRuntime, RunFlowOptions } from "./flow-runtime.js";
import { FlowTelemetry } from "./flow-telemetry.js";
import { HoldMusic } from "./hold-music.js";
import type { NodeContext } from "./node-context.js";
import { runNode } from "./node-runners.js";

/**
 * How long a run waits for the switch to confirm the end of a call it hung
 * up itself, to learn the call's `Hangup-Cause` for the report.
 */
const ENDED_WAIT_MS = 5000;

// The load balancer of runtimes that bring none: one per runtime, so all
// its calls share the agents' counts.
const defaultBalancers = new WeakMap<FlowRuntime, LoadBalancer>();

function balancerOf(runtime: FlowRuntime, clock: Clock): LoadBalancer {
  if (runtime.balancer) return runtime.balancer;
  let balancer = defaultBalancers.get(runtime);
  if (!balancer) {
    balancer = new InMemoryLoadBalancer({ clock });
    defaultBalancers.set(runtime, balancer);
  }
  return balancer;
}

/**
 * Runs one call through one published flow version until the call ends, or
 * the flow ends it, and reports how it went.
 *
 * **Walk.** From the `start` node, each node runs and leaves by one of its
 * outputs; the call follows that output's edge. An output without an edge
 * hangs up (`NORMAL_CLEARING`). After `runtime.maxNodeVisits` visits
 * (default `DEFAULT_MAX_NODE_VISITS`) the call is hung up with an `error`
 * step (`FLOW_VISIT_LIMIT`). The call is answered before the first node
 * that plays, listens, waits or bridges (`start`, `timeCondition` and
 * `hangup` leave it unanswered, so a closed line can reject a call
 * unanswered); answering an answered call is harmless.
 *
 * **Nodes.** `start` → `next`. `timeCondition` → `open` / `closed` by
 * `isOpenAt` at the clock's time. `announce` plays the file or speaks the
 * text, placeholders filled → `next` (a missing file is noted, not fatal).
 * `menu` → the key's output, `timeout` or `invalid`. `queue` waits in line
 * with hold music and announcements → `acquired`, `timeout`, `full`,
 * `noAgents`. `ringGroup` → `answered` (the leg is kept for the bridge) or
 * `noAnswer`. `bridge` → `completed` or `failed`. `voicemail` and `hangup`
 * end the call. See each node's handler for the details.
 *
 * **Slot scope.** A queue slot is held from the queue's `acquired` through
 * the nodes after it, and given back when the call reaches `voicemail`,
 * `hangup` or another `queue` node (the same one included), or ends.
 *
 * **Agent legs.** The leg a ring group answered waits, unbridged, for the
 * next bridge. It is hung up when the call reaches another ring group, a
 * queue, voicemail or a hang-up without bridging it, when its bridge fails,
 * and the moment the caller hangs up: no agent is left on a dead line.
 *
 * **Caller hang-up** aborts whatever runs: the caller leaves the queue's
 * line at once (`abandoned` progress with the wait), ringing legs are
 * cancelled, hold music and prompts stop.
 *
 * **Outcome** — the first rule that applies:
 * 1. `answered`: the caller was connected — bridged to an agent's leg (a
 *    conversation the caller ends by hanging up counts), or a dialled
 *    bridge that completed. Nothing after it changes this.
 * 2. `voicemail`: the call reached a voicemail node (hanging up there counts).
 * 3. `failed`: the run stopped on an error (a port failed, the visit cap,
 *    a broken graph); the call is hung up with `NORMAL_TEMPORARY_FAILURE`.
 * 4. `timeout` or `noAnswer`: the verdict of the last queue or ring group
 *    since the call last entered one: the queue timed out or was full
 *    (`timeout`); no agent answered, none was logged in, or the bridge
 *    failed (`noAnswer`). It stands when the flow then ends the call, and
 *    when the caller hangs up during a message that follows it.
 * 5. `abandoned`: the caller hung up while still being served — waiting in
 *    line, while agents rang, after an agent answered but before the
 *    bridge, in a menu or announcement, during a dialled bridge.
 * 6. `noAnswer`: the flow ended the call itself without connecting it (a
 *    hang-up node or an output without an edge, e.g. closed hours).
 *
 * **Report.** `queueId` is the last queue the call joined or tried to join;
 * `enqueuedAt` its first join of any queue; `acquiredAt` its last slot;
 * `waitMs` the total time in lines; `agentContact` and `answeredAt` the
 * agent it was bridged to and when that agent answered (`null` for a
 * dialled bridge); `endedAt` when the call ended; `hangupCause` the
 * channel's cause. The trace holds every step; `onTrace` and `onProgress`
 * see them as they happen.
 *
 * Never rejects: a failure becomes outcome `failed` with an `error` step.
 * Resolves only once every slot is given back, every ring group has
 * stopped ringing, the agent leg is hung up and the call is hung up.
 */
export async function runFlow(options: RunFlowOptions): Promise<CallReport> {
  return new FlowRun(options).run();
}

const edgeKey = (nodeId: string, output: string) => `${nodeId}\u0000${output}`;

/** One call's run through a flow. */
class FlowRun {
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

  constructor(options: RunFlowOptions) {
    this.call = options.call;
    this.flow = options.flow;
    this.runtime = options.runtime;
    this.clock = options.runtime.clock ?? systemClock;
    this.state = new CallState(this.clock, options);
    this.music = new HoldMusic(this.call, this.state);
    this.telemetry = new FlowTelemetry(this.call.info);
    this.context = {
      call: this.call,
      state: this.state,
      queue: this.runtime.queue,
      runtime: this.runtime,
      clock: this.clock,
      balancer: balancerOf(this.runtime, this.clock),
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

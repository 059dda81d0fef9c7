import { InMemoryLoadBalancer } from "../../balancer/in-memory-load-balancer.js";
import type { LoadBalancer } from "../../balancer/load-balancer.js";
import { systemClock } from "../../clock.js";
import type { CallReport } from "./call-report.js";
import { FlowEngineClosedError } from "./errors.js";
import { FlowRun } from "./flow-run.js";
import type { FlowRunOptions, FlowRuntime } from "./flow-runtime.js";
import { QueueJoins } from "./queue-joins.js";

/**
 * Runs a worker's calls through their flows. Build one per worker, from
 * the worker's {@link FlowRuntime}, and run every call through it: what
 * its calls share lives here, not in module state, so two engines (two
 * workers in one process, two tests) never see each other's calls.
 *
 * It keeps:
 * - the load balancer, when the runtime brings none: one
 *   `InMemoryLoadBalancer` for all the engine's calls, so `balancing` ring
 *   groups count every call of this engine (and no other's);
 * - one `enqueued` subscription on the runtime's queue, taken at the first
 *   `queue` node, that tells each waiting call when it joined the line.
 *
 * Call {@link close} once no run is in flight (a worker: after its calls
 * have drained, before it closes the queue) to drop that subscription.
 *
 * @example
 * ```ts
 * const engine = new FlowEngine(runtime);
 * const report = await engine.run({ flow, call, onProgress, onTrace });
 * // ... at shutdown, once every call is over:
 * engine.close();
 * ```
 */
export class FlowEngine {
  private readonly balancer: LoadBalancer;
  private readonly joins: QueueJoins;
  private closed = false;

  constructor(
    /** What every call of the worker shares; its clock is the engine's. */
    readonly runtime: FlowRuntime,
  ) {
    this.balancer =
      runtime.balancer ?? new InMemoryLoadBalancer({ clock: runtime.clock ?? systemClock });
    this.joins = new QueueJoins(runtime.queue);
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
   * Never rejects while the engine is open: a failure becomes outcome
   * `failed` with an `error` step. Resolves only once every slot is given
   * back, every ring group has stopped ringing, the agent leg is hung up
   * and the call is hung up.
   *
   * @throws FlowEngineClosedError (as a rejection) the engine was closed
   *   before the run began; the call was not touched.
   */
  run(options: FlowRunOptions): Promise<CallReport> {
    if (this.closed) return Promise.reject(new FlowEngineClosedError());
    const { runtime, balancer, joins } = this;
    return new FlowRun(options, { runtime, balancer, joins }).run();
  }

  /**
   * Drops the engine's subscription on the queue; later {@link run}s
   * reject with `FlowEngineClosedError`. Call it once no run is in flight:
   * a run still going keeps running, but is no longer told when it joins a
   * line (no `enqueued` progress or note). Does not close anything of the
   * runtime (the queue, a balancer it brought): the host owns those.
   * Idempotent.
   */
  close(): void {
    this.closed = true;
    this.joins.close();
  }
}

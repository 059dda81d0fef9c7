import { randomUUID } from "node:crypto";
import { type Clock, sleep, systemClock, type TimerHandle } from "@ringflow/core";
import type { RingGroupData, TimeConditionData } from "@ringflow/core/flow";
import { callbackItemId } from "@ringflow/core/interpreter";
import type { Queue, QueueSlot, SlotOptions } from "@ringflow/core/queue";
import { type CallbackRequest, type Db, LeaseLostError } from "@ringflow/db";
import type { Logger } from "../logger.js";
import { repeatEvery } from "../repeat-every.js";
import { type CallbackSettings, customerDialString } from "./callback-settings.js";
import { openAt } from "./opening-hours.js";

/** What a request's queue node says about serving it, read from the flow version it came from. */
export interface CallbackContext {
  /** Slots of the queue held at once (the node's `maxConcurrent`). */
  readonly maxConcurrent: number;
  /** Opening hours in front of the queue node (none: always open). */
  readonly hours: readonly TimeConditionData[];
  /** The ring group the flow rings agents with after the queue; `null`: none to ring. */
  readonly ringGroup: RingGroupData | null;
}

/** How one dial of a callback ended, as the dispatcher acts on it. */
export type CallbackDialOutcome =
  /**
   * The customer was bridged to an agent. The slot is held until `talking`
   * settles (both legs gone), as a caller's is until they hang up.
   */
  | {
      readonly kind: "completed";
      readonly agentContact: string;
      readonly talking?: Promise<unknown>;
    }
  /** An agent answered, the customer did not (no answer, busy, rejected): an attempt. */
  | { readonly kind: "customerNotReached"; readonly result: string }
  /** No agent answered: not the customer's attempt; the request waits its turn again. */
  | { readonly kind: "noAgent"; readonly result: string };

/** What {@link DialCallback} is given: the request, its slot, the customer's dial string. */
export interface CallbackDial {
  readonly request: CallbackRequest;
  /** The uuid to give the customer's leg (stored with the request before the dial). */
  readonly customerLeg: string;
  readonly context: CallbackContext;
  /** The queue slot the request holds while it is dialled. */
  readonly slot: QueueSlot;
  /** The customer's dial string (`CALLBACK_DIAL_TEMPLATE` filled in). */
  readonly destination: string;
  /** Aborted when the worker stops or the lease is lost: hang up what is ringing. */
  readonly signal: AbortSignal;
}

/** Rings an agent, then calls and bridges the customer (core's `connectCallback`, through the worker's runtime). */
export type DialCallback = (dial: CallbackDial) => Promise<CallbackDialOutcome>;

/** Options of {@link CallbackDispatcher}. */
export interface CallbackDispatcherOptions {
  /** This worker's id: the owner of its leases. */
  readonly owner: string;
  readonly db: Pick<Db<unknown>, "callbacks" | "rateLimits">;
  /** The queues callers wait in (shared through Redis when configured). */
  readonly queue: Queue;
  readonly settings: CallbackSettings;
  readonly contextOf: (request: CallbackRequest) => Promise<CallbackContext>;
  readonly dial: DialCallback;
  /**
   * True while the leg `customerLeg` is bridged to a leg that is still up:
   * the dial of a worker that died reached the customer, who is talking.
   */
  readonly liveConversation: (customerLeg: string) => Promise<boolean>;
  readonly log: Logger;
  /** Told when a request of `queueId` was completed or failed (the wall-board's counts). */
  readonly onSettled?: (queueId: string) => void;
  /**
   * Told when a request joins its queue's line as `itemId`, and when it
   * has left it (its slot given back), so the wall-board lists it with
   * the number it will call.
   */
  readonly line?: {
    joined(request: CallbackRequest, itemId: string): void;
    /**
     * Told just before the slot `itemId` holds is given back, when the hold
     * served nobody (no agent answered, the customer was not reached, the
     * worker is stopping): it is not a handle time.
     */
    unserved?(itemId: string): void;
    left(itemId: string): void;
  };
  /**
   * Times the polls, lease renewals, dial-rate waits and the stop's grace,
   * and is the "now" of leases, attempts and opening hours (default
   * `systemClock`). The database compares the times it is given, so every
   * worker sharing it needs a clock that agrees.
   */
  readonly clock?: Clock;
}

/** Key of a queue's dial rate in `rateLimits`. */
const dialRateKey = (queueId: string) => `callback-dial:${queueId}`;
const DIAL_WINDOW_MS = 60_000;

/** Why a request's work was cut short. */
class Stopping extends Error {
  constructor(readonly why: "stopped" | "leaseLost") {
    super(why === "stopped" ? "the worker is stopping" : "the lease was lost");
  }
}

/**
 * Works through stored callback requests: claims due ones under a lease
 * (renewed every third of it while it works), puts each in its queue's
 * line at the caller's original place (`requestedAt`), and once it holds
 * a slot — inside the queue's opening hours, and within the per-queue dial
 * rate — has it dialled: completed, counted as a failed attempt (then
 * retried after a backoff, or failed), or, with no agent answering, given
 * back to wait its turn again. Each poll first takes back requests whose
 * lease ran out (a killed worker's), so any worker picks them up; one
 * whose worker died mid-dial too often fails (see `reclaimExpired`), and
 * one whose dead holder had already bridged the customer, still talking,
 * is completed instead of dialled again.
 */
export class CallbackDispatcher {
  private readonly active = new Map<string, { abort: AbortController; dialling: boolean }>();
  private readonly works = new Set<Promise<void>>();
  private timer: TimerHandle | undefined;
  private polling: Promise<void> | undefined;
  private stopped = false;
  private readonly clock: Clock;

  constructor(private readonly options: CallbackDispatcherOptions) {
    this.clock = options.clock ?? systemClock;
  }

  /** Requests this worker holds now. */
  get activeCount(): number {
    return this.active.size;
  }

  /** Polls at once, then every `pollMs`. */
  start(): void {
    if (this.options.settings.maxActive === 0) return;
    this.schedule(0);
  }

  /** One poll: takes back expired leases, then claims what this worker has room for. */
  poll(): Promise<void> {
    this.polling ??= this.pollOnce().finally(() => {
      this.polling = undefined;
    });
    return this.polling;
  }

  /**
   * Stops claiming; requests still waiting in line are given back at once
   * (pending, for any worker); those being dialled finish, for up to
   * `graceMs`, then are cut short and given back too.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.stopped = true;
    this.timer?.cancel();
    await this.polling?.catch(() => undefined);
    for (const work of this.active.values()) {
      if (!work.dialling) work.abort.abort(new Stopping("stopped"));
    }
    const all = Promise.allSettled([...this.works]);
    const grace = new AbortController();
    const late = await Promise.race([
      all.then(() => false),
      sleep(this.clock, graceMs, grace.signal).then(
        () => true,
        () => false,
      ),
    ]);
    grace.abort();
    if (late) {
      for (const work of this.active.values()) work.abort.abort(new Stopping("stopped"));
      await all;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => {
      this.poll().then(
        () => this.schedule(this.options.settings.pollMs),
        (error: unknown) => {
          this.options.log.warn({ err: error }, "callback dispatch poll failed; will try again");
          this.schedule(this.options.settings.pollMs);
        },
      );
    }, ms);
  }

  private async pollOnce(): Promise<void> {
    const { db, settings, owner, log } = this.options;
    const now = this.date();
    const reclaimed = await db.callbacks.reclaimExpired({ now });
    if (reclaimed.length > 0) {
      log.info({ requests: reclaimed }, "took back callback requests whose lease ran out");
      // Those that lost too many dials to dead workers failed just now.
      for (const id of reclaimed) {
        const request = await db.callbacks.get(id);
        if (request?.status === "failed") this.options.onSettled?.(request.queueId);
      }
    }
    const room = settings.maxActive - this.active.size;
    if (this.stopped || room <= 0) return;
    const claimed = await db.callbacks.claimDue({
      owner,
      now,
      leaseMs: settings.leaseMs,
      limit: room,
    });
    for (const request of claimed) this.begin(request);
  }

  private begin(request: CallbackRequest): void {
    const abort = new AbortController();
    const entry = { abort, dialling: false };
    this.active.set(request.id, entry);
    const work = this.work(request, entry).finally(() => {
      this.active.delete(request.id);
      this.works.delete(work);
    });
    this.works.add(work);
  }

  private async work(
    request: CallbackRequest,
    entry: { abort: AbortController; dialling: boolean },
  ): Promise<void> {
    const { db, settings, owner, log } = this.options;
    const holder = { id: request.id, owner };
    const signal = entry.abort.signal;
    const renew = repeatEvery(this.clock, Math.max(100, Math.floor(settings.leaseMs / 3)), () => {
      db.callbacks
        .renewLease({ ...holder, now: this.date(), leaseMs: settings.leaseMs })
        .catch((error: unknown) => {
          if (error instanceof LeaseLostError) entry.abort.abort(new Stopping("leaseLost"));
          else log.warn({ err: error, callback: request.id }, "could not renew a callback lease");
        });
    });
    let slot: QueueSlot | undefined;
    let inLine: string | undefined;
    let served = false;
    try {
      if (await this.reachedByLostDial(request)) {
        await db.callbacks.complete({ ...holder, result: "connectedBeforeWorkerLost" });
        this.options.onSettled?.(request.queueId);
        log.info(
          { callback: request.id, queueId: request.queueId, customerLeg: request.customerLeg },
          "callback completed: the dial of a worker that died had bridged the customer, who is still talking",
        );
        return;
      }
      const context = await this.options.contextOf(request);
      if (!openAt(context.hours, this.date())) {
        await this.giveBack(request, settings.closedRecheckMs, "closed");
        return;
      }
      const itemId = callbackItemId(request.id);
      this.options.line?.joined(request, itemId);
      inLine = itemId;
      const options: SlotOptions = {
        itemId,
        maxConcurrent: context.maxConcurrent,
        priority: request.priority,
        signal,
        // The caller's place: the line orders the entry by when they first joined.
        requestedAt: request.requestedAt.getTime(),
      };
      slot = await this.options.queue.slot(request.queueId, options);
      if (!openAt(context.hours, this.date())) {
        await this.giveBack(request, settings.closedRecheckMs, "closed");
        return;
      }
      const permit = await this.dialPermit(request.queueId, signal);
      // From here a lease that runs out is a dial lost with its worker (counted, and bounded).
      const customerLeg = randomUUID();
      await db.callbacks.markDialling({ ...holder, now: this.date(), customerLeg });
      entry.dialling = true;
      const outcome = await this.options.dial({
        request,
        customerLeg,
        context,
        slot,
        destination: customerDialString(settings.dialTemplate, request.number),
        signal,
      });
      served = outcome.kind === "completed";
      if (outcome.kind === "noAgent") {
        // The customer was not dialled: the permit goes back to the queue's rate.
        await db.rateLimits
          .giveBack(permit)
          .catch((error: unknown) =>
            log.warn({ err: error, callback: request.id }, "could not give back a dial permit"),
          );
      }
      await this.settle(request, outcome);
      if (outcome.kind === "completed" && outcome.talking) {
        // Completed: the request is no longer ours to renew; the slot is, until they hang up.
        renew.cancel();
        // A worker stopping gives the slot back; the two keep talking on the switch.
        await Promise.race([outcome.talking, abortedOf(signal)]).catch(() => undefined);
      }
    } catch (error) {
      const reason = signal.aborted ? signal.reason : error;
      if (reason instanceof Stopping && reason.why === "leaseLost") {
        log.warn(
          { callback: request.id },
          "lost the lease of a callback request; left to its new owner",
        );
        return;
      }
      if (reason instanceof Stopping) {
        await this.giveBack(request, 0, "stopping").catch(() => undefined);
        return;
      }
      if (error instanceof LeaseLostError) return;
      log.error({ err: error, callback: request.id }, "callback attempt failed");
      await db.callbacks
        .recordFailedAttempt({
          ...holder,
          result: "error",
          now: this.date(),
          backoff: settings.backoff,
        })
        .then((after) => {
          if (after.status === "failed") this.options.onSettled?.(request.queueId);
        })
        .catch((failure: unknown) =>
          log.warn(
            { err: failure, callback: request.id },
            "could not record a failed callback attempt",
          ),
        );
    } finally {
      renew.cancel();
      if (slot && !served && inLine !== undefined) this.options.line?.unserved?.(inLine);
      await slot
        ?.release()
        .catch((error: unknown) =>
          log.warn({ err: error, callback: request.id }, "could not give back a callback's slot"),
        );
      if (inLine !== undefined) this.options.line?.left(inLine);
    }
  }

  private async settle(request: CallbackRequest, outcome: CallbackDialOutcome): Promise<void> {
    const { db, settings, owner, log } = this.options;
    const holder = { id: request.id, owner };
    switch (outcome.kind) {
      case "completed":
        await db.callbacks.complete(holder);
        this.options.onSettled?.(request.queueId);
        log.info(
          { callback: request.id, queueId: request.queueId, agentContact: outcome.agentContact },
          "callback completed",
        );
        return;
      case "customerNotReached": {
        const after = await db.callbacks.recordFailedAttempt({
          ...holder,
          result: outcome.result,
          now: this.date(),
          backoff: settings.backoff,
        });
        if (after.status === "failed") this.options.onSettled?.(request.queueId);
        log.info(
          {
            callback: request.id,
            result: outcome.result,
            attempts: after.attempts,
            status: after.status,
            nextAttemptAt: after.status === "pending" ? after.nextAttemptAt : undefined,
          },
          after.status === "failed"
            ? "callback failed: the customer was not reached"
            : "callback customer not reached; will try again",
        );
        return;
      }
      case "noAgent":
        await this.giveBack(request, settings.noAgentRetryMs, outcome.result);
        return;
    }
  }

  /**
   * True when the request's last holder died mid-dial after bridging the
   * customer to an agent, and the two are still talking: dialling again
   * would cut them off (the new try hangs up the old legs) and call the
   * customer a second time.
   */
  private async reachedByLostDial(request: CallbackRequest): Promise<boolean> {
    if (request.lastResult !== "workerLost" || request.customerLeg === null) return false;
    return this.options.liveConversation(request.customerLeg).catch((error: unknown) => {
      this.options.log.warn(
        { err: error, callback: request.id },
        "could not ask the switch about a lost dial's customer leg; dialling again",
      );
      return false;
    });
  }

  /** Pending again, no attempt counted, due `inMs` from now. */
  private async giveBack(request: CallbackRequest, inMs: number, why: string): Promise<void> {
    const { db, owner, log } = this.options;
    await db.callbacks.release({
      id: request.id,
      owner,
      nextAttemptAt: new Date(this.clock.now() + inMs),
    });
    log.debug({ callback: request.id, why, inMs }, "callback request given back");
  }

  /**
   * Waits (abortably) until the queue's dial rate allows one more dial;
   * returns the permit, which `rateLimits.giveBack` takes back.
   */
  private async dialPermit(
    queueId: string,
    signal: AbortSignal,
  ): Promise<{ key: string; windowStartedAt: number }> {
    const { db, settings } = this.options;
    for (;;) {
      signal.throwIfAborted();
      const decision = await db.rateLimits.consume({
        key: dialRateKey(queueId),
        windowMs: DIAL_WINDOW_MS,
        max: settings.dialsPerMinute,
        now: this.date(),
      });
      if (decision.allowed) {
        return { key: dialRateKey(queueId), windowStartedAt: decision.windowStartedAt };
      }
      await sleep(this.clock, Math.max(50, decision.retryAfterMs), signal);
    }
  }

  /** Now, as the database is given it. */
  private date(): Date {
    return new Date(this.clock.now());
  }
}

/** Resolves once `signal` aborts. */
function abortedOf(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

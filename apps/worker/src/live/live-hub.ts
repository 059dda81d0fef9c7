import { type CallOutcome, type Clock, systemClock, type TimerHandle } from "@ringflow/core";
import type { AgentRegistry } from "@ringflow/core/agents";
import { isCallbackItemId } from "@ringflow/core/interpreter";
import {
  estimateWaitsMs,
  InMemoryLiveFeed,
  type LiveCaller,
  type LiveEvent,
  type LiveFeed,
  type LiveQueue,
  naiveWaitMs,
  recordHoldTime,
  updateHandleEwma,
} from "@ringflow/core/live";
import type { Queue, QueueEvent } from "@ringflow/core/queue";
import type { LiveCallerInfo, RedisLiveStore } from "@ringflow/core/redis";
import type { Db } from "@ringflow/db";
import type { Logger } from "../logger.js";

/** How long after the last handle-time sample the average is written to the database. */
const SAVE_HANDLE_MS = 2_000;

/** A served caller's estimate at entry beside their actual wait (for `bench:ewt` and logs). */
export interface ServedCaller {
  readonly queueId: string;
  readonly callUuid: string;
  readonly position: number | null;
  /** The estimate when they joined; `null` when none could be given. */
  readonly estimateMs: number | null;
  /** The seed's `position × average handle time` at the same moment, for comparison. */
  readonly naiveMs: number | null;
  readonly waitMs: number;
}

/** Options of {@link LiveHub}. */
export interface LiveHubOptions {
  readonly queue: Queue;
  readonly registry: AgentRegistry;
  readonly db: Pick<Db<unknown>, "queueStates" | "queues">;
  /** With Redis: where states are kept and events published; `null`: this process only. */
  readonly store: RedisLiveStore | null;
  /** With Redis: the feed every worker's states reach (served over HTTP too). */
  readonly sharedFeed: LiveFeed | null;
  readonly log: Logger;
  /** Told of every caller who got a slot, with the estimate they were given at entry. */
  readonly onServed?: (served: ServedCaller) => void;
  /** Stamps the events and times the handle-time saves (default `systemClock`). */
  readonly clock?: Clock;
}

interface LocalCaller extends LiveCallerInfo {
  readonly queueId: string;
  position: number | null;
  naiveMs: number | null;
  /** Got a slot once already (only the first stay's wait is set against the estimate). */
  served: boolean;
}

/**
 * The worker's side of the wall-board: turns its queue events and the agent
 * registry's events into `LiveEvent`s carrying the whole new state (read
 * from the shared backend, so a line shows every worker's callers), and
 * publishes them — through Redis when configured, else into the feed this
 * worker serves on `/live/*`. It also keeps what estimates need: each
 * queue's handle-time average (loaded from and saved to the database) and
 * its pause.
 */
export class LiveHub {
  private readonly local: InMemoryLiveFeed;
  private readonly callers = new Map<string, LocalCaller>();
  private readonly paused = new Set<string>();
  /** Holds about to end that served nobody: their hold times are left out of the averages. */
  private readonly unservedHolds = new Set<string>();
  private readonly names = new Map<string, string>();
  private readonly handle = new Map<
    string,
    { ewmaMs: number | null; samples: number; recentMs: readonly number[] }
  >();
  private readonly refreshing = new Map<string, { again: boolean; done: Promise<void> }>();
  private readonly saveTimers = new Map<string, TimerHandle>();
  private readonly clock: Clock;
  private stops: Array<() => void> = [];

  constructor(private readonly options: LiveHubOptions) {
    this.clock = options.clock ?? systemClock;
    this.local = new InMemoryLiveFeed({ now: () => this.clock.now() });
  }

  /** What this worker serves on `/live/snapshot` and `/live/events`. */
  get feed(): LiveFeed {
    return this.options.sharedFeed ?? this.local;
  }

  /**
   * Loads pauses, names, slot limits and handle times, applies the pauses
   * and limits, publishes every agent and known queue, then follows changes.
   * A queue's saved Max concurrent (the admin's Queues page) is its limit
   * from the start; a flow's queue step sets one only for a queue with no
   * saved settings (its `maxConcurrent` is recorded by the first call).
   */
  async start(): Promise<void> {
    const { db, queue, registry } = this.options;
    const [states, configs] = await Promise.all([db.queueStates.list(), db.queues.list()]);
    for (const config of configs) {
      this.names.set(config.id, config.name);
      await queue.configure(config.id, { maxConcurrent: config.maxConcurrent });
    }
    for (const state of states) {
      this.handle.set(state.queueId, {
        ewmaMs: state.handleEwmaMs,
        samples: state.handleSamples,
        recentMs: state.recentHandleMs,
      });
      if (state.paused) {
        this.paused.add(state.queueId);
        await queue.setPaused(state.queueId, true);
      }
    }
    this.stops.push(queue.events.onAny((event) => this.onQueueEvent(event)));
    this.stops.push(
      await registry.subscribe((event) => {
        void this.refreshAgent(event.agentId);
      }),
    );
    for (const agent of await registry.list()) {
      this.publish({ type: "agent", agent: { ...agent, at: this.clock.now() } });
    }
    const queueIds = new Set([...this.names.keys(), ...states.map((s) => s.queueId)]);
    await Promise.all([...queueIds].map((id) => this.refreshQueue(id)));
  }

  /**
   * A call of this worker joined a queue (its `enqueued` progress): what the
   * board shows of it. Resolves with the estimate the caller was given on
   * joining (the one {@link LiveHubOptions.onServed} reports and the call
   * record keeps), or `null` when none could be told (a slot at once, no
   * handle time yet, a paused queue). Never rejects.
   */
  async callerJoined(
    callUuid: string,
    info: { queueId: string; callerNumber: string | null; vip: boolean },
  ): Promise<number | null> {
    const existing = this.callers.get(callUuid);
    // Back in the same line (after ringing nobody): it keeps its first estimate.
    const caller: LocalCaller = {
      queueId: info.queueId,
      callerNumber: info.callerNumber,
      vip: info.vip,
      estimateMs: existing?.queueId === info.queueId ? existing.estimateMs : null,
      position: existing?.queueId === info.queueId ? existing.position : null,
      naiveMs: existing?.queueId === info.queueId ? existing.naiveMs : null,
      served: existing?.queueId === info.queueId ? existing.served : false,
    };
    this.callers.set(callUuid, caller);
    await this.refreshQueue(info.queueId, callUuid);
    const joined = this.callers.get(callUuid);
    return joined?.queueId === info.queueId ? joined.estimateMs : null;
  }

  /** A call of this worker that had been in `queueId` ended. */
  callEnded(end: {
    queueId: string;
    callUuid: string;
    outcome: CallOutcome;
    waitMs: number;
  }): void {
    this.forget(end.callUuid);
    this.publish({ type: "callEnded", ...end, at: this.clock.now() });
  }

  /**
   * The slot `itemId` holds (a callback request's) is about to be given
   * back having served nobody — no agent answered, or the customer was not
   * reached: its hold time is not a handle time, and would pull the
   * queue's average, and so every estimate, down.
   */
  holdServedNobody(itemId: string): void {
    this.unservedHolds.add(itemId);
  }

  /** An entry of this worker's that is no call (a callback request) left its line and slot. */
  callerLeft(itemId: string): void {
    // Its slot's release has been counted (or skipped) by now.
    this.unservedHolds.delete(itemId);
    this.forget(itemId);
  }

  /** A callback request of `queueId` was stored, completed or failed (boards refresh their counts). */
  callbacksChanged(queueId: string): void {
    this.publish({ type: "callbacksChanged", queueId, at: this.clock.now() });
  }

  /** Pauses or resumes a queue (a `setQueuePaused` command; the database already holds it). */
  async setPaused(queueId: string, paused: boolean): Promise<void> {
    if (paused) this.paused.add(queueId);
    else this.paused.delete(queueId);
    await this.options.queue.setPaused(queueId, paused);
    await this.refreshQueue(queueId);
  }

  /**
   * Sets a queue's slot limit (a `setQueueLimit` command: its Max concurrent
   * was saved). A raised limit lets waiters in at once, in order; a lowered
   * one lets current holders finish.
   */
  async setLimit(queueId: string, maxConcurrent: number): Promise<void> {
    await this.options.queue.configure(queueId, { maxConcurrent });
    await this.refreshQueue(queueId);
  }

  isPaused(queueId: string): boolean {
    return this.paused.has(queueId);
  }

  /** The estimated wait of a waiting caller now (for announcements); `null` if none can be told. */
  async estimate(queueId: string, callUuid: string): Promise<number | null> {
    const snapshot = await this.options.queue.snapshot(queueId);
    const waiter = snapshot.waiters.find((w) => w.itemId === callUuid);
    if (!waiter) return null;
    return this.estimatesAt(queueId, waiter.position, snapshot)?.[waiter.position - 1] ?? null;
  }

  /** The handle-time average of a queue, ms (`null` before its first call). */
  handleTimeMs(queueId: string): number | null {
    return this.handle.get(queueId)?.ewmaMs ?? null;
  }

  /** Stops following changes and writes pending averages. */
  async stop(): Promise<void> {
    for (const stop of this.stops.splice(0)) stop();
    const pending = [...this.saveTimers.keys()];
    for (const timer of this.saveTimers.values()) timer.cancel();
    this.saveTimers.clear();
    await Promise.all(pending.map((id) => this.saveHandle(id)));
    await Promise.all([...this.refreshing.values()].map((r) => r.done));
    await this.local.close();
  }

  private onQueueEvent(event: QueueEvent): void {
    switch (event.type) {
      case "acquired": {
        void this.options.store?.removeCaller(event.itemId).catch(() => undefined);
        const caller = this.callers.get(event.itemId);
        if (!caller || caller.served) break;
        caller.served = true;
        this.options.onServed?.({
          queueId: event.queueId,
          callUuid: event.itemId,
          position: caller?.position ?? null,
          estimateMs: caller?.estimateMs ?? null,
          naiveMs: caller?.naiveMs ?? null,
          waitMs: event.waitMs,
        });
        this.options.log.debug(
          {
            queueId: event.queueId,
            callUuid: event.itemId,
            estimateMs: caller?.estimateMs,
            waitMs: event.waitMs,
          },
          "caller served",
        );
        break;
      }
      case "released": {
        if (this.unservedHolds.delete(event.itemId)) break;
        const previous = this.handle.get(event.queueId) ?? {
          ewmaMs: null,
          samples: 0,
          recentMs: [],
        };
        this.handle.set(event.queueId, {
          ...updateHandleEwma(previous, event.heldMs),
          recentMs: recordHoldTime(previous.recentMs, event.heldMs),
        });
        this.scheduleSave(event.queueId);
        break;
      }
      case "timeout":
      case "abandoned":
        void this.options.store?.removeCaller(event.itemId).catch(() => undefined);
        break;
      default:
        break;
    }
    if (event.type === "released") {
      // The queue tells of a release before its backend frees the slot (so
      // the next holder's acquire comes after it): read the line once the
      // release has gone through, or the board keeps showing the slot held.
      setImmediate(() => void this.refreshQueue(event.queueId));
    } else {
      void this.refreshQueue(event.queueId);
    }
  }

  private forget(callUuid: string): void {
    if (!this.callers.delete(callUuid)) return;
    void this.options.store?.removeCaller(callUuid).catch(() => undefined);
  }

  /** Publishes the queue's state now; runs coalesce (one more run if asked while one runs). */
  private refreshQueue(queueId: string, joined?: string): Promise<void> {
    const running = this.refreshing.get(queueId);
    if (running && joined === undefined) {
      running.again = true;
      return running.done;
    }
    const entry = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      if (running) await running.done;
      do {
        entry.again = false;
        try {
          await this.publishQueue(queueId, joined);
        } catch (error) {
          this.options.log.warn({ err: error, queueId }, "could not publish a queue's live state");
        }
        joined = undefined;
      } while (entry.again);
      if (this.refreshing.get(queueId) === entry) this.refreshing.delete(queueId);
    })();
    this.refreshing.set(queueId, entry);
    return entry.done;
  }

  private async publishQueue(queueId: string, joined: string | undefined): Promise<void> {
    const { queue, store } = this.options;
    const snapshot = await queue.snapshot(queueId);
    const waiting: LiveCaller[] = [];
    const missing = snapshot.waiters
      .filter((w) => !this.callers.has(w.itemId))
      .map((w) => w.itemId);
    const shared = store ? await store.callers(missing) : [];
    const sharedInfo = new Map(missing.map((uuid, i) => [uuid, shared[i] ?? null]));
    const deepest = snapshot.waiters.reduce((most, w) => Math.max(most, w.position), 0);
    const estimates = this.estimatesAt(queueId, deepest, snapshot);
    for (const waiter of snapshot.waiters) {
      const estimateMs = estimates?.[waiter.position - 1] ?? null;
      const mine = this.callers.get(waiter.itemId);
      if (mine) {
        if (waiter.itemId === joined && mine.estimateMs === null) {
          const handleMs = this.handle.get(queueId)?.ewmaMs ?? null;
          this.callers.set(waiter.itemId, {
            ...mine,
            estimateMs,
            position: waiter.position,
            naiveMs: handleMs === null ? null : naiveWaitMs(waiter.position, handleMs),
          });
          if (store) {
            await store.putCaller(waiter.itemId, {
              callerNumber: mine.callerNumber,
              vip: mine.vip,
              estimateMs,
            });
          }
        }
      }
      const info = mine ?? sharedInfo.get(waiter.itemId) ?? null;
      waiting.push({
        callUuid: waiter.itemId,
        callerNumber: info?.callerNumber ?? null,
        priority: waiter.priority,
        vip: info?.vip ?? false,
        callback: isCallbackItemId(waiter.itemId),
        position: waiter.position,
        enqueuedAt: waiter.enqueuedAt,
        estimateMs,
      });
    }
    const live: LiveQueue = {
      queueId,
      name: this.names.get(queueId) ?? null,
      paused: this.paused.has(queueId),
      maxConcurrent: snapshot.maxConcurrent,
      inSlot: snapshot.holders.length,
      waiting,
      at: snapshot.at,
    };
    this.publish({ type: "queue", queue: live });
  }

  /** The estimates of places 1 to `positions` in `queueId`'s line as `snapshot` shows it (one pass). */
  private estimatesAt(
    queueId: string,
    positions: number,
    snapshot: {
      readonly holders: readonly { readonly since: number }[];
      readonly maxConcurrent: number | null;
      readonly at: number;
    },
  ): number[] | null {
    const figures = this.handle.get(queueId);
    if (!figures || figures.ewmaMs === null || positions < 1) return null;
    return estimateWaitsMs({
      positions,
      maxConcurrent: snapshot.maxConcurrent ?? 1,
      agents: null,
      handleMs: figures.ewmaMs,
      heldMs: snapshot.holders.map((h) => Math.max(0, snapshot.at - h.since)),
      recentHoldMs: figures.recentMs,
      paused: this.paused.has(queueId),
    });
  }

  private async refreshAgent(agentId: string): Promise<void> {
    try {
      const agent = await this.options.registry.get(agentId);
      const at = this.clock.now();
      this.publish(
        agent ? { type: "agent", agent: { ...agent, at } } : { type: "agentRemoved", agentId, at },
      );
    } catch (error) {
      this.options.log.warn({ err: error, agentId }, "could not publish an agent's live state");
    }
  }

  private publish(event: LiveEvent): void {
    const { store, log } = this.options;
    if (!store) {
      this.local.publish(event);
      return;
    }
    store
      .publish(event)
      .catch((error: unknown) => log.warn({ err: error }, "could not publish a live event"));
  }

  private scheduleSave(queueId: string): void {
    this.saveTimers.get(queueId)?.cancel();
    const timer = this.clock.setTimeout(() => {
      this.saveTimers.delete(queueId);
      void this.saveHandle(queueId);
    }, SAVE_HANDLE_MS);
    this.saveTimers.set(queueId, timer);
  }

  private async saveHandle(queueId: string): Promise<void> {
    const figures = this.handle.get(queueId);
    if (!figures || figures.ewmaMs === null) return;
    try {
      await this.options.db.queueStates.saveHandleTime(queueId, {
        ewmaMs: figures.ewmaMs,
        samples: figures.samples,
        recentMs: figures.recentMs,
      });
    } catch (error) {
      this.options.log.warn({ err: error, queueId }, "could not store a queue's handle time");
    }
  }
}

import { randomBytes } from "node:crypto";
import { type Clock, sleep, type TimerHandle } from "../../clock.js";
import {
  type EnqueueRequest,
  HOLD_TIME_SAMPLES,
  type QueueBackend,
  type QueueConfig,
  type QueueSnapshot,
  type QueueTicket,
  type WaitStats,
} from "../backend.js";
import { QueueBackendError, QueueDuplicateItemError, QueueFullError } from "../errors.js";
import { type QueueScripts, queueScripts } from "./lua-script.js";
import { type RedisBackendOptions, resolveRedisBackendOptions } from "./redis-backend-options.js";
import { epochKey, grantChannelPrefix, KEY, queueKeys, registryKey } from "./redis-keys.js";
import { RedisLink } from "./redis-link.js";
import { OutageWatch } from "./redis-outage.js";
import { RedisEpoch, restoreEntries } from "./redis-recovery.js";
import {
  claimReply,
  enqueueReply,
  heartbeatReply,
  parseSnapshot,
  parseWaitStats,
  removeOwnReply,
} from "./redis-replies.js";
import { RedisTicket } from "./redis-ticket.js";

export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_KEY_PREFIX,
  DEFAULT_LEASE_MS,
  DEFAULT_LIVENESS_MS,
  DEFAULT_OUTAGE_GRACE_MS,
  DEFAULT_REDIS_URL,
  type RedisBackendOptions,
} from "./redis-backend-options.js";

/**
 * Queue state in Redis, shared by every process that uses the same Redis and
 * key prefix: one line and one slot limit per queue, whichever process an
 * entry comes from.
 *
 * Every multi-key change is one Lua script (see `lua/`); when a slot frees,
 * the script itself grants it to the next waiter and publishes that on the
 * waiter's process channel, so only that process wakes. Each entry has a
 * lease that this process's heartbeat renews (one script call per queue per
 * beat); entries of a process that died expire and are reclaimed by the next
 * operation on their queue or by the periodic sweep.
 *
 * When Redis is unreachable, operations wait up to `connectTimeoutMs` for it
 * and then reject with `QueueBackendError`, as do waiting entries; the
 * backend reconnects by itself and, once back, re-checks its waiting entries
 * (a grant published while it was away is not lost) and removes what it
 * could not remove before.
 */
export class RedisBackend implements QueueBackend {
  readonly clock: Clock;
  /** The Redis URL without its password. */
  readonly url: string;
  /**
   * Random id of this backend in Redis: its entries' owner, its grant
   * channel, and its connections' names (`ringflow-queue[-sub]:<id>` in CLIENT LIST).
   */
  readonly instanceId = randomBytes(8).toString("hex");
  private readonly prefix: string;
  private readonly channelPrefix: string;
  private readonly leaseMs: number;
  private readonly livenessMs: number;
  private readonly onError: (error: QueueBackendError) => void;
  private readonly link: RedisLink;
  private readonly outage: OutageWatch;
  private readonly scripts: QueueScripts = queueScripts();
  private readonly keyCache = new Map<string, string[]>();

  private nextTicket = 0;
  /** Live entries by ticket id (the grant messages' key). */
  private readonly tickets = new Map<string, RedisTicket>();
  /** Live entries by queue and item id (duplicates, heartbeats). */
  private readonly byQueue = new Map<string, Map<string, RedisTicket>>();
  /** Entries gone here that Redis may still hold: removed once it answers. */
  private readonly orphans = new Map<string, RedisTicket>();
  private readonly registered = new Set<string>();
  /**
   * When this process last told Redis it is alive in each queue (enqueue or
   * the liveness beat): an enqueue within a liveness beat of it need not say
   * it again.
   */
  private readonly aliveSaid = new Map<string, number>();
  private readonly epoch: RedisEpoch;

  private heartbeatTimer: TimerHandle | undefined;
  private livenessTimer: TimerHandle | undefined;
  private ticking = false;
  private tickAgain = false;
  private lastSweep = Number.NEGATIVE_INFINITY;
  /** Reconnected: check the epoch and put entries back before the next beat. */
  private recoveryDue = false;
  /** Redis lost its data and the entries are not all back yet. */
  private dataLost = false;
  /** When the last heartbeat that renewed every lease began (host time): no lease ends before it + leaseMs. */
  private confirmedAt = Date.now();
  private lapseTimer: ReturnType<typeof setTimeout> | undefined;
  private closing: Promise<void> | undefined;

  /** @throws RangeError an option is out of range (checked before anything connects). */
  constructor(options: RedisBackendOptions = {}) {
    const settings = resolveRedisBackendOptions(options);
    this.prefix = settings.keyPrefix;
    this.channelPrefix = grantChannelPrefix(this.prefix);
    this.clock = settings.clock;
    this.leaseMs = settings.leaseMs;
    this.livenessMs = settings.livenessMs;
    this.onError = settings.onError;
    this.outage = new OutageWatch({
      graceMs: settings.outageGraceMs,
      onChange: (change) => {
        if (change.state === "down") this.watchLapse();
        else clearTimeout(this.lapseTimer);
        settings.onOutage(change);
      },
      onGraceOver: (error) => this.failWaiting(error),
    });
    this.link = new RedisLink({
      url: settings.url,
      instanceId: this.instanceId,
      channel: `${this.channelPrefix}${this.instanceId}`,
      connectTimeoutMs: settings.connectTimeoutMs,
      commandTimeoutMs: settings.commandTimeoutMs,
      onMessage: (ticketId) => this.onGranted(ticketId),
      // Re-check every entry now: Redis may have lost them, a grant published
      // while the subscriber was away was lost, and what could not be
      // removed can be removed now.
      onUp: () => {
        // Redis may have lost what this process said: say it with the next enqueue.
        this.aliveSaid.clear();
        this.recoveryDue = true;
        void this.tick();
      },
      onDown: (error) => this.outage.down(error),
    });
    this.url = this.link.url;
    this.epoch = new RedisEpoch(epochKey(this.prefix));
    this.scheduleHeartbeat();
    this.scheduleLiveness();
  }

  /**
   * Resolves once both connections are up (the subscription confirmed),
   * however long Redis takes to answer; rejects only when the backend is
   * closed or `signal` aborts.
   */
  ready(signal?: AbortSignal): Promise<void> {
    return this.link.whenUp(signal);
  }

  async enqueue(request: EnqueueRequest): Promise<QueueTicket> {
    if (!this.link.isUp) await this.link.untilUp();
    const { queueId, itemId } = request;
    if (this.byQueue.get(queueId)?.has(itemId)) throw new QueueDuplicateItemError(queueId, itemId);
    const now = this.now();
    const enqueuedAt = Math.min(now, Math.floor(request.requestedAt));
    const ticket = new RedisTicket(
      this,
      queueId,
      itemId,
      String(++this.nextTicket),
      enqueuedAt,
      request.maxConcurrent,
    );
    this.track(ticket);
    // A call handed on by the switch when its worker died can arrive while
    // that worker still counts as alive: wait for it to stop, then take over.
    const handoverDeadline = now + 2 * this.livenessMs + 500;
    let reply: ReturnType<typeof enqueueReply.parse>;
    let at = now;
    for (;;) {
      try {
        reply = await this.runEnqueue(ticket, request, at);
      } catch (error) {
        // The entry may be in line even though the reply was lost.
        this.untrack(ticket);
        this.orphan(ticket);
        throw this.link.failure(error, "enqueue");
      }
      if (ticket.state === "gone") throw this.link.closedError();
      if (reply[0] !== -3 || reply.length !== 2) break;
      const retryAt = reply[1] + 1;
      if (retryAt > handoverDeadline) {
        reply = [-1];
        break;
      }
      await sleep(this.clock, Math.max(1, retryAt - this.now()));
      at = this.now();
    }
    if (reply.length === 1) {
      const [status] = reply;
      if (status === 1) {
        ticket.markGranted(at);
        return ticket;
      }
      this.untrack(ticket);
      ticket.state = "gone";
      if (status === -1) throw new QueueDuplicateItemError(queueId, itemId);
      throw new QueueFullError(queueId, itemId, request.maxWaiting ?? 0);
    }
    const [, position, score] = reply;
    ticket.position = position;
    ticket.score = score;
    ticket.state = "waiting";
    // Granted outright by one of this process's own releases: nothing to claim.
    if (ticket.heldEarly) ticket.markGranted(this.now());
    else if (ticket.grantedEarly) this.claim(ticket);
    return ticket;
  }

  private async runEnqueue(
    ticket: RedisTicket,
    request: EnqueueRequest,
    now: number,
  ): Promise<ReturnType<typeof enqueueReply.parse>> {
    const { queueId } = ticket;
    const sayAlive = !(
      (this.aliveSaid.get(queueId) ?? Number.NEGATIVE_INFINITY) >
      now - this.livenessMs / 4
    );
    const [raw] = await Promise.all([
      this.scripts.enqueue.run(this.link.commands, this.keys(queueId), [
        now,
        this.channelPrefix,
        ticket.itemId,
        this.instanceId,
        ticket.id,
        request.priority,
        request.maxConcurrent,
        request.maxWaiting ?? -1,
        now + this.leaseMs,
        ticket.enqueuedAt,
        sayAlive ? now + this.livenessMs : "",
        request.keepsPlace ? 1 : 0,
      ]),
      this.register(queueId),
    ]);
    if (sayAlive) this.aliveSaid.set(queueId, now);
    return enqueueReply.parse(raw);
  }

  /** @internal Removes an entry for its ticket; see `QueueTicket.cancel` and `release`. */
  async remove(ticket: RedisTicket, release: boolean): Promise<void> {
    if (ticket.state === "gone") return;
    // Stop renewing its lease first: if Redis cannot be told, the lease still runs out.
    ticket.state = "gone";
    this.untrack(ticket);
    try {
      if (!this.link.isUp) {
        // A caller leaving the line need not wait out an outage: Redis is
        // told once it answers again (or the lease runs out).
        if (!release) {
          this.orphans.set(ticket.id, ticket);
          return;
        }
        await this.link.untilUp();
      }
      await this.runRemove(ticket, release);
    } catch (error) {
      this.orphan(ticket);
      if (release) throw this.link.failure(error, "release");
    }
  }

  /**
   * Remembers an entry Redis may still hold, to remove it once Redis
   * answers; tries at once if Redis is up (the failure may have been the
   * command's, not the connection's).
   */
  private orphan(ticket: RedisTicket): void {
    this.orphans.set(ticket.id, ticket);
    if (this.link.isUp) this.runRemove(ticket, false).catch(() => {});
  }

  async position(queueId: string, itemId: string): Promise<number | null> {
    if (!this.link.isUp) await this.link.untilUp();
    try {
      const rank = await this.link.commands.zrank(this.key(queueId, KEY.waiting), itemId);
      return rank === null ? null : rank + 1;
    } catch (error) {
      throw this.link.failure(error, "position");
    }
  }

  async waitStats(queueId: string, itemId: string): Promise<WaitStats | null> {
    if (!this.link.isUp) await this.link.untilUp();
    try {
      const replies = await this.link.commands
        .multi()
        .zrank(this.key(queueId, KEY.waiting), itemId)
        .hget(this.key(queueId, KEY.meta), "max")
        .hget(this.key(queueId, KEY.meta), "holdSum")
        .llen(this.key(queueId, KEY.holdTimes))
        .exec();
      return parseWaitStats(replies);
    } catch (error) {
      throw this.link.failure(error, "waitStats");
    }
  }

  async snapshot(queueId: string): Promise<QueueSnapshot> {
    if (!this.link.isUp) await this.link.untilUp();
    const now = this.now();
    try {
      const raw = await this.scripts.snapshot.run(this.link.commands, this.keys(queueId), [
        now,
        this.channelPrefix,
      ]);
      return parseSnapshot(queueId, now, raw);
    } catch (error) {
      throw this.link.failure(error, "snapshot");
    }
  }

  /**
   * Pauses or resumes `queueId` for every process (a `paused` field of the
   * queue's meta hash, honoured by every grant). Not kept through a Redis
   * that loses its data: the worker sets it again from the database.
   */
  async setPaused(queueId: string, paused: boolean): Promise<void> {
    if (!this.link.isUp) await this.link.untilUp();
    try {
      await Promise.all([
        this.scripts.setPaused.run(this.link.commands, this.keys(queueId), [
          this.now(),
          this.channelPrefix,
          paused ? "1" : "0",
        ]),
        this.register(queueId),
      ]);
    } catch (error) {
      throw this.link.failure(error, "setPaused");
    }
  }

  async configure(queueId: string, config: QueueConfig): Promise<void> {
    if (!this.link.isUp) await this.link.untilUp();
    try {
      await Promise.all([
        this.scripts.configure.run(this.link.commands, this.keys(queueId), [
          this.now(),
          this.channelPrefix,
          config.maxConcurrent,
        ]),
        this.register(queueId),
      ]);
    } catch (error) {
      throw this.link.failure(error, "configure");
    }
  }

  /**
   * Fails this process's waiting entries, gives back its slots, and closes
   * both connections. Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    const wasUp = this.link.isUp;
    this.heartbeatTimer?.cancel();
    this.livenessTimer?.cancel();
    this.outage.close();
    clearTimeout(this.lapseTimer);
    const error = this.link.closedError();
    for (const ticket of [...this.tickets.values()]) {
      this.untrack(ticket);
      this.orphans.set(ticket.id, ticket);
      ticket.fail(error);
    }
    if (wasUp) {
      await Promise.allSettled([...this.orphans.values()].map((t) => this.runRemove(t, false)));
    }
    await this.link.close();
  }

  private async runRemove(ticket: RedisTicket, release: boolean): Promise<void> {
    const raw = await this.scripts.remove.run(this.link.commands, this.keys(ticket.queueId), [
      this.now(),
      this.channelPrefix,
      ticket.itemId,
      this.instanceId,
      ticket.id,
      release ? 1 : 0,
      HOLD_TIME_SAMPLES,
      1,
    ]);
    const [, ...granted] = removeOwnReply.parse(raw);
    this.orphans.delete(ticket.id);
    // Slots it freed that went to this process's own waiters: theirs now,
    // with no grant message and no claim (this process is alive: it asked).
    for (const id of granted) {
      const next = this.tickets.get(id);
      if (next?.state === "waiting") next.markGranted(this.now());
      // Its enqueue reply is still to come: the slot is its own once it does.
      else if (next?.state === "joining") next.heldEarly = true;
    }
  }

  /** A grant published for one of this process's entries. */
  private onGranted(ticketId: string): void {
    // The message is only ever used as a map key: unknown or stale ids find nothing.
    const ticket = this.tickets.get(ticketId);
    if (!ticket) return;
    if (ticket.state === "joining") ticket.grantedEarly = true;
    else if (ticket.state === "waiting") this.claim(ticket);
  }

  /**
   * Claims a slot granted to a waiting entry: until then it is an offer that
   * Redis takes back if this process stops being alive, so a process killed
   * as its grant was published never keeps the slot for a whole lease. A
   * claim that fails is settled by the next heartbeat (which claims too).
   */
  private claim(ticket: RedisTicket): void {
    if (ticket.claiming) return;
    ticket.claiming = true;
    const now = this.now();
    this.scripts.claim
      .run(this.link.commands, this.keys(ticket.queueId), [
        now,
        this.channelPrefix,
        ticket.itemId,
        this.instanceId,
        ticket.id,
        now + this.livenessMs,
      ])
      .then(
        (raw) => {
          ticket.claiming = false;
          if (ticket.state !== "waiting") return;
          const state = claimReply.parse(raw);
          // 1: the offer was taken back while this process was silent; it keeps its place.
          if (state === 2) ticket.markGranted(this.now());
          else if (state === 0) this.lose(ticket, "its lease ran out");
        },
        () => {
          ticket.claiming = false;
        },
      );
  }

  /**
   * Fencing: while Redis does not answer, this process's leases run out
   * unseen, and another process may be granted their slots. Just before the
   * earliest could (the last confirmed heartbeat + the lease, less a margin
   * for clocks and the network), every holder is told its slot is lost;
   * those slots are not put back when Redis returns. Waiters keep their
   * places (the outage grace decides for them).
   */
  private watchLapse(): void {
    clearTimeout(this.lapseTimer);
    const margin = Math.min(1_000, Math.floor(this.leaseMs / 10));
    const lapsesAt = this.confirmedAt + this.leaseMs - margin;
    this.lapseTimer = setTimeout(
      () => {
        if (!this.outage.active) return;
        for (const ticket of [...this.tickets.values()]) {
          if (ticket.state !== "holding") continue;
          this.lose(
            ticket,
            `its lease may have run out while Redis at ${this.url} did not answer (last renewed ${new Date(this.confirmedAt).toISOString()})`,
          );
          this.orphans.set(ticket.id, ticket);
        }
      },
      Math.max(0, lapsesAt - Date.now()),
    );
    this.lapseTimer.unref();
  }

  /** Redis stayed away past the grace: waiting entries fail rather than hang (removed once Redis is back). */
  private failWaiting(error: QueueBackendError): void {
    for (const ticket of [...this.tickets.values()]) {
      if (ticket.state !== "waiting") continue;
      this.untrack(ticket);
      this.orphans.set(ticket.id, ticket);
      ticket.fail(error);
    }
  }

  private scheduleHeartbeat(): void {
    this.heartbeatTimer = this.clock.setTimeout(
      () => {
        this.scheduleHeartbeat();
        void this.tick();
      },
      Math.max(1, Math.floor(this.leaseMs / 3)),
    );
  }

  /**
   * Says this process is alive in every queue it has entries in, every
   * quarter of `livenessMs`. Failures need no report: the heartbeat notices
   * an outage, and a missed renewal only delays this process's grants.
   */
  private scheduleLiveness(): void {
    this.livenessTimer = this.clock.setTimeout(
      () => {
        this.scheduleLiveness();
        if (!this.link.isUp) return;
        const now = this.now();
        for (const queueId of this.byQueue.keys()) {
          this.scripts.alive
            .run(this.link.commands, this.keys(queueId), [
              now,
              this.channelPrefix,
              this.instanceId,
              now + this.livenessMs,
            ])
            .then(
              () => this.aliveSaid.set(queueId, now),
              () => {},
            );
        }
      },
      Math.max(1, Math.floor(this.livenessMs / 4)),
    );
  }

  /**
   * Once Redis answers again: if it lost its data (the epoch changed) or
   * this process was cut off, puts back the entries it still holds (see
   * `restore.lua`), then beats. Entries Redis cannot take back fail.
   */
  private async recover(): Promise<void> {
    if (await this.epoch.lost(this.link.commands)) {
      this.dataLost = true;
      this.registered.clear();
      this.outage.noteDataLost();
    }
    if (this.dataLost || this.outage.active) await this.restore(this.dataLost);
    this.dataLost = false;
  }

  private async restore(dataLost: boolean): Promise<void> {
    const entries = [...this.tickets.values()].filter(
      (t) => t.state === "waiting" || t.state === "holding",
    );
    if (entries.length === 0) return;
    const queueIds = new Set(entries.map((entry) => entry.queueId));
    const results = await restoreEntries(
      {
        redis: this.link.commands,
        script: this.scripts.restore,
        owner: this.instanceId,
        channelPrefix: this.channelPrefix,
        leaseMs: this.leaseMs,
        livenessMs: this.livenessMs,
        restoreWindowMs: Math.max(1_000, this.livenessMs),
        keys: (queueId) => this.keys(queueId),
        now: () => this.now(),
      },
      entries,
      dataLost,
    );
    await Promise.all([...queueIds].map((queueId) => this.register(queueId)));
    const why = dataLost
      ? `Redis at ${this.url} lost its data (restarted empty?) and the slot was taken meanwhile`
      : `it was reclaimed while this process was cut off from Redis at ${this.url}`;
    for (const { entry, state } of results) {
      if (state === 0) this.lose(entry, why);
      else if (state === 3 && entry.state === "waiting") entry.markGranted(this.now());
      else if (state === 2 && entry.state === "waiting") this.claim(entry);
    }
  }

  /** One heartbeat; if one is running, runs another right after it. */
  private async tick(): Promise<void> {
    if (this.ticking) {
      this.tickAgain = true;
      return;
    }
    this.ticking = true;
    let startedAt = Date.now();
    try {
      do {
        this.tickAgain = false;
        if (!this.link.isUp) return;
        startedAt = Date.now();
        // A recovery that fails is tried again by the next beat, before it.
        if (this.recoveryDue) {
          await this.recover();
          this.recoveryDue = false;
        }
        await this.heartbeat();
        this.confirmedAt = startedAt;
        this.outage.up();
      } while (this.tickAgain);
    } catch (error) {
      const failure = this.link.failure(error, "heartbeat");
      // Connected but no reply in time: Redis is stalled, an outage all the same.
      this.outage.down(failure, startedAt);
      this.onError(failure);
    } finally {
      this.ticking = false;
    }
  }

  private async heartbeat(): Promise<void> {
    const now = this.now();
    const work: Promise<void>[] = [];
    for (const [queueId, items] of this.byQueue) {
      work.push(this.beat(queueId, [...items.values()], now));
    }
    for (const orphan of this.orphans.values()) work.push(this.runRemove(orphan, false));
    // Only a reply proves an outage over, even when there is nothing to renew.
    if (this.outage.active) work.push(this.link.commands.ping().then(() => {}));
    // Every third beat: beats come every floor(leaseMs / 3), so three of them
    // can add up to a little less than leaseMs.
    if (now - this.lastSweep >= this.leaseMs - this.leaseMs / 6) {
      this.lastSweep = now;
      work.push(this.sweep(now));
    }
    // Every command settles before the beat ends, each with a handler: a
    // slow Redis times them all out at once, and none may go unhandled.
    await settleAll(work);
  }

  /** Beats every queue under the prefix that this process has no entry in (reclaiming expired ones). */
  private async sweep(now: number): Promise<void> {
    const queueIds = await this.link.commands.smembers(registryKey(this.prefix));
    const beats = queueIds
      .filter((queueId) => !this.byQueue.has(queueId))
      .map((queueId) => this.beat(queueId, [], now));
    await settleAll(beats);
  }

  /** Renews one queue's leases of this process, and acts on what Redis says of each entry. */
  private async beat(queueId: string, entries: RedisTicket[], now: number): Promise<void> {
    const args: (string | number)[] = [
      now,
      this.channelPrefix,
      this.instanceId,
      now + this.leaseMs,
    ];
    for (const entry of entries) args.push(entry.itemId, entry.id);
    const raw = await this.scripts.heartbeat.run(this.link.commands, this.keys(queueId), args);
    const states = heartbeatReply.parse(raw);
    entries.forEach((entry, index) => {
      const state = states[index];
      if (entry.state === "waiting" && state === 2) {
        entry.markGranted(this.now());
      } else if (state === 0) {
        this.lose(
          entry,
          `its lease ran out (process stalled or cut off from Redis at ${this.url})`,
        );
      }
    });
  }

  /** Redis no longer has a waiting or holding entry: it fails (a lost slot is also reported). */
  private lose(entry: RedisTicket, why: string): void {
    if (entry.state !== "waiting" && entry.state !== "holding") return;
    const lost = new QueueBackendError(
      `${entry.itemId} lost its ${entry.state === "waiting" ? "place" : "slot"} in queue "${entry.queueId}": ${why}`,
    );
    this.untrack(entry);
    if (entry.state === "holding") this.onError(lost);
    entry.fail(lost);
  }

  private register(queueId: string): Promise<unknown> | undefined {
    if (this.registered.has(queueId)) return undefined;
    this.registered.add(queueId);
    return this.link.commands.sadd(registryKey(this.prefix), queueId).catch((error: unknown) => {
      this.registered.delete(queueId);
      throw error;
    });
  }

  private track(ticket: RedisTicket): void {
    this.tickets.set(ticket.id, ticket);
    let items = this.byQueue.get(ticket.queueId);
    if (!items) {
      items = new Map();
      this.byQueue.set(ticket.queueId, items);
    }
    items.set(ticket.itemId, ticket);
  }

  private untrack(ticket: RedisTicket): void {
    this.tickets.delete(ticket.id);
    const items = this.byQueue.get(ticket.queueId);
    if (items?.get(ticket.itemId) !== ticket) return;
    items.delete(ticket.itemId);
    if (items.size === 0) this.byQueue.delete(ticket.queueId);
  }

  private keys(queueId: string): string[] {
    let keys = this.keyCache.get(queueId);
    if (!keys) {
      keys = queueKeys(this.prefix, queueId);
      this.keyCache.set(queueId, keys);
    }
    return keys;
  }

  private key(queueId: string, index: number): string {
    return this.keys(queueId)[index] as string;
  }

  private now(): number {
    return Math.floor(this.clock.now());
  }
}

/** Waits for every promise to settle (each has a handler), then rejects with the first failure. */
async function settleAll(work: readonly Promise<unknown>[]): Promise<void> {
  const failed = (await Promise.allSettled(work)).find((r) => r.status === "rejected");
  if (failed) throw failed.reason;
}

import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { drive } from "../../../test/drive.js";
import { join } from "../../../test/join-queue.js";
import { describeQueueBehaviour } from "../../../test/queue-behaviour.js";
import { describeQueueInputChecks } from "../../../test/queue-input-behaviour.js";
import { deleteKeys, plainClient, redisUrl, uniquePrefix } from "../../../test/redis.js";
import { RedisRelay } from "../../../test/redis-relay.js";
import { freePort } from "../../../test/redis-server.js";
import type { Clock } from "../../clock.js";
import { ManualClock } from "../../testing/manual-clock.js";
import { QueueBackendError, QueueTimeoutError } from "../errors.js";
import { Queue } from "../queue.js";
import { RedisBackend, type RedisBackendOptions } from "./redis-backend.js";
import { queueKeys } from "./redis-keys.js";

const root = uniquePrefix("backend");
let next = 0;
const freshPrefix = () => `${root}${next++}:`;

// A lease far longer than any test advances its manual clock: leases have their own tests.
const behaviourBackend = (clock: Clock) =>
  new RedisBackend({ url: redisUrl, keyPrefix: freshPrefix(), clock, leaseMs: 3_600_000 });
describeQueueBehaviour("RedisBackend", behaviourBackend);
describeQueueInputChecks("RedisBackend", behaviourBackend);

afterAll(() => deleteKeys(root));

const opened: RedisBackend[] = [];
function backend(options: RedisBackendOptions): RedisBackend {
  const created = new RedisBackend({ url: redisUrl, ...options });
  opened.push(created);
  return created;
}

afterEach(async () => {
  await Promise.all(opened.splice(0).map((b) => b.close()));
});

describe("RedisBackend leases", () => {
  it("reclaims the slots and places of a process that stopped renewing them; the line moves on", async () => {
    const keyPrefix = freshPrefix();
    const stalledClock = new ManualClock();
    const liveClock = new ManualClock(stalledClock.now());
    const lost: QueueBackendError[] = [];
    const stalled = new Queue(
      backend({ keyPrefix, clock: stalledClock, leaseMs: 1000, onError: (e) => lost.push(e) }),
    );
    const live = new Queue(backend({ keyPrefix, clock: liveClock, leaseMs: 1000 }));
    await stalled.slot("q", { itemId: "held" });
    const stalledWaiter = join(stalled, "q", { itemId: "stalled-waiter" });
    await stalledWaiter.enqueued;
    const liveWaiter = join(live, "q", { itemId: "live-waiter" });
    await liveWaiter.enqueued;

    await liveClock.advance(999);
    expect((await live.snapshot("q")).holders.map((h) => h.itemId)).toEqual(["held"]);
    await liveClock.advance(1);
    // The stalled process's leases ran out at +1000 ms; any operation reclaims them.
    const snapshot = await live.snapshot("q");
    expect(snapshot.holders.map((h) => h.itemId)).toEqual(["live-waiter"]);
    expect(snapshot.waiters).toEqual([]);
    await (await liveWaiter.slot).release();

    // The stalled process, once it runs again, learns that it lost both.
    await stalledClock.advance(1000);
    await expect(stalledWaiter.slot).rejects.toThrow(/lost its place.*lease ran out/);
    await vi.waitFor(() =>
      expect(lost.map((e) => e.message)).toEqual([expect.stringMatching(/held lost its slot/)]),
    );
  });

  it("passes over the waiters of a process that stopped saying it is alive, keeping their places until it does", async () => {
    const keyPrefix = freshPrefix();
    const silentClock = new ManualClock();
    const liveClock = new ManualClock(silentClock.now());
    // The lease is long: only liveness (2 s) tells a dead or frozen process from a live one.
    const silent = new Queue(backend({ keyPrefix, clock: silentClock, leaseMs: 60_000 }));
    const live = new Queue(backend({ keyPrefix, clock: liveClock, leaseMs: 60_000 }));
    const held = await live.slot("q", { itemId: "held" });
    const silentWaiter = join(silent, "q", { itemId: "silent-waiter" });
    await silentWaiter.enqueued;
    const liveWaiter = join(live, "q", { itemId: "live-waiter" });
    await liveWaiter.enqueued;

    await liveClock.advance(2_500);
    await held.release();
    const granted = await liveWaiter.slot;
    expect(await live.snapshot("q")).toMatchObject({
      holders: [{ itemId: "live-waiter" }],
      waiters: [{ itemId: "silent-waiter", position: 1 }],
    });
    // A newcomer with a free slot takes it at once, whoever silent waits.
    await granted.release();
    const newcomer = await live.slot("q", { itemId: "newcomer" });
    await newcomer.release();

    // The silent process speaks again (it was slow, not dead): its waiter is served.
    await silentClock.advance(2_500);
    const slot = await silentWaiter.slot;
    expect(slot.itemId).toBe("silent-waiter");
    await slot.release();
  });

  it("lets another process take over the entry of an item whose process is not alive, place and all", async () => {
    const keyPrefix = freshPrefix();
    const deadClock = new ManualClock();
    const liveClock = new ManualClock(deadClock.now());
    const dead = new Queue(backend({ keyPrefix, clock: deadClock, leaseMs: 60_000 }));
    const live = new Queue(backend({ keyPrefix, clock: liveClock, leaseMs: 60_000 }));
    const heldByDead = await dead.slot("q", { itemId: "call-1" });
    const deadWaiter = join(dead, "q", { itemId: "call-2" });
    await deadWaiter.enqueued;
    const liveWaiter = join(live, "q", { itemId: "call-3" });
    await liveWaiter.enqueued;
    // The calls come back through another process before the dead one's
    // liveness has run out: they wait for it, then take over (call-1 keeps
    // its slot, call-2 its place ahead of call-3).
    const resumed = await drive(liveClock, live.slot("q", { itemId: "call-1" }), { pauseMs: 5 });
    expect(liveClock.now() - deadClock.now()).toBeGreaterThanOrEqual(2_000);
    const secondJoin = join(live, "q", { itemId: "call-2" });
    expect((await secondJoin.enqueued).position).toBe(1);
    await resumed.release();
    const second = await secondJoin.slot;
    await second.release();
    await (await liveWaiter.slot).release();
    void heldByDead;
  });

  it("refuses an item still held by a process that keeps saying it is alive", async () => {
    const keyPrefix = freshPrefix();
    const clock = new ManualClock();
    const other = new Queue(backend({ keyPrefix, clock, leaseMs: 60_000 }));
    const queue = new Queue(backend({ keyPrefix, clock, leaseMs: 60_000 }));
    const held = await other.slot("q", { itemId: "call" });
    await expect(
      drive(clock, queue.slot("q", { itemId: "call" }), { pauseMs: 5 }),
    ).rejects.toMatchObject({ code: "QUEUE_DUPLICATE_ITEM" });
    await held.release();
  });

  it("keeps renewing the leases of a live process's entries", async () => {
    const clock = new ManualClock();
    const queue = new Queue(backend({ keyPrefix: freshPrefix(), clock, leaseMs: 1000 }));
    const held = await queue.slot("q", { itemId: "held" });
    const waiter = join(queue, "q", { itemId: "waiter" });
    await waiter.enqueued;
    for (let beat = 0; beat < 10; beat++) {
      await clock.advance(334);
      // Each beat goes out before the snapshot on the same connection.
      expect(await queue.snapshot("q")).toMatchObject({
        holders: [{ itemId: "held" }],
        waiters: [{ itemId: "waiter" }],
      });
    }
    await held.release();
    await (await waiter.slot).release();
  });

  it("sweeps a queue nobody operates on any more", async () => {
    const keyPrefix = freshPrefix();
    const stalledClock = new ManualClock();
    const stalled = new Queue(backend({ keyPrefix, clock: stalledClock, leaseMs: 1000 }));
    await stalled.slot("idle", { itemId: "held" });
    const sweeperClock = new ManualClock(stalledClock.now());
    backend({ keyPrefix, clock: sweeperClock, leaseMs: 1000 });
    const redis = plainClient();
    try {
      const holding = queueKeys(keyPrefix, "idle")[3] as string;
      expect(await redis.scard(holding)).toBe(1);
      // The sweeper sweeps on every third beat from its first beat on the
      // line; under load its connection may miss the first beat, moving
      // every sweep a beat later. So time moves a beat at a time, and the
      // entry must be gone within a few leases of it running out.
      let simulated = 0;
      while ((await redis.scard(holding)) > 0) {
        expect(simulated, "still held four leases after it ran out").toBeLessThan(5000);
        await sweeperClock.advance(334);
        simulated += 334;
        // Let the sweep's round trips finish: other test files may be busy on both cores.
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(simulated).toBeGreaterThan(1000);
    } finally {
      await redis.quit();
    }
  });
});

async function killConnections(name: string): Promise<number> {
  const redis = plainClient();
  try {
    const list = await redis.client("LIST");
    const ids = String(list)
      .split("\n")
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await redis.client("KILL", "ID", id);
    return ids.length;
  } finally {
    await redis.quit();
  }
}

describe("RedisBackend when a command fails", () => {
  it("rejects with QueueBackendError carrying Redis's error, and leaves nothing in line", async () => {
    const keyPrefix = freshPrefix();
    const redis = plainClient();
    try {
      // The queue registry is a set; a string there makes registering fail.
      await redis.set(`${keyPrefix}queues`, "not a set");
      const queue = new Queue(backend({ keyPrefix }));
      const error = await queue.slot("q", { itemId: "a" }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueueBackendError);
      expect((error as Error).message).toMatch(/enqueue failed: WRONGTYPE/);
      expect((error as QueueBackendError).cause).toBeInstanceOf(Error);
      // The enqueue itself went through; the entry is removed again at once.
      await vi.waitFor(async () => expect((await queue.snapshot("q")).holders).toEqual([]));
    } finally {
      await redis.quit();
    }
  });
});

describe("RedisBackend when Redis is unreachable", () => {
  it("rejects with QueueBackendError naming the URL without its password, and does not hang", async () => {
    const port = await freePort();
    const unreachable = backend({
      url: `redis://:s3cret@127.0.0.1:${port}`,
      keyPrefix: freshPrefix(),
      connectTimeoutMs: 300,
    });
    const queue = new Queue(unreachable);
    const error = await queue.slot("q").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QueueBackendError);
    const message = (error as Error).message;
    expect(message).toContain(`redis://127.0.0.1:${port}`);
    expect(message).not.toContain("s3cret");
    expect(message).toMatch(/unreachable/);
    // Once it has given up, callers are told at once rather than after another wait.
    await expect(queue.position("q", "x")).rejects.toBeInstanceOf(QueueBackendError);
    await expect(queue.snapshot("q")).rejects.toBeInstanceOf(QueueBackendError);
  });

  it("fails a waiting caller when Redis stays away, then recovers by itself when it returns", async () => {
    const keyPrefix = freshPrefix();
    const relay = new RedisRelay();
    await relay.start();
    try {
      const direct = new Queue(backend({ keyPrefix }));
      const relayed = new Queue(
        backend({ url: relay.url, keyPrefix, connectTimeoutMs: 500, outageGraceMs: 500 }),
      );
      const held = await direct.slot("q", { itemId: "held" });
      const waiter = join(relayed, "q", { itemId: "cut-off" });
      await waiter.enqueued;

      await relay.stop();
      const error = await waiter.slot.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(QueueBackendError);
      expect((error as Error).message).toContain(relay.url);
      await expect(relayed.slot("q", { itemId: "meanwhile" })).rejects.toBeInstanceOf(
        QueueBackendError,
      );

      await relay.start();
      const recovered = await vi.waitFor(() => relayed.slot("other", { itemId: "back" }), {
        timeout: 15_000,
        interval: 100,
      });
      await recovered.release();
      // The failed waiter was taken out of the shared line once Redis answered again.
      await vi.waitFor(async () => expect((await direct.snapshot("q")).waiters).toEqual([]));
      await held.release();
    } finally {
      await relay.stop();
    }
  });

  it("lets a caller time out during an outage without waiting for Redis, and cleans up after", async () => {
    const keyPrefix = freshPrefix();
    const relay = new RedisRelay();
    await relay.start();
    try {
      const direct = new Queue(backend({ keyPrefix }));
      const relayed = new Queue(backend({ url: relay.url, keyPrefix, connectTimeoutMs: 10_000 }));
      const held = await direct.slot("q", { itemId: "held" });
      const enqueued = new Promise<void>((resolve) =>
        relayed.events.on("enqueued", () => resolve()),
      );
      const waiter = relayed.slot("q", { itemId: "impatient", timeoutMs: 300 });
      waiter.catch(() => {});
      await enqueued;
      await relay.stop();
      // Well before the 10 s the backend gives Redis to come back.
      const outcome = await Promise.race([
        waiter.catch((e: unknown) => e),
        new Promise((resolve) => setTimeout(() => resolve("still waiting"), 3_000)),
      ]);
      expect(outcome).toBeInstanceOf(QueueTimeoutError);
      expect((await direct.snapshot("q")).waiters.map((w) => w.itemId)).toEqual(["impatient"]);
      await relay.start();
      await vi.waitFor(async () => expect((await direct.snapshot("q")).waiters).toEqual([]), {
        timeout: 10_000,
        interval: 100,
      });
      await held.release();
    } finally {
      await relay.stop();
    }
  });

  it("does not lose a grant published while its subscriber connection was down", async () => {
    const keyPrefix = freshPrefix();
    const holderSide = new Queue(backend({ keyPrefix }));
    // Heartbeats 40 s apart: only the re-check after resubscribing can deliver the grant in time.
    const waiterBackend = backend({ keyPrefix, leaseMs: 120_000 });
    const waiterSide = new Queue(waiterBackend);
    const held = await holderSide.slot("q", { itemId: "held" });
    const waiter = join(waiterSide, "q", { itemId: "waiter" });
    await waiter.enqueued;
    expect(await killConnections(`ringflow-queue-sub:${waiterBackend.instanceId}`)).toBe(1);
    // Granted (and published) while the waiter's process is resubscribing.
    await held.release();
    const slot = await waiter.slot;
    expect(slot.itemId).toBe("waiter");
    await slot.release();
  });

  it("recovers after both its connections are killed", async () => {
    const queueBackend = backend({ keyPrefix: freshPrefix() });
    const queue = new Queue(queueBackend);
    const before = await queue.slot("q", { itemId: "before" });
    expect(await killConnections(`ringflow-queue:${queueBackend.instanceId}`)).toBe(1);
    expect(await killConnections(`ringflow-queue-sub:${queueBackend.instanceId}`)).toBe(1);
    const after = await vi.waitFor(() => queue.slot("q2", { itemId: "after" }), {
      timeout: 10_000,
      interval: 50,
    });
    await Promise.all([before.release(), after.release()]);
    expect(await queue.snapshot("q")).toMatchObject({ holders: [], waiters: [] });
  });
});

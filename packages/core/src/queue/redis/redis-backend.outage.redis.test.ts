import { afterAll, afterEach, describe, expect, it, vi } from "vitest";
import { type Joining, join } from "../../../test/join-queue.js";
import { deleteKeys, plainClient, redisUrl, uniquePrefix } from "../../../test/redis.js";
import { RedisRelay } from "../../../test/redis-relay.js";
import { RedisServer } from "../../../test/redis-server.js";
import { QueueBackendError } from "../errors.js";
import { Queue } from "../queue.js";
import type { QueueSlot } from "../queue-slot.js";
import { RedisBackend, type RedisBackendOptions } from "./redis-backend.js";
import { queueKeys } from "./redis-keys.js";

const root = uniquePrefix("outage");
let next = 0;
const freshPrefix = () => `${root}${next++}:`;
afterAll(() => deleteKeys(root));

const opened: RedisBackend[] = [];
const relays: RedisRelay[] = [];
function backend(options: RedisBackendOptions): RedisBackend {
  const created = new RedisBackend({ url: redisUrl, ...options });
  opened.push(created);
  return created;
}
async function relay(): Promise<RedisRelay> {
  const created = new RedisRelay();
  await created.start();
  relays.push(created);
  return created;
}
const servers: RedisServer[] = [];
afterEach(async () => {
  for (const r of relays) r.resume();
  await Promise.all(servers.splice(0).map((server) => server.stop()));
  await Promise.all(opened.splice(0).map((b) => b.close()));
  await Promise.all(relays.splice(0).map((r) => r.stop()));
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Collects the process's unhandled rejections while `work` runs. */
async function unhandledDuring(work: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (reason: unknown) => seen.push(reason);
  process.on("unhandledRejection", onRejection);
  try {
    await work();
    // Rejections are reported after the microtask queue drains.
    await sleep(50);
  } finally {
    process.off("unhandledRejection", onRejection);
  }
  return seen;
}

describe("RedisBackend when Redis stalls (connected, not answering)", () => {
  it("survives heartbeats and sweeps that time out: no unhandled rejection, errors go to onError", async () => {
    const cut = await relay();
    const errors: QueueBackendError[] = [];
    const queue = new Queue(
      backend({
        url: cut.url,
        keyPrefix: freshPrefix(),
        // A beat every 300 ms, a sweep every 900 ms, each reply given up after 200 ms.
        leaseMs: 900,
        commandTimeoutMs: 200,
        onError: (error) => errors.push(error),
      }),
    );
    const held = await queue.slot("q", { itemId: "held" });
    const unhandled = await unhandledDuring(async () => {
      cut.pause();
      await sleep(1_500);
      cut.resume();
      await sleep(400);
    });
    expect(unhandled).toEqual([]);
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e instanceof QueueBackendError)).toBe(true);
    await held.release();
  });
});

/** Resolves with what `promise` settled with, or "pending" if it has not within `ms`. */
function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | unknown | "pending"> {
  return Promise.race([
    promise.then(
      (value) => value,
      (error: unknown) => error,
    ),
    sleep(ms).then(() => "pending" as const),
  ]);
}

describe("RedisBackend outages: one policy for a stalled and a refused Redis", () => {
  it("keeps a waiter's place through a stall shorter than the grace, and serves it once Redis answers", async () => {
    const keyPrefix = freshPrefix();
    const cut = await relay();
    const direct = new Queue(backend({ keyPrefix }));
    const relayed = new Queue(
      backend({ url: cut.url, keyPrefix, leaseMs: 3_000, commandTimeoutMs: 200 }),
    );
    const held = await direct.slot("q", { itemId: "held" });
    const waiter = join(relayed, "q", { itemId: "waiter" });
    await waiter.enqueued;
    cut.pause();
    await sleep(1_500);
    // Granted while the waiter's process hears nothing: it learns once Redis answers.
    await held.release();
    expect(await settledWithin(waiter.slot, 300)).toBe("pending");
    cut.resume();
    const slot = await waiter.slot;
    expect(slot.itemId).toBe("waiter");
    await slot.release();
  });

  it("fails a waiter with QueueBackendError once a stall outlasts the grace, not before and not never", async () => {
    const keyPrefix = freshPrefix();
    const cut = await relay();
    const direct = new Queue(backend({ keyPrefix }));
    const relayed = new Queue(
      backend({
        url: cut.url,
        keyPrefix,
        leaseMs: 3_000,
        commandTimeoutMs: 200,
        outageGraceMs: 1_000,
      }),
    );
    const held = await direct.slot("q", { itemId: "held" });
    const waiter = join(relayed, "q", { itemId: "waiter" });
    await waiter.enqueued;
    const stalledAt = Date.now();
    cut.pause();
    const error = await settledWithin(waiter.slot, 5_000);
    expect(error).toBeInstanceOf(QueueBackendError);
    // A beat every second notices the stall; the grace runs from the first
    // command left without a reply, which may have left a moment before the
    // stall began.
    expect(Date.now() - stalledAt).toBeGreaterThanOrEqual(1_000 - 50);
    cut.resume();
    // Let the replies held back during the stall arrive before closing:
    // ioredis throws on replies that reach a connection it is closing.
    await sleep(500);
    await held.release();
  });

  it("keeps a waiter's place through a refused connection up to the grace, then fails it", async () => {
    const keyPrefix = freshPrefix();
    const cut = await relay();
    const direct = new Queue(backend({ keyPrefix }));
    const changes: string[] = [];
    const relayed = new Queue(
      backend({
        url: cut.url,
        keyPrefix,
        connectTimeoutMs: 200,
        outageGraceMs: 1_500,
        onOutage: (change) => changes.push(change.state),
      }),
    );
    const held = await direct.slot("q", { itemId: "held" });
    const waiter = join(relayed, "q", { itemId: "waiter" });
    await waiter.enqueued;
    await cut.stop();
    // Well past connectTimeoutMs: operations fail fast, the waiter keeps its place.
    expect(await settledWithin(waiter.slot, 1_000)).toBe("pending");
    await expect(relayed.snapshot("q")).rejects.toBeInstanceOf(QueueBackendError);
    expect(await settledWithin(waiter.slot, 2_000)).toBeInstanceOf(QueueBackendError);
    expect(changes).toEqual(["down"]);
    await cut.start();
    await held.release();
  });
});

describe("RedisBackend at cold start", () => {
  it("ready() resolves once Redis answers, waiting past connectTimeoutMs, and rejects on close", async () => {
    const cut = await relay();
    await cut.stop();
    const early = backend({ url: cut.url, keyPrefix: freshPrefix(), connectTimeoutMs: 200 });
    const ready = early.ready();
    expect(await settledWithin(ready, 600)).toBe("pending");
    await cut.start();
    await ready;
    const never = backend({ url: "redis://127.0.0.1:1", keyPrefix: freshPrefix() });
    const waiting = never.ready();
    await never.close();
    await expect(waiting).rejects.toBeInstanceOf(QueueBackendError);
  });

  it("counts a wait from the call to slot(), the connection wait included", async () => {
    const cut = await relay();
    await cut.stop();
    const queue = new Queue(backend({ url: cut.url, keyPrefix: freshPrefix() }));
    const calledAt = Date.now();
    const joining = queue.slot("q", { itemId: "early" });
    await sleep(300);
    await cut.start();
    const slot = await joining;
    expect(slot.enqueuedAt - calledAt).toBeLessThan(50);
    expect(slot.waitMs).toBeGreaterThanOrEqual(250);
    await slot.release();
  });
});

describe("RedisBackend when Redis restarts empty", () => {
  it("says Redis lost its data and puts the line back as it was, across processes", async () => {
    const server = await RedisServer.start();
    servers.push(server);
    const keyPrefix = freshPrefix();
    const changes: Array<{ state: string; dataLost?: boolean }> = [];
    const options = { url: server.url, keyPrefix, connectTimeoutMs: 300 };
    const a = new Queue(backend({ ...options, onOutage: (change) => changes.push(change) }));
    const b = new Queue(backend(options));
    const held = await a.slot("q", { itemId: "held" });
    const lines: Joining[] = [];
    for (const [queue, itemId, priority] of [
      [a, "w1", 5],
      [b, "w2", 5],
      [a, "vip", 0],
      [b, "w3", 5],
    ] as const) {
      const entry = join(queue, "q", { itemId, priority });
      await entry.enqueued;
      lines.push(entry);
    }
    const before = (await a.snapshot("q")).waiters.map((w) => w.itemId);
    expect(before).toEqual(["vip", "w1", "w2", "w3"]);

    await server.stop();
    await sleep(1_000);
    await server.start();
    await vi.waitFor(() => expect(changes.at(-1)).toMatchObject({ state: "up", dataLost: true }), {
      timeout: 10_000,
      interval: 50,
    });
    await vi.waitFor(
      async () => {
        const snapshot = await a.snapshot("q");
        expect(snapshot.holders.map((h) => h.itemId)).toEqual(["held"]);
        expect(snapshot.waiters.map((w) => w.itemId)).toEqual(before);
      },
      { timeout: 10_000, interval: 100 },
    );
    // A caller arriving now joins behind everyone who was already waiting.
    const late = join(b, "q", { itemId: "late" });
    await late.enqueued;
    // Served in the old order, one at a time.
    await held.release();
    const served: string[] = [];
    const [w1, w2, vip, w3] = lines as [Joining, Joining, Joining, Joining];
    for (const entry of [vip, w1, w2, w3, late]) {
      const slot = await entry.slot;
      served.push(slot.itemId);
      await slot.release();
    }
    expect(served).toEqual(["vip", "w1", "w2", "w3", "late"]);
  }, 30_000);
});

describe("RedisBackend past the lease (fencing)", () => {
  it("never has more holders than the limit, in Redis or as the holders believe, through an outage longer than the lease", async () => {
    const keyPrefix = freshPrefix();
    const cut = await relay();
    const leaseMs = 1_000;
    const lost: string[] = [];
    const cutOff = new Queue(
      backend({
        url: cut.url,
        keyPrefix,
        leaseMs,
        connectTimeoutMs: 200,
        onError: (e) => lost.push(e.message),
      }),
    );
    const direct = new Queue(backend({ keyPrefix, leaseMs }));
    const held = await cutOff.slot("q", { itemId: "cut-off" });
    const waiter = join(direct, "q", { itemId: "next" });
    await waiter.enqueued;
    let next: QueueSlot | undefined;
    void waiter.slot.then((slot) => (next = slot));

    const redis = plainClient();
    const holdingKey = queueKeys(keyPrefix, "q")[3] as string;
    const samples: Array<{ redis: number; believed: number }> = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const believed = (held.lost.aborted ? 0 : 1) + (next ? 1 : 0);
        samples.push({ redis: await redis.scard(holdingKey), believed });
        await sleep(10);
      }
    })();
    try {
      await cut.stop();
      await sleep(leaseMs * 2.5);
      await cut.start();
      await vi.waitFor(() => expect(next).toBeDefined(), { timeout: 5_000 });
      await sleep(500);
    } finally {
      sampling = false;
      await sampler;
      await redis.quit();
    }
    // The cut-off holder learnt its lease may have run out before anyone else got the slot.
    expect(held.lost.aborted).toBe(true);
    expect(lost.filter((m) => m.includes("lost its slot"))).toEqual([
      expect.stringMatching(/cut-off lost its slot.*lease may have run out/),
    ]);
    expect(Math.max(...samples.map((s) => s.redis))).toBe(1);
    expect(Math.max(...samples.map((s) => s.believed))).toBe(1);
    // Back from the outage, the lapsed holder is not put back.
    expect((await direct.snapshot("q")).holders.map((h) => h.itemId)).toEqual(["next"]);
    await held.release();
    await next?.release();
  }, 20_000);
});

import { afterAll, afterEach, describe, expect, it } from "vitest";
import { join } from "../../../test/join-queue.js";
import { deleteKeys, redisUrl, uniquePrefix } from "../../../test/redis.js";
import { RedisRelay } from "../../../test/redis-relay.js";
import { QueueBackendError } from "../errors.js";
import { Queue } from "../queue.js";
import { RedisBackend, type RedisBackendOptions } from "./redis-backend.js";

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
afterEach(async () => {
  for (const r of relays.splice(0)) r.resume();
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

/**
 * A separate process sharing a queue through Redis, driven over IPC by
 * multi-process.redis.test.ts. It logs each grant and release to a Redis list
 * (`+id` right after acquiring, `-id` right before releasing) so the parent
 * can check order and concurrency across processes.
 */
import { Redis } from "ioredis";
import { z } from "zod";
import { Queue } from "../src/queue/queue.js";
import type { QueueSlot } from "../src/queue/queue-slot.js";
import { RedisBackend } from "../src/queue/redis/redis-backend.js";
import { join } from "./join-queue.js";

const config = z
  .object({ redisUrl: z.string(), keyPrefix: z.string(), leaseMs: z.number(), logKey: z.string() })
  .parse(JSON.parse(process.argv[2] ?? "{}"));

const entry = z.object({ itemId: z.string(), priority: z.number() });
const command = z.discriminatedUnion("cmd", [
  z.object({
    cmd: z.literal("line"),
    queueId: z.string(),
    holdMs: z.number(),
    items: z.array(entry),
  }),
  z.object({
    cmd: z.literal("churn"),
    queueId: z.string(),
    items: z.array(entry.extend({ startAfterMs: z.number(), holdMs: z.number() })),
  }),
  z.object({
    cmd: z.literal("crash"),
    queueId: z.string(),
    holders: z.array(z.string()),
    waiters: z.array(z.string()),
  }),
  z.object({ cmd: z.literal("exit") }),
]);

/** What this process tells the parent. */
export type ChildEvent = "enqueued" | "done" | "ready";

const backend = new RedisBackend({
  url: config.redisUrl,
  keyPrefix: config.keyPrefix,
  leaseMs: config.leaseMs,
});
const queue = new Queue(backend);
const log = new Redis(config.redisUrl);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const tell = (event: ChildEvent) => process.send?.(event);

async function hold(slot: QueueSlot, holdMs: number): Promise<void> {
  await log.rpush(config.logKey, `+${slot.itemId}`);
  await sleep(holdMs);
  await log.rpush(config.logKey, `-${slot.itemId}`);
  await slot.release();
}

process.on("message", async (raw) => {
  const message = command.parse(raw);
  switch (message.cmd) {
    case "line": {
      const slots: Promise<QueueSlot>[] = [];
      for (const item of message.items) {
        const entry = join(queue, message.queueId, item);
        await entry.enqueued;
        slots.push(entry.slot);
      }
      tell("enqueued");
      await Promise.all(slots.map(async (slot) => hold(await slot, message.holdMs)));
      tell("done");
      return;
    }
    case "churn": {
      await Promise.all(
        message.items.map(async (item) => {
          await sleep(item.startAfterMs);
          const slot = await queue.slot(message.queueId, item);
          await hold(slot, item.holdMs);
        }),
      );
      tell("done");
      return;
    }
    case "crash": {
      for (const itemId of message.holders) await queue.slot(message.queueId, { itemId });
      for (const itemId of message.waiters) await join(queue, message.queueId, { itemId }).enqueued;
      tell("ready");
      // Hold everything until the parent kills this process.
      setInterval(() => {}, 60_000);
      return;
    }
    case "exit": {
      await backend.close();
      await log.quit();
      process.exit(0);
    }
  }
});

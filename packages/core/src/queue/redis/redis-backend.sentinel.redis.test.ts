import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LocalSentinel, startSentinel, until } from "../../../test/redis-sentinel.js";
import { Queue } from "../queue.js";
import { RedisBackend } from "./redis-backend.js";

let sentinel: LocalSentinel;
beforeAll(async () => {
  sentinel = await startSentinel();
}, 40_000);
afterAll(async () => {
  await sentinel?.stop();
});

describe("RedisBackend through Redis Sentinel", () => {
  it("follows a failover to the replica: the line keeps its order and slots", async () => {
    const backend = new RedisBackend({
      url: `redis+sentinel://127.0.0.1:${sentinel.port}/${sentinel.name}`,
      keyPrefix: "sentinel:",
      connectTimeoutMs: 15_000,
    });
    const master = new Redis({ port: sentinel.master.port, host: "127.0.0.1" });
    try {
      await backend.ready();
      const queue = new Queue(backend);
      const held = await queue.slot("q", { itemId: "held", maxConcurrent: 1 });
      const next = queue.slot("q", { itemId: "next" });
      // Awaited below; if the test fails before, close() fails it: not unhandled.
      next.catch(() => {});
      await until(async () => (await queue.snapshot("q")).waiters.length === 1, "next in line");
      // Written to the replica before the switch: a failover loses what was not.
      expect(await master.call("WAIT", "1", "5000")).toBe(1);

      // A replica the sentinel has not re-read since the WAIT may still be "no good" for a moment.
      await until(async () => {
        try {
          await sentinel.client.call("SENTINEL", "FAILOVER", sentinel.name);
          return true;
        } catch (error) {
          if (String(error).includes("NOGOODSLAVE")) return false;
          throw error;
        }
      }, "the sentinel to start the failover");
      await until(async () => {
        const [, port] = (await sentinel.client.call(
          "SENTINEL",
          "GET-MASTER-ADDR-BY-NAME",
          sentinel.name,
        )) as [string, string];
        return Number(port) === sentinel.replica.port;
      }, "the replica to be the master");

      // Sentinel makes the old master a replica and drops its clients; the
      // backend asks the sentinel again and reconnects, both connections, to the new one.
      const promoted = new Redis({ port: sentinel.replica.port, host: "127.0.0.1" });
      await until(async () => {
        const clients = String(await promoted.client("LIST"));
        return (
          clients.includes(`name=ringflow-queue:${backend.instanceId} `) &&
          clients.includes(`name=ringflow-queue-sub:${backend.instanceId} `)
        );
      }, "the backend on the new master");
      expect(await promoted.info("replication")).toContain("role:master");
      promoted.disconnect();

      // Served by the new master: the waiter is still in line, and gets the slot once it frees.
      await until(async () => {
        const snapshot = await queue.snapshot("q");
        return snapshot.holders[0]?.itemId === "held" && snapshot.waiters[0]?.itemId === "next";
      }, "the queue through the new master");
      await held.release();
      const granted = await next;
      expect((await queue.snapshot("q")).holders.map((h) => h.itemId)).toEqual(["next"]);
      await granted.release();
      expect((await queue.snapshot("q")).holders).toEqual([]);
    } finally {
      master.disconnect();
      await backend.close();
    }
  }, 40_000);
});

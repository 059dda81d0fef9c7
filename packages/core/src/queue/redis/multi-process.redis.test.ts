import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { join } from "../../../test/join-queue.js";
import { deleteKeys, plainClient, redisUrl, uniquePrefix } from "../../../test/redis.js";
import { Queue } from "../queue.js";
import { RedisBackend } from "./redis-backend.js";

const childPath = fileURLToPath(new URL("../../../test/redis-queue-child.ts", import.meta.url));
const root = uniquePrefix("processes");
let next = 0;

/** A child process running a RedisBackend, driven by messages. */
class Child {
  private readonly process: ChildProcess;
  private readonly seen: string[] = [];
  private readonly waiting: Array<{ event: string; resolve: () => void }> = [];
  readonly exited: Promise<void>;

  constructor(config: { keyPrefix: string; leaseMs: number; logKey: string }) {
    this.process = fork(childPath, [JSON.stringify({ redisUrl, ...config })], {
      execArgv: ["--conditions=@ringflow/source", "--import", "tsx"],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    this.process.on("message", (message) => {
      const event = String(message);
      const index = this.waiting.findIndex((w) => w.event === event);
      if (index >= 0) this.waiting.splice(index, 1)[0]?.resolve();
      else this.seen.push(event);
    });
    this.exited = new Promise((resolve) => this.process.once("exit", () => resolve()));
  }

  send(command: object): void {
    this.process.send(command);
  }

  /** Resolves when the child reports `event` (or already has). */
  next(event: string): Promise<void> {
    const index = this.seen.indexOf(event);
    if (index >= 0) {
      this.seen.splice(index, 1);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push({ event, resolve }));
  }

  kill(): void {
    this.process.kill("SIGKILL");
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.send({ cmd: "exit" });
    await this.exited;
  }
}

const children: Child[] = [];
const backends: RedisBackend[] = [];

afterEach(async () => {
  await Promise.all(children.splice(0).map((child) => child.stop()));
  await Promise.all(backends.splice(0).map((backend) => backend.close()));
});

afterAll(() => deleteKeys(root));

/** Replays a grant log (`+id` / `-id`) and returns the most entries inside at once. */
function mostInside(log: string[]): number {
  let inside = 0;
  let most = 0;
  for (const line of log) {
    inside += line.startsWith("+") ? 1 : -1;
    most = Math.max(most, inside);
  }
  return most;
}

describe("RedisBackend shared by several processes", () => {
  it("keeps one global FIFO order per priority and one concurrency limit", async () => {
    const keyPrefix = `${root}${next++}:`;
    const logKey = `${keyPrefix}log`;
    const parent = new RedisBackend({ url: redisUrl, keyPrefix });
    backends.push(parent);
    const queue = new Queue(parent);
    for (let c = 0; c < 3; c++) children.push(new Child({ keyPrefix, leaseMs: 15_000, logKey }));

    // Phase 1: with one slot held, 3 processes put 70 entries each in line at once.
    await queue.configure("shared", { maxConcurrent: 1 });
    const blocker = await queue.slot("shared", { itemId: "blocker" });
    const priorityOf = (i: number) => (i % 7 === 3 ? 0 : 5);
    for (const [c, child] of children.entries()) {
      child.send({
        cmd: "line",
        queueId: "shared",
        holdMs: 1,
        items: Array.from({ length: 70 }, (_, i) => ({
          itemId: `c${c}-${i}`,
          priority: priorityOf(i),
        })),
      });
    }
    await Promise.all(children.map((child) => child.next("enqueued")));
    const line = (await queue.snapshot("shared")).waiters;
    expect(line).toHaveLength(210);
    // Priority first; each process's entries keep their order within a priority.
    expect(line.map((w) => w.priority)).toEqual(
      [...line.map((w) => w.priority)].sort((a, b) => a - b),
    );
    for (let c = 0; c < 3; c++) {
      for (const priority of [0, 5]) {
        const indexes = line
          .filter((w) => w.itemId.startsWith(`c${c}-`) && w.priority === priority)
          .map((w) => Number(w.itemId.split("-")[1]));
        expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
      }
    }
    await blocker.release();
    await Promise.all(children.map((child) => child.next("done")));
    const redis = plainClient();
    try {
      const phase1 = await redis.lrange(logKey, 0, -1);
      expect(phase1).toHaveLength(420);
      // Served exactly in line order, one at a time.
      expect(phase1.filter((l) => l.startsWith("+")).map((l) => l.slice(1))).toEqual(
        line.map((w) => w.itemId),
      );
      expect(mostInside(phase1)).toBe(1);

      // Phase 2: three slots, 90 entries arriving over 50 ms from 3 processes, held 5–15 ms.
      await queue.configure("shared", { maxConcurrent: 3 });
      for (const [c, child] of children.entries()) {
        child.send({
          cmd: "churn",
          queueId: "shared",
          items: Array.from({ length: 30 }, (_, i) => ({
            itemId: `churn-c${c}-${i}`,
            priority: priorityOf(i),
            startAfterMs: (i * 7 + c * 3) % 50,
            holdMs: 5 + ((i + c) % 11),
          })),
        });
      }
      await Promise.all(children.map((child) => child.next("done")));
      const phase2 = (await redis.lrange(logKey, 0, -1)).slice(phase1.length);
      expect(phase2).toHaveLength(180);
      expect(mostInside(phase2)).toBe(3);
      expect(await queue.snapshot("shared")).toMatchObject({ holders: [], waiters: [] });
    } finally {
      await redis.quit();
    }
  }, 60_000);

  it("serves live callers within 3 s when a process whose waiters lead the line is killed (15 s lease)", async () => {
    const keyPrefix = `${root}${next++}:`;
    const leaseMs = 15_000;
    const parent = new RedisBackend({ url: redisUrl, keyPrefix, leaseMs });
    backends.push(parent);
    const queue = new Queue(parent);
    await queue.configure("killed", { maxConcurrent: 2 });
    const held = [
      await queue.slot("killed", { itemId: "h1" }),
      await queue.slot("killed", { itemId: "h2" }),
    ];
    const doomed = new Child({ keyPrefix, leaseMs, logKey: `${keyPrefix}log` });
    children.push(doomed);
    doomed.send({ cmd: "crash", queueId: "killed", holders: [], waiters: ["w1", "w2"] });
    await doomed.next("ready");
    const p1 = join(queue, "killed", { itemId: "p1" });
    await p1.enqueued;
    const p2 = join(queue, "killed", { itemId: "p2" });
    await p2.enqueued;

    doomed.kill();
    const killedAt = performance.now();
    await doomed.exited;
    // Freed at once: granted to the dead process's waiters, which cannot claim them.
    await Promise.all(held.map((slot) => slot.release()));
    const slots = await Promise.all([p1.slot, p2.slot]);
    expect(performance.now() - killedAt).toBeLessThan(3_000);
    const after = await queue.snapshot("killed");
    expect(after.holders.map((h) => h.itemId).sort()).toEqual(["p1", "p2"]);
    // The dead waiters keep their places until their lease runs out; nobody is granted to them.
    expect(after.waiters.map((w) => w.itemId)).toEqual(["w1", "w2"]);
    await Promise.all(slots.map((slot) => slot.release()));
  }, 30_000);

  it("moves on within lease + 2 s when a process holding slots and places is killed", async () => {
    const keyPrefix = `${root}${next++}:`;
    const leaseMs = 2000;
    const parent = new RedisBackend({ url: redisUrl, keyPrefix, leaseMs });
    backends.push(parent);
    const queue = new Queue(parent);
    await queue.configure("crash", { maxConcurrent: 2 });
    const doomed = new Child({ keyPrefix, leaseMs, logKey: `${keyPrefix}log` });
    children.push(doomed);
    doomed.send({ cmd: "crash", queueId: "crash", holders: ["h1", "h2"], waiters: ["w1", "w2"] });
    await doomed.next("ready");

    const p1 = join(queue, "crash", { itemId: "p1" });
    await p1.enqueued;
    const p2 = join(queue, "crash", { itemId: "p2" });
    await p2.enqueued;
    const before = await queue.snapshot("crash");
    expect(before.holders.map((h) => h.itemId)).toEqual(["h1", "h2"]);
    expect(before.waiters.map((w) => w.itemId)).toEqual(["w1", "w2", "p1", "p2"]);

    doomed.kill();
    const killedAt = performance.now();
    await doomed.exited;
    const slots = await Promise.all([p1.slot, p2.slot]);
    expect(performance.now() - killedAt).toBeLessThan(leaseMs + 2000);
    const after = await queue.snapshot("crash");
    expect(after.holders.map((h) => h.itemId).sort()).toEqual(["p1", "p2"]);
    expect(after.waiters).toEqual([]);
    await Promise.all(slots.map((slot) => slot.release()));
  }, 30_000);
});

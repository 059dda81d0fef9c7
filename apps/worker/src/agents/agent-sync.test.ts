import { InMemoryAgentRegistry } from "@ringflow/core/agents";
import { flushMicrotasks, ManualClock } from "@ringflow/core/testing";
import { describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { AgentSync, type AgentSyncDb } from "./agent-sync.js";

/** A database with no agents whose reads wait until `release` is called. */
function heldDb() {
  const waiting: Array<() => void> = [];
  let reads = 0;
  const held = <T>(value: T) =>
    new Promise<T>((resolve) => {
      reads++;
      waiting.push(() => resolve(value));
    });
  const db = {
    agents: { list: () => held([]), setStatus: async () => undefined },
    groups: { list: () => held([]) },
  } as unknown as AgentSyncDb;
  return {
    db,
    reads: () => reads,
    release: () => {
      for (const resolve of waiting.splice(0)) resolve();
    },
  };
}

describe("AgentSync", () => {
  it("polls every pollMs on its clock, and a sync running when it stops arms no further poll", async () => {
    const clock = new ManualClock();
    const fake = heldDb();
    const sync = new AgentSync({
      db: fake.db,
      registry: new InMemoryAgentRegistry({ clock }),
      log: createLogger({ level: "silent", workerId: "agent-sync-test" }),
      pollMs: 1_000,
      clock,
    });
    const started = sync.start();
    await flushMicrotasks();
    fake.release();
    await started;
    expect(fake.reads()).toBe(2);
    expect(clock.pendingTimers).toBe(1);

    await clock.advance(999);
    expect(fake.reads()).toBe(2);
    await clock.advance(1);
    // The poll's reads are under way; stop now, then let them finish.
    expect(fake.reads()).toBe(4);
    sync.stop();
    fake.release();
    await flushMicrotasks();
    expect(clock.pendingTimers).toBe(0);
    await clock.advance(10_000);
    expect(fake.reads()).toBe(4);
  });
});

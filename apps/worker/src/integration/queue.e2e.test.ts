import { describe, it } from "vitest";
import { runQueueScenario } from "../../test/queue-scenario.js";

describe("worker + fs-sim end to end: 50 callers, queue of 2, three agents in parallel", () => {
  it("on SQLite with in-memory queues", async () => {
    await runQueueScenario({ provider: "sqlite", redis: false });
  }, 180_000);

  it("on PostgreSQL with queues and agent load in Redis", async () => {
    await runQueueScenario({ provider: "postgresql", redis: true });
  }, 180_000);
});

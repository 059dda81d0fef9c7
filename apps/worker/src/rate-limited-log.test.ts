import { describe, expect, it } from "vitest";
import { LogCapture } from "../test/rig.js";
import { createLogger } from "./logger.js";
import { rateLimitedWarn } from "./rate-limited-log.js";

describe("rateLimitedWarn", () => {
  it("logs a source's first warning at once, then one per interval with the count left out", () => {
    const capture = new LogCapture();
    const log = createLogger({ level: "info", workerId: "w", destination: capture.stream });
    let now = 0;
    const warn = rateLimitedWarn(log, { intervalMs: 1_000, now: () => now });
    for (let i = 0; i < 5; i++) {
      warn("balancer", new Error(`refused ${i}`), "Redis trouble (load balancer)");
      now += 300;
    }
    warn("queue", new Error("refused"), "Redis trouble (queue)");
    expect(
      capture.lines.map((l) => [l.source, l.suppressed, (l.err as { message: string }).message]),
    ).toEqual([
      ["balancer", 0, "refused 0"],
      ["balancer", 3, "refused 4"],
      ["queue", 0, "refused"],
    ]);
  });
});

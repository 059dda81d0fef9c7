import { describe, expect, it } from "vitest";
import { queueDataSchema } from "./nodes/queue.js";
import { resolvePriority } from "./resolve-priority.js";

const config = queueDataSchema.parse({
  queueId: "support",
  priority: 5,
  vipPriority: 1,
  vipNumbers: ["+442079460000", "1001", "+1555*"],
});

describe("resolvePriority", () => {
  it("gives listed numbers the VIP priority and others the queue's", () => {
    expect(resolvePriority(config, "+442079460000")).toBe(1);
    expect(resolvePriority(config, "1001")).toBe(1);
    expect(resolvePriority(config, "1002")).toBe(5);
    expect(resolvePriority(config, "10011")).toBe(5);
  });

  it("ignores formatting in the caller's number but not the leading +", () => {
    expect(resolvePriority(config, "+44 (20) 7946-0000")).toBe(1);
    expect(resolvePriority(config, "+44.20.7946.0000")).toBe(1);
    expect(resolvePriority(config, "00442079460000")).toBe(5);
    expect(resolvePriority(config, "442079460000")).toBe(5);
  });

  it("matches a whole range with a trailing *", () => {
    expect(resolvePriority(config, "+15550100")).toBe(1);
    expect(resolvePriority(config, "+1555")).toBe(1);
    expect(resolvePriority(config, "+1556000")).toBe(5);
    expect(resolvePriority(config, "1555000")).toBe(5);
  });

  it("treats anonymous or empty numbers as normal callers", () => {
    expect(resolvePriority(config, "")).toBe(5);
    expect(resolvePriority(config, " ")).toBe(5);
    expect(resolvePriority(config, "anonymous")).toBe(5);
  });

  it("is the fixed priority when the VIP list is empty", () => {
    const fixed = queueDataSchema.parse({ queueId: "q", priority: 7 });
    expect(resolvePriority(fixed, "+442079460000")).toBe(7);
  });

  it("refuses VIP entries the matcher would misread", () => {
    for (const entry of ["+44 20 7946", "*", "12*3", "abc", "+"]) {
      expect(queueDataSchema.safeParse({ queueId: "q", vipNumbers: [entry] }).success).toBe(false);
    }
  });
});

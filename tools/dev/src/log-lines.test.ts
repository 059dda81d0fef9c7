import { describe, expect, it } from "vitest";
import { formatLine } from "./log-lines.js";

describe("log lines", () => {
  it("prefix plain lines with the process name", () => {
    expect(formatLine("web", "ready on 3000", false)).toBe("[web]    ready on 3000");
  });

  it("make pino's JSON readable, keeping the fields that matter", () => {
    const line = JSON.stringify({
      level: 40,
      time: 1,
      pid: 3,
      hostname: "h",
      workerId: "w",
      msg: "call refused",
      callUuid: "u1",
      cause: "X",
    });
    expect(formatLine("worker", line, false)).toBe(
      "[worker] WARN call refused  callUuid=u1 cause=X",
    );
    expect(formatLine("worker", JSON.stringify({ level: 30, msg: "started" }), false)).toBe(
      "[worker] started",
    );
    expect(formatLine("worker", "{not json", false)).toBe("[worker] {not json");
  });
});

import { type FlowGraphInput, parseFlowGraph } from "@ringflow/core/flow";
import { describe, expect, it } from "vitest";
import { openAt, openingHoursBefore } from "./opening-hours.js";

const weekdaysNineToFive = {
  timeZone: "Europe/Berlin",
  hours: [{ days: ["mon", "tue", "wed", "thu", "fri"], from: "09:00", to: "17:00" }],
};

function flow(): FlowGraphInput {
  const node = (id: string, type: string, data: Record<string, unknown> = {}) => ({
    id,
    type,
    position: { x: 0, y: 0 },
    data,
  });
  return {
    schemaVersion: 1,
    nodes: [
      node("start", "start", { numbers: ["7000"] }),
      node("hours", "timeCondition", weekdaysNineToFive),
      node("menu-sound", "announce", { message: { kind: "file", file: "a.wav" } }),
      node("sales", "queue", { queueId: "sales" }),
      node("night", "queue", { queueId: "night" }),
      node("direct", "queue", { queueId: "direct" }),
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "hours" },
      { id: "e2", source: "hours", sourceHandle: "open", target: "menu-sound" },
      { id: "e3", source: "menu-sound", sourceHandle: "next", target: "sales" },
      { id: "e4", source: "hours", sourceHandle: "closed", target: "night" },
    ],
  } as FlowGraphInput;
}

describe("openingHoursBefore", () => {
  const graph = parseFlowGraph(flow());

  it("finds the time condition a call leaves by 'open' on its way to the queue", () => {
    expect(openingHoursBefore(graph, "sales")).toEqual([
      expect.objectContaining({ timeZone: "Europe/Berlin" }),
    ]);
    // Reached by 'closed' or not behind a condition: no hours of its own.
    expect(openingHoursBefore(graph, "night")).toEqual([]);
    expect(openingHoursBefore(graph, "direct")).toEqual([]);
  });

  it("is open only inside those hours (Berlin time)", () => {
    const hours = openingHoursBefore(graph, "sales");
    // Monday 1 June 2026, 10:00 and 18:00 in Berlin (UTC+2).
    expect(openAt(hours, new Date("2026-06-01T08:00:00Z"))).toBe(true);
    expect(openAt(hours, new Date("2026-06-01T16:00:00Z"))).toBe(false);
    // Sunday.
    expect(openAt(hours, new Date("2026-05-31T08:00:00Z"))).toBe(false);
    expect(openAt([], new Date("2026-05-31T08:00:00Z"))).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest, traceLines } from "../../../test/flow-harness.js";

const holders = async (
  queue: { snapshot(id: string): Promise<{ holders: readonly { itemId: string }[] }> },
  id: string,
) => (await queue.snapshot(id)).holders.map((h) => h.itemId);

describe("FlowEngine.run: slot scope", () => {
  it("holds the slot through announcements after acquired and gives it back at voicemail", async () => {
    const { clock, start, queue, t0 } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        queue: { type: "queue", data: { queueId: "q" } },
        note: { type: "announce", data: { message: { kind: "file", file: "you-are-next.wav" } } },
        vm: { type: "voicemail", data: { mailbox: "100" } },
      },
      [
        ["start", "next", "queue"],
        ["queue", "acquired", "note"],
        ["note", "next", "vm"],
      ],
    );
    const { progress, report } = start(flow, { media: () => 8000, voicemailMs: 30_000 });
    await clock.advance(7999);
    expect(await holders(queue, "q")).toEqual(["call-1"]);
    await clock.advance(1);
    expect(await holders(queue, "q")).toEqual([]);
    await drive(clock, report);
    expect(progress.map((p) => [p.kind, p.at - t0])).toEqual([
      ["enqueued", 0],
      ["acquired", 0],
      ["released", 8000],
    ]);
  });

  it("gives the slot back at another queue node, the same one included, and rejoins at the back", async () => {
    const { clock, start, queue, t0 } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        first: { type: "queue", data: { queueId: "q", announceEverySeconds: null } },
        wait: { type: "announce", data: { message: { kind: "file", file: "sorry.wav" } } },
        again: { type: "queue", data: { queueId: "q", announceEverySeconds: null } },
        other: { type: "queue", data: { queueId: "other" } },
        bye: { type: "hangup" },
      },
      [
        ["start", "next", "first"],
        ["first", "acquired", "wait"],
        ["wait", "next", "again"],
        ["again", "acquired", "other"],
        ["other", "acquired", "bye"],
      ],
    );
    const a = start(flow, { media: () => 5000 });
    const b = start(flow, { media: () => 5000 });
    await clock.advance(5000);
    // a left its slot to rejoin the line: b (who waited) goes first now.
    expect(await holders(queue, "q")).toEqual(["call-2"]);
    expect((await queue.snapshot("q")).waiters.map((w) => w.itemId)).toEqual(["call-1"]);
    await drive(clock, Promise.all([a.report, b.report]));
    expect(a.progress.map((p) => [p.kind, "queueId" in p ? p.queueId : "", p.at - t0])).toEqual([
      ["enqueued", "q", 0],
      ["acquired", "q", 0],
      ["released", "q", 5000],
      ["enqueued", "q", 5000],
      ["acquired", "q", 10_000],
      ["released", "q", 10_000],
      ["enqueued", "other", 10_000],
      ["acquired", "other", 10_000],
      ["released", "other", 10_000],
    ]);
    expect((await a.report).waitMs).toBe(5000);
  });

  it("gives the slot back when the caller hangs up after acquiring it", async () => {
    const { clock, start, queue } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        queue: { type: "queue", data: { queueId: "q" } },
        music: { type: "announce", data: { message: { kind: "file", file: "long.wav" } } },
      },
      [
        ["start", "next", "queue"],
        ["queue", "acquired", "music"],
      ],
    );
    const { call, report, progress } = start(flow, { media: () => 60_000 });
    await clock.advance(1000);
    call.hangUp();
    const result = await drive(clock, report);
    expect(await holders(queue, "q")).toEqual([]);
    expect(progress.at(-1)?.kind).toBe("released");
    expect(result).toMatchObject({
      outcome: "abandoned",
      acquiredAt: result.enqueuedAt,
      waitMs: 0,
    });
  });
});

describe("FlowEngine.run: queue noAgents", () => {
  const flow = buildFlow(
    {
      start: { type: "start" },
      queue: {
        type: "queue",
        data: {
          queueId: "q",
          leaveWhenNoAgents: true,
          agentGroupId: "sales",
          announceEverySeconds: null,
        },
      },
      talk: { type: "announce", data: { message: { kind: "file", file: "talk.wav" } } },
      vm: { type: "voicemail", data: { mailbox: "200" } },
      bye: { type: "hangup" },
    },
    [
      ["start", "next", "queue"],
      ["queue", "noAgents", "bye"],
      ["queue", "acquired", "talk"],
      ["talk", "next", "vm"],
    ],
  );

  it("leaves at once, without joining, when nobody of the group is logged in", async () => {
    const { clock, start, addAgents, agents, engineWith, queue } = setUpFlowTest();
    await addAgents("sales", ["user/1"], "loggedOut");
    await addAgents("support", ["user/2"]);
    const { report, progress } = start(flow, {}, engineWith({ agents }));
    const result = await drive(clock, report);
    expect(traceLines(result.trace)).toContain("output queue noAgents");
    expect(result).toMatchObject({
      outcome: "noAnswer",
      queueId: "q",
      enqueuedAt: null,
      waitMs: null,
    });
    expect(progress).toEqual([]);
    expect((await queue.snapshot("q")).maxConcurrent).toBeNull();
  });

  it("joins when someone is logged in, even on break, and leaves the line when the last one logs out", async () => {
    const { clock, start, addAgents, agents, engineWith, queue, t0 } = setUpFlowTest();
    await addAgents("sales", ["user/1"], "onBreak");
    const withAgents = engineWith({ agents });
    const holder = start(flow, { media: () => 600_000 }, withAgents);
    const waiter = start(flow, {}, withAgents);
    await clock.advance(30_000);
    expect((await queue.snapshot("q")).waiters.map((w) => w.itemId)).toEqual(["call-2"]);
    await agents.setStatus("user-1", "loggedOut");
    const result = await drive(clock, waiter.report);
    expect(result.trace.find((s) => s.kind === "output" && s.nodeId === "queue")).toMatchObject({
      at: t0 + 30_000,
      output: "noAgents",
      detail: { whileWaiting: true, waitMs: 30_000 },
    });
    expect(result).toMatchObject({ outcome: "noAnswer", waitMs: 30_000 });
    expect(waiter.progress.map((p) => p.kind)).toEqual(["enqueued"]);
    expect((await queue.snapshot("q")).waiters).toEqual([]);
    holder.call.hangUp();
    await drive(clock, holder.report);
  });

  it("without an agent registry, leaves only for a group without contacts and notes that it cannot tell", async () => {
    const { clock, start, engineWith } = setUpFlowTest();
    const groups: Record<string, string[]> = { sales: [] };
    const empty = start(
      flow,
      {},
      engineWith({ resolveAgentGroup: async (id) => groups[id] ?? null }),
    );
    expect(traceLines((await drive(clock, empty.report)).trace)).toContain("output queue noAgents");
    groups.sales = ["user/1"];
    const staffed = start(
      flow,
      {},
      engineWith({ resolveAgentGroup: async (id) => groups[id] ?? null }),
    );
    const blind = start(flow);
    const [joined, joinedBlind] = await drive(clock, Promise.all([staffed.report, blind.report]));
    for (const result of [joined, joinedBlind]) {
      expect(traceLines(result.trace)).toEqual(
        expect.arrayContaining(["note queue agentPresenceUnknown", "output queue acquired"]),
      );
      expect(result.outcome).toBe("voicemail");
    }
  });
});

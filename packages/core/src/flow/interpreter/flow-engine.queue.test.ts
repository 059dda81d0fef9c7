import { describe, expect, it } from "vitest";
import { drive } from "../../../test/drive.js";
import { buildFlow, setUpFlowTest, traceLines } from "../../../test/flow-harness.js";
import type { Clock } from "../../clock.js";
import { InMemoryBackend } from "../../queue/in-memory-backend.js";
import { Queue } from "../../queue/queue.js";

/** start → queue → ring user/1001 → bridge → hang up; the queue's other outputs as given. */
function supportFlow(queue: Record<string, unknown>, extra: Record<string, string> = {}) {
  const nodes = {
    start: { type: "start" },
    queue: { type: "queue", data: { queueId: "support", maxConcurrent: 1, ...queue } },
    ring: {
      type: "ringGroup",
      data: {
        targets: { kind: "destinations", destinations: ["user/1001"] },
        legTimeoutSeconds: 20,
      },
    },
    connect: { type: "bridge" },
    bye: { type: "hangup" },
    vm: { type: "voicemail", data: { mailbox: "7000" } },
  };
  return buildFlow(nodes, [
    ["start", "next", "queue"],
    ["queue", "acquired", "ring"],
    ["ring", "answered", "connect"],
    ["connect", "completed", "bye"],
    ...Object.entries(extra).map(([output, target]) => ["queue", output, target] as const),
  ]);
}

describe("FlowEngine.run: queue", () => {
  it("plays hold music in a loop, interrupted every announceEverySeconds by position and wait, and keeps it up while agents ring", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 2000, hangupAfterMs: 100_000 });
    const flow = supportFlow({ announceEverySeconds: 30, announceOnlyWhenChanged: false });
    const first = start(flow);
    await clock.advance(1000);
    const second = start(flow);
    const [, report] = await drive(clock, Promise.all([first.report, second.report]));

    const ops = second.call.operations.map((o) => [
      o.op,
      (o.at - t0) / 1000,
      o.endedAt === null ? null : (o.endedAt - t0) / 1000,
      o.args.file ?? o.args.text ?? o.args.legUuid ?? o.args.cause,
      o.result,
    ]);
    const announcement = "You are number 1 in line. Your estimated wait is about 3 minutes.";
    expect(ops.slice(0, 8)).toEqual([
      ["answer", 1, 1, undefined, undefined],
      ["play", 1, 31, "local_stream://moh", "interrupted"],
      ["speak", 31, 32, announcement, "played"],
      ["play", 32, 62, "local_stream://moh", "interrupted"],
      ["speak", 62, 63, announcement, "played"],
      ["play", 63, 93, "local_stream://moh", "interrupted"],
      ["speak", 93, 94, announcement, "played"],
      // The first caller's agent hangs up at 102 s: the slot passes on, the
      // music plays on while user/1001 rings, and stops for the bridge at 104 s.
      ["play", 94, 104, "local_stream://moh", "interrupted"],
    ]);
    expect(ops[8]?.[0]).toBe("bridge");
    expect(ops[8]?.[1]).toBe(104);
    expect(report).toMatchObject({
      outcome: "answered",
      queueId: "support",
      enqueuedAt: t0 + 1000,
      acquiredAt: t0 + 102_000,
      waitMs: 101_000,
      answeredAt: t0 + 104_000,
      agentContact: "user/1001",
    });
    expect(
      report.trace.filter((s) => s.detail?.event === "announcement").map((s) => s.at - t0),
    ).toEqual([32_000, 63_000, 94_000]);
    expect(second.progress.map((p) => [p.kind, p.at - t0])).toEqual([
      ["enqueued", 1000],
      ["acquired", 102_000],
      ["answered", 104_000],
      ["bridged", 104_000],
      ["released", 204_000],
    ]);
  });

  it("skips an announcement that would repeat the last one, and cuts one short when the slot comes", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 2000, hangupAfterMs: 100_000 });
    // Default: announceOnlyWhenChanged. Position 1 and "about 3 minutes" all along.
    const flow = supportFlow({ announceEverySeconds: 30 });
    const first = start(flow);
    await clock.advance(1000);
    const second = start(flow);
    const [, report] = await drive(clock, Promise.all([first.report, second.report]));
    const spoken = second.call.operations.filter((o) => o.op === "speak");
    expect(spoken.map((o) => (o.at - t0) / 1000)).toEqual([31]);
    expect(report.trace.filter((s) => s.detail?.event === "announcementSkipped")).toHaveLength(2);
    // The music ran on through the skipped ones, until the slot came at 102 s.
    const music = second.call.operations.filter((o) => o.op === "play");
    expect(
      music.map((o) => [(o.at - t0) / 1000, o.endedAt === null ? null : (o.endedAt - t0) / 1000]),
    ).toEqual([
      [1, 31],
      [32, 104],
    ]);
  });

  it("announces each waiter's own position, with the wait learnt from past hold times", async () => {
    const { clock, start, queue, t0 } = setUpFlowTest();
    const flow = buildFlow(
      {
        start: { type: "start" },
        queue: {
          type: "queue",
          data: {
            queueId: "sales",
            maxConcurrent: 2,
            announceEverySeconds: 60,
            announcement: { kind: "speech", text: "Number {position}, {ewt}." },
          },
        },
        hold: { type: "announce", data: { message: { kind: "file", file: "busy.wav" } } },
        bye: { type: "hangup" },
      },
      [
        ["start", "next", "queue"],
        ["queue", "acquired", "hold"],
        ["hold", "next", "bye"],
      ],
    );
    // Two slots, each held for 40 s (the file) by the first two callers.
    const media = (s: { kind: string; file?: string }) => (s.file === "busy.wav" ? 40_000 : 1000);
    const calls = [1, 2, 3, 4, 5].map(() => start(flow, { media }));
    await clock.advance(60_000);
    // At 40 s the first two left; callers 3 and 4 took their slots; caller 5 is first in line.
    expect(await queue.position("sales", "call-5")).toBe(1);
    const spoken = calls[4]?.call.operationsOf("speak").map((o) => [o.at - t0, o.args.text]);
    // Mean hold 40 s × position 1 ÷ 2 slots = 20 s.
    expect(spoken).toEqual([[60_000, "Number 1, less than a minute."]]);
    await drive(clock, Promise.all(calls.map((c) => c.report)));

    const { start: startAgain, clock: clock2, t0: t2 } = setUpFlowTest();
    const waiters = [1, 2, 3, 4].map(() => startAgain(flow, { media: () => "endless" }));
    await clock2.advance(60_000);
    expect(
      waiters.map((w) => w.call.operationsOf("speak").map((o) => [o.at - t2, o.args.text])),
    ).toEqual([
      [],
      [],
      // No history yet: 3 minutes per slot; positions 1 and 2 with 2 slots.
      [[60_000, "Number 1, about 2 minutes."]],
      [[60_000, "Number 2, about 3 minutes."]],
    ]);
    for (const w of waiters) w.call.hangUp();
    await drive(clock2, Promise.all(waiters.map((w) => w.report)));
  });

  it("cuts an announcement short when the slot comes", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 30_500 });
    const flow = supportFlow({
      announceEverySeconds: 30,
      announcement: { kind: "file", file: "long-announcement.wav" },
    });
    const first = start(flow);
    const second = start(flow, {
      media: (s) => (s.kind === "file" && s.file.startsWith("long") ? 10_000 : "endless"),
    });
    await drive(clock, Promise.all([first.report, second.report]));
    const announcement = second.call.operationsOf("play")[1];
    expect(announcement).toMatchObject({
      args: { file: "long-announcement.wav" },
      at: t0 + 30_000,
      endedAt: t0 + 31_500,
      result: "interrupted",
    });
    // The music is back for the ringing, without another announcement.
    expect(second.call.operationsOf("play")[2]).toMatchObject({
      at: t0 + 31_500,
      endedAt: t0 + 32_500,
    });
  });

  it("leaves by timeout after timeoutSeconds, then voicemail makes the outcome voicemail", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 0 });
    const flow = supportFlow({ timeoutSeconds: 90, announceEverySeconds: null }, { timeout: "vm" });
    const holder = start(flow);
    const waiter = start(flow);
    await clock.advance(90_000);
    holder.call.hangUp();
    const [, report] = await drive(clock, Promise.all([holder.report, waiter.report]));
    expect(traceLines(report.trace)).toContain("output queue timeout");
    expect(report).toMatchObject({
      outcome: "voicemail",
      queueId: "support",
      enqueuedAt: t0,
      acquiredAt: null,
      waitMs: 90_000,
    });
    expect(waiter.progress.map((p) => p.kind)).toEqual(["enqueued"]);
    expect(waiter.call.operationsOf("play")[0]).toMatchObject({ endedAt: t0 + 90_000 });
    expect(waiter.call.operationsOf("voicemail")[0]?.at).toBe(t0 + 90_000);
  });

  it("reports timeout when the flow hangs up after the queue gave up", async () => {
    const { clock, start, switchboard } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 0 });
    const flow = supportFlow({ timeoutSeconds: 10 }, { timeout: "bye" });
    const holder = start(flow);
    const waiter = start(flow);
    await clock.advance(10_000);
    holder.call.hangUp();
    const [, report] = await drive(clock, Promise.all([holder.report, waiter.report]));
    expect(report).toMatchObject({ outcome: "timeout", waitMs: 10_000 });
  });

  it("turns a caller away at once when maxWaiting callers already wait", async () => {
    const { clock, start, switchboard, queue } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 0 });
    const flow = supportFlow({ maxWaiting: 1 }, { full: "bye" });
    const holder = start(flow);
    const waiting = start(flow);
    const turnedAway = start(flow);
    await clock.advance(1000);
    expect((await queue.snapshot("support")).waiters.map((w) => w.itemId)).toEqual(["call-2"]);
    const away = await turnedAway.report;
    expect(traceLines(away.trace)).toContain("output queue full");
    expect(away).toMatchObject({
      outcome: "timeout",
      queueId: "support",
      enqueuedAt: null,
      waitMs: null,
    });
    expect(turnedAway.progress).toEqual([]);
    holder.call.hangUp();
    waiting.call.hangUp();
    await drive(clock, Promise.all([holder.report, waiting.report]));
  });

  it("takes VIP callers first: several calls through one queue", async () => {
    const { clock, start, switchboard, queue } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 0, hangupAfterMs: 10_000 });
    const flow = supportFlow({ vipNumbers: ["+4420*"], vipPriority: 0, priority: 5 });
    const order: string[] = [];
    queue.events.on("acquired", (e) => order.push(e.itemId));
    const callers = ["+15550001", "+15550002", "+15550003", "+442079460000", "+15550004"].map(
      (callerIdNumber) => start(flow, { callerIdNumber }),
    );
    await clock.advance(1);
    expect((await queue.snapshot("support")).waiters.map((w) => [w.itemId, w.priority])).toEqual([
      ["call-4", 0],
      ["call-2", 5],
      ["call-3", 5],
      ["call-5", 5],
    ]);
    await drive(clock, Promise.all(callers.map((c) => c.report)));
    expect(order).toEqual(["call-1", "call-4", "call-2", "call-3", "call-5"]);
    expect(callers[3]?.progress[0]).toMatchObject({ kind: "enqueued", priority: 0, vip: true });
  });

  it("takes a caller who hangs up out of the line at once, counted abandoned with the wait, and the next caller goes on", async () => {
    const { clock, start, switchboard, queue, t0 } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 0, hangupAfterMs: 60_000 });
    const flow = supportFlow({});
    const holder = start(flow);
    const leaver = start(flow);
    const next = start(flow);
    await clock.advance(20_000);
    leaver.call.hangUp();
    await clock.advance(0);
    expect((await queue.snapshot("support")).waiters.map((w) => w.itemId)).toEqual(["call-3"]);
    const left = await leaver.report;
    expect(left).toMatchObject({ outcome: "abandoned", waitMs: 20_000, endedAt: t0 + 20_000 });
    expect(leaver.progress).toEqual([
      { kind: "enqueued", queueId: "support", at: t0, priority: 5, vip: false },
      { kind: "abandoned", queueId: "support", at: t0 + 20_000, waitMs: 20_000 },
    ]);
    expect(leaver.call.operationsOf("play")[0]).toMatchObject({ endedAt: t0 + 20_000 });
    const [, , third] = await drive(clock, Promise.all([holder.report, left, next.report]));
    expect(third).toMatchObject({ outcome: "answered", acquiredAt: t0 + 60_000 });
  });

  it("gives a caller who joins again after a timeout the full time again", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 0, hangupAfterMs: 100_000 });
    const flow = buildFlow(
      {
        start: { type: "start" },
        first: { type: "queue", data: { queueId: "support", timeoutSeconds: 10 } },
        sorry: { type: "announce", data: { message: { kind: "speech", text: "Still busy." } } },
        again: { type: "queue", data: { queueId: "support", timeoutSeconds: 10 } },
        ring: {
          type: "ringGroup",
          data: { targets: { kind: "destinations", destinations: ["user/1001"] } },
        },
        connect: { type: "bridge" },
        bye: { type: "hangup" },
      },
      [
        ["start", "next", "first"],
        ["first", "acquired", "ring"],
        ["ring", "answered", "connect"],
        ["first", "timeout", "sorry"],
        ["sorry", "next", "again"],
        ["again", "timeout", "bye"],
      ],
    );
    const holder = start(flow);
    const waiter = start(flow);
    const result = await drive(clock, waiter.report);
    expect(
      result.trace
        .filter((s) => s.output === "timeout")
        .map((s) => [s.nodeId, s.at - t0, s.detail?.waitMs]),
    ).toEqual([
      ["first", 10_000, 10_000],
      ["again", 21_000, 10_000],
    ]);
    expect(result).toMatchObject({ outcome: "timeout", waitMs: 20_000, enqueuedAt: t0 });
    holder.call.hangUp();
    await drive(clock, holder.report);
  });

  it("stops hold music that will not play instead of restarting it, and loops music that does", async () => {
    const { clock, start, switchboard, t0 } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 0 });
    const flow = (holdMusic: string) => supportFlow({ holdMusic, announceEverySeconds: null });
    const holder = start(flow("local_stream://moh"));
    const lengths: Record<string, number | "notFound"> = {
      "missing.wav": "notFound",
      "click.wav": 200,
      "song.wav": 25_000,
    };
    const media = (s: { kind: string; file?: string }) => lengths[s.file ?? ""] ?? "endless";
    const waiters = ["missing.wav", "click.wav", "song.wav"].map((file) =>
      start(flow(file), { media }),
    );
    await clock.advance(60_000);
    const plays = waiters.map((w) => w.call.operationsOf("play").map((o) => [o.at - t0, o.result]));
    expect(plays).toEqual([
      [[0, "notFound"]],
      [[0, "played"]],
      [
        [0, "played"],
        [25_000, "played"],
        [50_000, undefined],
      ],
    ]);
    const stopped = await Promise.all(
      waiters.slice(0, 2).map(async (w) => {
        w.call.hangUp();
        return (await w.report).trace.find((s) => s.detail?.event === "holdMusicStopped")?.detail;
      }),
    );
    expect(stopped).toEqual([
      { event: "holdMusicStopped", file: "missing.wav", status: "notFound" },
      { event: "holdMusicStopped", file: "click.wav", status: "played", reason: "tooShort" },
    ]);
    for (const c of [holder, waiters[2]]) c?.call.hangUp();
    await drive(clock, Promise.all([holder.report, ...waiters.map((w) => w.report)]));
  });

  it("stamps the enqueued note with the queue's own join time, so note + wait is the slot's time", async () => {
    const { clock, start, switchboard, engineWith } = setUpFlowTest();
    switchboard.script("user/1001", { kind: "answer", afterMs: 1000, hangupAfterMs: 5000 });
    // Time passes between any two reads of a real clock: this one moves 1 ms per read.
    let reads = 0;
    const ticking: Clock = {
      now: () => clock.now() + ++reads,
      setTimeout: (callback, ms) => clock.setTimeout(callback, ms),
    };
    const queue = new Queue(new InMemoryBackend({ clock: ticking }));
    const flow = supportFlow({}, {});
    const engine = engineWith({ queue });
    const calls = [start(flow, {}, engine), start(flow, {}, engine)];
    const reports = await drive(clock, Promise.all(calls.map((c) => c.report)));
    for (const [index, report] of reports.entries()) {
      const note = report.trace.find((s) => s.detail?.event === "enqueued");
      const acquired = report.trace.find((s) => s.output === "acquired");
      const waitMs = acquired?.detail?.waitMs as number;
      const progress = calls[index]?.progress.find((p) => p.kind === "acquired");
      expect((note?.at ?? 0) + waitMs).toBe(progress?.at);
    }
  });
});

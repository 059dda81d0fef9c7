import { InMemoryLiveFeed, type LiveCommand, type LiveQueue } from "@ringflow/core/live";
import { type DatabaseProvider, LeaseLostError } from "@ringflow/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BoardMessage } from "@/server/live/board-stream";
import { createLiveServices } from "@/server/live/live-services";
import { type ApiHarness, openApiHarness, refusal } from "./api-harness";

/** A live queue state as a worker would publish it. */
const liveQueue = (queueId: string, at: number, waiting: number): LiveQueue => ({
  queueId,
  name: null,
  paused: false,
  maxConcurrent: 2,
  inSlot: 1,
  waiting: Array.from({ length: waiting }, (_, i) => ({
    callUuid: `${queueId}-w${i}`,
    callerNumber: "5550100",
    priority: 0,
    vip: i === 0,
    position: i + 1,
    enqueuedAt: at - 5_000,
    estimateMs: 30_000 * (i + 1),
  })),
  at,
});

/** Reads `count` messages of a subscription, then stops it. */
async function firstMessages(stream: AsyncIterable<BoardMessage>, count: number) {
  const messages: BoardMessage[] = [];
  for await (const message of stream) {
    messages.push(message);
    if (messages.length === count) break;
  }
  return messages;
}

let serial = 0;
const unique = (prefix: string) => `${prefix}${++serial}${Date.now().toString(36)}`;

const queueInput = (id: string) => ({
  id,
  name: `Queue ${id}`,
  maxConcurrent: 3,
  maxWaiting: 20,
  timeoutSeconds: 300,
  holdMusic: null,
  announceEverySeconds: null,
});

/** A finished call of `queueId` that entered `minutesAgo` and waited `waitSeconds`. */
function finishedCall(
  queueId: string,
  minutesAgo: number,
  waitSeconds: number,
  outcome: "answered" | "abandoned" | "timeout",
) {
  const enqueuedAt = new Date(Date.now() - minutesAgo * 60_000);
  return {
    callUuid: unique(`${queueId}-call`),
    numberDialled: "7000",
    callerNumber: "5550100",
    startedAt: new Date(enqueuedAt.getTime() - 500),
    enqueuedAt,
    waitMs: waitSeconds * 1000,
    endedAt: new Date(enqueuedAt.getTime() + waitSeconds * 1000 + 1000),
    outcome,
    queueId,
    workerId: "w1",
  };
}

/** A fixed-offset zone where it is about noon now, so "today" holds the last few hours. */
function zoneAtNoon(): string {
  const offset = 12 - new Date().getUTCHours(); // -11..12
  // Etc/GMT zones' signs are inverted: Etc/GMT-3 is UTC+3.
  return offset === 0 ? "UTC" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`;
}

/**
 * The wall-board's API through `createCaller`: who may read it (people, TV
 * tokens), today's figures and history from call records, and TV links.
 */
export function describeWallboardApi(provider: DatabaseProvider): void {
  let api: ApiHarness;
  let supervisor: Awaited<ReturnType<ApiHarness["addUser"]>>;
  // The workers' side, in this process: a feed the test publishes to, and the commands sent.
  const feed = new InMemoryLiveFeed();
  const sent: LiveCommand[] = [];
  let workersReachable = true;
  let feedReadable = true;
  const live = createLiveServices({
    feed: async () => ({
      async snapshot() {
        if (!feedReadable) throw new Error("no worker answered");
        return feed.snapshot();
      },
      subscribe: (listener, options) => feed.subscribe(listener, options),
      close: () => feed.close(),
    }),
    commands: async () => ({
      async send(command) {
        if (!workersReachable) throw new Error("no worker answered");
        sent.push(command);
      },
      async close() {},
    }),
  });

  beforeAll(async () => {
    api = await openApiHarness(provider, { live });
    supervisor = await api.addUser("supervisor");
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it("keeps a queue's service level threshold and time zone, and refuses an unknown zone", async () => {
    const id = unique("slq");
    const created = await api.admin.queues.create({
      ...queueInput(id),
      serviceLevelSeconds: 30,
      timeZone: "Europe/Berlin",
    });
    expect(created).toMatchObject({ serviceLevelSeconds: 30, timeZone: "Europe/Berlin" });
    const refused = await refusal(
      api.admin.queues.update({
        ...queueInput(id),
        timeZone: "Mars/Olympus",
        expectedRevision: created.revision,
      }),
    );
    expect(refused.code).toBe("BAD_REQUEST");
    expect(refused.data.fieldErrors?.timeZone?.[0]).toMatch(/time zone/);
    // Omitted, both keep their value.
    const updated = await api.admin.queues.update({
      ...queueInput(id),
      name: "Renamed",
      expectedRevision: created.revision,
    });
    expect(updated).toMatchObject({ serviceLevelSeconds: 30, timeZone: "Europe/Berlin" });
  });

  it("shows today's figures per queue to a supervisor: answered, abandoned, average wait, service level", async () => {
    const queueId = unique("figs");
    const timeZone = zoneAtNoon();
    await api.admin.queues.create({ ...queueInput(queueId), serviceLevelSeconds: 20, timeZone });
    const calls = [
      finishedCall(queueId, 3, 5, "answered"),
      finishedCall(queueId, 2, 15, "answered"),
      finishedCall(queueId, 2, 60, "answered"),
      finishedCall(queueId, 1, 40, "abandoned"),
    ];
    for (const call of calls) await api.services.db.calls.record(call);
    const figures = await supervisor.caller.wallboard.figures({});
    const mine = figures.find((f) => f.queueId === queueId);
    expect(mine).toMatchObject({
      name: `Queue ${queueId}`,
      maxConcurrent: 3,
      serviceLevelSeconds: 20,
      timeZone,
      answered: 3,
      abandoned: 1,
      timedOut: 0,
      answeredWithinServiceLevel: 2,
      serviceLevel: 0.5,
      averageWaitMs: Math.round(80_000 / 3),
      longestAnsweredWaitMs: 60_000,
    });
    expect((await refusal(api.anonymous.wallboard.figures({}))).code).toBe("UNAUTHORIZED");
  });

  it("counts every queue per state in one call: live waiting and in slot, today's outcomes, callbacks", async () => {
    const configured = unique("cnt");
    const liveOnly = unique("cntlive");
    await api.admin.queues.create({ ...queueInput(configured), timeZone: zoneAtNoon() });
    for (const call of [
      finishedCall(configured, 3, 5, "answered"),
      finishedCall(configured, 2, 15, "answered"),
      finishedCall(configured, 2, 40, "abandoned"),
      finishedCall(configured, 1, 300, "timeout"),
      finishedCall(unique("elsewhere"), 1, 5, "answered"),
    ]) {
      await api.services.db.calls.record(call);
    }
    // Callback requests: two waiting for a call back, one that ran out of attempts.
    const callbacks = api.services.db.callbacks;
    const callback = (number: string, maxAttempts = 3) =>
      callbacks.create({ queueId: configured, number, requestedAt: new Date(), maxAttempts });
    await callback("5550101");
    await callback("5550102");
    const { request: doomed } = await callback("5550103", 1);
    await callbacks.claimDue({
      owner: "w1",
      now: new Date(Date.now() + 1),
      leaseMs: 30_000,
      limit: 3,
      queueIds: [configured],
    });
    for (const open of await callbacks.listOpen({ queueId: configured })) {
      if (open.id === doomed.id) {
        await callbacks.recordFailedAttempt({
          id: open.id,
          owner: "w1",
          result: "noAnswer",
          now: new Date(),
        });
      }
    }
    feed.publish({ type: "queue", queue: liveQueue(configured, Date.now(), 3) });
    feed.publish({ type: "queue", queue: liveQueue(liveOnly, Date.now(), 1) });

    const counts = await supervisor.caller.queues.counts({});
    expect(counts.live).toBe(true);
    const of = (queueId: string) => counts.queues.find((q) => q.queueId === queueId);
    expect(of(configured)).toMatchObject({
      waiting: 3,
      inSlot: 1,
      completed: 2,
      abandoned: 1,
      timedOut: 1,
      callbacksPending: 2,
      callbacksFailed: 1,
    });
    // A queue only the workers know (no configuration, no call today) is counted too.
    expect(of(liveOnly)).toMatchObject({ waiting: 1, inSlot: 1, completed: 0, abandoned: 0 });
    // The same finished calls as the board's day figures.
    const figures = (await supervisor.caller.wallboard.figures({})).find(
      (f) => f.queueId === configured,
    );
    expect(figures).toMatchObject({ answered: 2, abandoned: 1, timedOut: 1 });

    // A TV link reads the counts as it reads the board; nobody else without signing in.
    const { token } = await api.admin.wallboard.tokens.create({ name: "Counts TV" });
    expect(
      (await api.anonymous.queues.counts({ tvToken: token })).queues.map((q) => q.queueId),
    ).toContain(configured);
    expect((await refusal(api.anonymous.queues.counts({}))).code).toBe("UNAUTHORIZED");

    // The workers' live state unreadable: the stored counts still come, the live ones are unknown.
    feedReadable = false;
    try {
      const offline = await supervisor.caller.queues.counts({});
      expect(offline.live).toBe(false);
      expect(offline.queues.find((q) => q.queueId === configured)).toMatchObject({
        waiting: null,
        inSlot: null,
        completed: 2,
      });
    } finally {
      feedReadable = true;
    }
  });

  it("lists the callbacks waiting and those ended, and lets a supervisor cancel one; not an agent, nor anyone signed out", async () => {
    const queueId = unique("cbq");
    await api.admin.queues.create(queueInput(queueId));
    const callbacks = api.services.db.callbacks;
    const ask = (number: string, requestedAt: Date) =>
      callbacks.create({ queueId, number, callerName: "Ann", requestedAt, maxAttempts: 2 });
    const { request: first } = await ask("5550201", new Date(Date.now() - 60_000));
    const { request: second } = await ask("5550202", new Date(Date.now() - 30_000));
    const { request: third } = await ask("5550203", new Date(Date.now() - 10_000));
    // A worker holds the first in line and is dialling it.
    await callbacks.claimDue({
      owner: "w1",
      now: new Date(),
      leaseMs: 30_000,
      limit: 1,
      queueIds: [queueId],
    });
    await callbacks.markDialling({
      id: first.id,
      owner: "w1",
      now: new Date(),
      customerLeg: "leg",
    });

    const open = await supervisor.caller.callbacks.list({ view: "open", queueId });
    expect(open.map((r) => [r.number, r.status, r.dialling, r.workerId])).toEqual([
      ["5550201", "dialling", true, "w1"],
      ["5550202", "pending", false, null],
      ["5550203", "pending", false, null],
    ]);
    expect(open[0]).toMatchObject({ callerName: "Ann", attempts: 0, maxAttempts: 2 });
    expect(await supervisor.caller.callbacks.list({ view: "ended", queueId })).toEqual([]);

    const cancelled = await supervisor.caller.callbacks.cancel({ id: second.id });
    expect(cancelled.status).toBe("cancelled");
    // The worker dialling a cancelled request loses its lease.
    await callbacks.cancel(first.id);
    await expect(
      callbacks.renewLease({ id: first.id, owner: "w1", now: new Date(), leaseMs: 1 }),
    ).rejects.toBeInstanceOf(LeaseLostError);
    expect(
      (await supervisor.caller.callbacks.list({ view: "open", queueId })).map((r) => r.id),
    ).toEqual([third.id]);
    expect(
      (await supervisor.caller.callbacks.list({ view: "ended", queueId })).map((r) => r.status),
    ).toEqual(["cancelled", "cancelled"]);
    // Without a queue, every queue's are listed.
    expect((await supervisor.caller.callbacks.list({ view: "open" })).map((r) => r.id)).toContain(
      third.id,
    );
    expect((await refusal(supervisor.caller.callbacks.cancel({ id: "no-such" }))).code).toBe(
      "NOT_FOUND",
    );

    const agent = await api.addUser("agent");
    expect((await refusal(agent.caller.callbacks.list({ view: "open" }))).code).toBe("FORBIDDEN");
    expect((await refusal(agent.caller.callbacks.cancel({ id: third.id }))).code).toBe("FORBIDDEN");
    expect((await refusal(api.anonymous.callbacks.list({ view: "open" }))).code).toBe(
      "UNAUTHORIZED",
    );
    expect((await callbacks.get(third.id))?.status).toBe("pending");
  });

  it("charts recent history in ten-minute buckets: peak waiting and service level", async () => {
    const queueId = unique("hist");
    await api.admin.queues.create(queueInput(queueId));
    await api.services.db.calls.record(finishedCall(queueId, 30, 10, "answered"));
    await api.services.db.calls.record(finishedCall(queueId, 30, 12, "abandoned"));
    const history = await supervisor.caller.wallboard.history({ hours: 2 });
    const points = history.find((h) => h.queueId === queueId)?.points ?? [];
    expect(points).toHaveLength(12);
    expect(points.every((p, i) => i === 0 || p.at > (points[i - 1]?.at ?? p.at))).toBe(true);
    expect(Math.max(...points.map((p) => p.peakWaiting))).toBe(2);
    expect(points.reduce((sum, p) => sum + p.answered + p.abandoned, 0)).toBe(2);
    const withCalls = points.filter((p) => p.serviceLevel !== null);
    expect(withCalls.length).toBeGreaterThanOrEqual(1);
    expect(
      withCalls.reduce((sum, p) => sum + (p.serviceLevel ?? 0) * (p.answered + p.abandoned), 0),
    ).toBeCloseTo(1);
  });

  it("lets a TV read the board with a token an admin made, until it is revoked", async () => {
    const created = await api.admin.wallboard.tokens.create({ name: "Lobby TV" });
    expect(created.record).toMatchObject({ name: "Lobby TV", revokedAt: null });
    const listed = await api.admin.wallboard.tokens.list();
    expect(listed.map((t) => t.id)).toContain(created.record.id);
    expect(JSON.stringify(listed)).not.toContain(created.token);

    await expect(
      api.anonymous.wallboard.figures({ tvToken: created.token }),
    ).resolves.toBeInstanceOf(Array);
    const wrong = await refusal(api.anonymous.wallboard.figures({ tvToken: "not-a-token" }));
    expect(wrong).toMatchObject({ code: "UNAUTHORIZED", data: { domainCode: "TV_TOKEN_INVALID" } });

    await api.admin.wallboard.tokens.revoke({ id: created.record.id });
    const revoked = await refusal(api.anonymous.wallboard.history({ tvToken: created.token }));
    expect(revoked).toMatchObject({
      code: "UNAUTHORIZED",
      data: { domainCode: "TV_TOKEN_INVALID" },
    });
  });

  it("keeps TV links to admins: a supervisor can neither list, create nor revoke them", async () => {
    const { record } = await api.admin.wallboard.tokens.create({ name: "Ops TV" });
    expect((await refusal(supervisor.caller.wallboard.tokens.list())).code).toBe("FORBIDDEN");
    expect((await refusal(supervisor.caller.wallboard.tokens.create({ name: "x" }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(supervisor.caller.wallboard.tokens.revoke({ id: record.id }))).code).toBe(
      "FORBIDDEN",
    );
    const missing = await refusal(api.admin.wallboard.tokens.revoke({ id: "no-such-token" }));
    expect(missing).toMatchObject({ code: "NOT_FOUND", data: { domainCode: "NOT_FOUND" } });
  });

  it("streams a fresh snapshot then events to a supervisor, and again on each new connection", async () => {
    const queueId = unique("live");
    feed.publish({ type: "queue", queue: liveQueue(queueId, Date.now(), 1) });
    const stream = await supervisor.caller.wallboard.live({});
    const iterator = stream[Symbol.asyncIterator]();
    const first = (await iterator.next()).value as BoardMessage;
    expect(first.type).toBe("snapshot");
    expect(
      first.type === "snapshot" && first.snapshot.queues.find((q) => q.queueId === queueId),
    ).toMatchObject({ waiting: [expect.objectContaining({ vip: true, position: 1 })] });
    const next = iterator.next();
    feed.publish({ type: "queue", queue: liveQueue(queueId, Date.now() + 1, 2) });
    expect(((await next).value as BoardMessage).type).toBe("events");
    await iterator.return?.();

    // A second connection (a reconnecting browser) starts from a snapshot holding both callers.
    const [again] = await firstMessages(await supervisor.caller.wallboard.live({}), 1);
    expect(
      again?.type === "snapshot" &&
        again.snapshot.queues.find((q) => q.queueId === queueId)?.waiting.length,
    ).toBe(2);
  });

  it("streams to a TV with a valid link only", async () => {
    const { token } = await api.admin.wallboard.tokens.create({ name: "Stream TV" });
    const [message] = await firstMessages(
      await api.anonymous.wallboard.live({ tvToken: token }),
      1,
    );
    expect(message?.type).toBe("snapshot");
    const refused = await refusal(api.anonymous.wallboard.live({ tvToken: "nope" }));
    expect(refused).toMatchObject({
      code: "UNAUTHORIZED",
      data: { domainCode: "TV_TOKEN_INVALID" },
    });
    expect((await refusal(api.anonymous.wallboard.live({}))).code).toBe("UNAUTHORIZED");
  });

  it("lets a supervisor set an agent's status: stored, then sent to the workers", async () => {
    const agent = await api.admin.agents.create({
      name: "Grace",
      contact: `user/${unique("g")}`,
      status: "available",
      wrapUpSeconds: 0,
      maxNoAnswer: 3,
    });
    const roster = await supervisor.caller.wallboard.roster({});
    expect(roster.agents).toContainEqual(
      expect.objectContaining({ id: agent.id, name: "Grace", status: "available" }),
    );
    expect(
      await supervisor.caller.wallboard.setAgentStatus({ agentId: agent.id, status: "onBreak" }),
    ).toEqual({ delivered: true });
    expect((await api.services.db.agents.get(agent.id))?.status).toBe("onBreak");
    expect(sent).toContainEqual({ type: "setAgentStatus", agentId: agent.id, status: "onBreak" });

    // No worker reachable: the database still holds the change, and the answer says so.
    workersReachable = false;
    try {
      expect(
        await supervisor.caller.wallboard.setAgentStatus({
          agentId: agent.id,
          status: "loggedOut",
        }),
      ).toEqual({ delivered: false });
    } finally {
      workersReachable = true;
    }
    expect((await api.services.db.agents.get(agent.id))?.status).toBe("loggedOut");

    const missing = await refusal(
      supervisor.caller.wallboard.setAgentStatus({ agentId: "nobody", status: "onBreak" }),
    );
    expect(missing).toMatchObject({ code: "NOT_FOUND", data: { domainCode: "NOT_FOUND" } });
    const { token } = await api.admin.wallboard.tokens.create({ name: "Read-only TV" });
    expect(
      (
        await refusal(
          api.anonymous.wallboard.setAgentStatus({
            agentId: agent.id,
            status: "available",
            ...{ tvToken: token },
          }),
        )
      ).code,
    ).toBe("UNAUTHORIZED");
  });

  it("sends a queue's saved Max concurrent to the workers when it is created or changed, not otherwise", async () => {
    const queueId = unique("limit");
    const created = await api.admin.queues.create(queueInput(queueId));
    expect(sent.at(-1)).toEqual({ type: "setQueueLimit", queueId, maxConcurrent: 3 });
    const raised = await api.admin.queues.update({
      ...queueInput(queueId),
      maxConcurrent: 5,
      expectedRevision: created.revision,
    });
    expect(sent.at(-1)).toEqual({ type: "setQueueLimit", queueId, maxConcurrent: 5 });
    const count = sent.length;
    await api.admin.queues.update({
      ...queueInput(queueId),
      maxConcurrent: 5,
      name: "Renamed",
      expectedRevision: raised.revision,
    });
    expect(sent.length).toBe(count);
  });

  it("lets a supervisor pause and resume a queue: stored, then sent to the workers; not a TV", async () => {
    const queueId = unique("pause");
    expect(await supervisor.caller.wallboard.setQueuePaused({ queueId, paused: true })).toEqual({
      delivered: true,
    });
    expect((await api.services.db.queueStates.get(queueId)).paused).toBe(true);
    expect(sent).toContainEqual({ type: "setQueuePaused", queueId, paused: true });
    await supervisor.caller.wallboard.setQueuePaused({ queueId, paused: false });
    expect((await api.services.db.queueStates.get(queueId)).paused).toBe(false);
    expect(sent.at(-1)).toEqual({ type: "setQueuePaused", queueId, paused: false });
    const { token } = await api.admin.wallboard.tokens.create({ name: "No controls TV" });
    const refused = await refusal(
      api.anonymous.wallboard.setQueuePaused({ queueId, paused: true, ...{ tvToken: token } }),
    );
    expect(refused.code).toBe("UNAUTHORIZED");
    expect((await api.services.db.queueStates.get(queueId)).paused).toBe(false);
  });
}

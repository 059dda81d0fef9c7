import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NotFoundError } from "../src/errors.js";
import { startOfLocalDay } from "../src/repositories/queue-stats.js";
import type { BehaviourFixture } from "./behaviour-fixture.js";
import { graphNaming, unique } from "./behaviour-fixture.js";

const at = (iso: string) => new Date(iso);

/** A finished call of `queueId` that entered at `enqueued` and waited `waitMs`. */
function queueCall(
  queueId: string,
  enqueued: string,
  waitMs: number,
  outcome: "answered" | "abandoned" | "timeout",
) {
  const enqueuedAt = at(enqueued);
  return {
    callUuid: randomUUID(),
    numberDialled: "7000",
    callerNumber: "5550100",
    startedAt: new Date(enqueuedAt.getTime() - 1_000),
    enqueuedAt,
    waitMs,
    acquiredAt: outcome === "answered" ? new Date(enqueuedAt.getTime() + waitMs) : null,
    endedAt: new Date(enqueuedAt.getTime() + waitMs + 60_000),
    outcome,
    queueId,
    workerId: "w1",
  };
}

/** The wall-board's storage: today's queue figures, history buckets, TV tokens. */
export function describeWallboard(fixture: () => BehaviourFixture): void {
  describe("wall-board", () => {
    it("finds local midnight in a time zone, across a daylight saving change", () => {
      expect(startOfLocalDay("UTC", at("2026-12-07T15:30:00Z")).toISOString()).toBe(
        "2026-12-07T00:00:00.000Z",
      );
      // Berlin is UTC+1 in winter: its midnight is 23:00 UTC the day before.
      expect(startOfLocalDay("Europe/Berlin", at("2026-12-07T15:30:00Z")).toISOString()).toBe(
        "2026-12-06T23:00:00.000Z",
      );
      expect(startOfLocalDay("Europe/Berlin", at("2026-12-06T22:59:59Z")).toISOString()).toBe(
        "2026-12-05T23:00:00.000Z",
      );
      // 29 March 2026: clocks go forward at 02:00, midnight was still UTC+1.
      expect(startOfLocalDay("Europe/Berlin", at("2026-03-29T18:00:00Z")).toISOString()).toBe(
        "2026-03-28T23:00:00.000Z",
      );
      expect(startOfLocalDay("America/New_York", at("2026-07-01T03:00:00Z")).toISOString()).toBe(
        "2026-06-30T04:00:00.000Z",
      );
      expect(() => startOfLocalDay("Mars/Olympus", new Date())).toThrow(RangeError);
    });

    it("keeps a queue's service level threshold and time zone, with defaults", async () => {
      const { db } = fixture();
      const id = unique("slq");
      expect(await db.queues.save({ id, name: "Q", maxConcurrent: 1 })).toMatchObject({
        serviceLevelSeconds: 20,
        timeZone: "UTC",
      });
      const saved = await db.queues.save({
        id,
        name: "Q",
        maxConcurrent: 1,
        serviceLevelSeconds: 30,
        timeZone: "Europe/Berlin",
      });
      expect(await db.queues.get(id)).toMatchObject({
        serviceLevelSeconds: 30,
        timeZone: "Europe/Berlin",
      });
      const updated = await db.queues.update({
        id,
        expectedRevision: saved.revision,
        serviceLevelSeconds: 45,
      });
      expect(updated).toMatchObject({ serviceLevelSeconds: 45, timeZone: "Europe/Berlin" });
    });

    it("counts today's calls from the queue's local midnight, with service level and average wait", async () => {
      const { db } = fixture();
      const queueId = unique("today");
      await db.queues.save({
        id: queueId,
        name: "Today",
        maxConcurrent: 2,
        serviceLevelSeconds: 20,
        timeZone: "Europe/Berlin",
      });
      const now = at("2026-12-07T10:00:00Z");
      const calls = [
        // Yesterday in Berlin (22:30 UTC on the 6th is 23:30 local): not today.
        queueCall(queueId, "2026-12-06T22:30:00Z", 5_000, "answered"),
        // Today in Berlin (23:30 UTC on the 6th is 00:30 local on the 7th).
        queueCall(queueId, "2026-12-06T23:30:00Z", 10_000, "answered"),
        queueCall(queueId, "2026-12-07T08:00:00Z", 20_000, "answered"),
        queueCall(queueId, "2026-12-07T08:10:00Z", 90_000, "answered"),
        queueCall(queueId, "2026-12-07T08:20:00Z", 40_000, "abandoned"),
        queueCall(queueId, "2026-12-07T08:30:00Z", 300_000, "timeout"),
      ];
      // Another queue's call and a call still in progress count for nothing.
      const other = queueCall(unique("other"), "2026-12-07T08:00:00Z", 1_000, "answered");
      const running = {
        ...queueCall(queueId, "2026-12-07T09:59:00Z", 0, "answered"),
        outcome: null,
        waitMs: null,
        acquiredAt: null,
        endedAt: null,
      };
      for (const call of [...calls, other, running]) await db.calls.record(call);

      const [stats] = await db.queueStats.today({ now, queueIds: [queueId] });
      expect(stats).toEqual({
        queueId,
        dayStartedAt: at("2026-12-06T23:00:00Z"),
        serviceLevelSeconds: 20,
        answered: 3,
        abandoned: 1,
        timedOut: 1,
        answeredWithinServiceLevel: 2,
        serviceLevel: 2 / 5,
        averageWaitMs: 40_000,
        longestAnsweredWaitMs: 90_000,
      });
      const empty = unique("empty");
      await db.queues.save({ id: empty, name: "Empty", maxConcurrent: 1 });
      expect(await db.queueStats.today({ now, queueIds: [empty, "not-a-queue"] })).toEqual([
        expect.objectContaining({
          queueId: empty,
          answered: 0,
          serviceLevel: null,
          averageWaitMs: null,
        }),
      ]);
    });

    it("counts every queue's finished waits today in one call, each from its own midnight", async () => {
      const { db } = fixture();
      const berlin = unique("cberlin");
      const york = unique("cyork");
      const quiet = unique("cquiet");
      const adhoc = unique("cadhoc"); // named by a flow, never configured: counted in UTC
      await db.queues.save({ id: berlin, name: "B", maxConcurrent: 1, timeZone: "Europe/Berlin" });
      await db.queues.save({ id: york, name: "Y", maxConcurrent: 1, timeZone: "America/New_York" });
      await db.queues.save({ id: quiet, name: "Q", maxConcurrent: 1 });
      const now = at("2026-12-07T10:00:00Z");
      const calls = [
        // Berlin's day began at 23:00 UTC on the 6th.
        queueCall(berlin, "2026-12-06T22:30:00Z", 5_000, "answered"), // yesterday there
        queueCall(berlin, "2026-12-06T23:30:00Z", 5_000, "answered"),
        queueCall(berlin, "2026-12-07T08:00:00Z", 5_000, "answered"),
        queueCall(berlin, "2026-12-07T08:10:00Z", 5_000, "abandoned"),
        queueCall(berlin, "2026-12-07T08:20:00Z", 5_000, "timeout"),
        // New York's day began at 05:00 UTC on the 7th: the 04:00 call was yesterday there.
        queueCall(york, "2026-12-07T04:00:00Z", 5_000, "abandoned"),
        queueCall(york, "2026-12-07T06:00:00Z", 5_000, "abandoned"),
        queueCall(york, "2026-12-07T06:30:00Z", 5_000, "timeout"),
        queueCall(adhoc, "2026-12-06T23:30:00Z", 5_000, "answered"), // yesterday in UTC
        queueCall(adhoc, "2026-12-07T00:30:00Z", 5_000, "answered"),
        // After `now`: not counted.
        queueCall(berlin, "2026-12-07T10:30:00Z", 5_000, "answered"),
      ];
      // Other outcomes and a call still running are no finished wait.
      const voicemail = {
        ...queueCall(berlin, "2026-12-07T09:00:00Z", 5_000, "answered"),
        outcome: "voicemail" as const,
      };
      const running = {
        ...queueCall(berlin, "2026-12-07T09:59:00Z", 0, "answered"),
        outcome: null,
        waitMs: null,
        acquiredAt: null,
        endedAt: null,
      };
      for (const call of calls) await db.calls.record(call);
      await db.calls.record(voicemail);
      await db.calls.record(running);

      const counts = await db.queueStats.counts({ now });
      const of = (queueId: string) => counts.find((c) => c.queueId === queueId);
      const zero = { callbacksPending: 0, callbacksFailed: 0 };
      expect(of(berlin)).toEqual({
        queueId: berlin,
        dayStartedAt: at("2026-12-06T23:00:00Z"),
        completed: 2,
        abandoned: 1,
        timedOut: 1,
        ...zero,
      });
      expect(of(york)).toEqual({
        queueId: york,
        dayStartedAt: at("2026-12-07T05:00:00Z"),
        completed: 0,
        abandoned: 1,
        timedOut: 1,
        ...zero,
      });
      // Configured with no call today: listed, all zero.
      expect(of(quiet)).toEqual({
        queueId: quiet,
        dayStartedAt: at("2026-12-07T00:00:00Z"),
        completed: 0,
        abandoned: 0,
        timedOut: 0,
        ...zero,
      });
      expect(of(adhoc)).toEqual({
        queueId: adhoc,
        dayStartedAt: at("2026-12-07T00:00:00Z"),
        completed: 1,
        abandoned: 0,
        timedOut: 0,
        ...zero,
      });
      const ids = counts.map((c) => c.queueId);
      expect(ids).toEqual([...ids].sort());
      // The same figures as the wall-board's day statistics.
      const [stats] = await db.queueStats.today({ now, queueIds: [berlin] });
      expect(stats).toMatchObject({ answered: 2, abandoned: 1, timedOut: 1 });
    });

    it("buckets recent history: peak callers waiting and service level per bucket", async () => {
      const { db } = fixture();
      const queueId = unique("hist");
      await db.queues.save({ id: queueId, name: "H", maxConcurrent: 1, serviceLevelSeconds: 30 });
      const calls = [
        // Began before the window, still waiting at its start, answered late in bucket 0.
        queueCall(queueId, "2026-12-07T08:55:00Z", 8 * 60_000, "answered"),
        // Bucket 0: two more, each overlapping it (never more than 2 at once).
        queueCall(queueId, "2026-12-07T09:01:00Z", 10_000, "answered"),
        queueCall(queueId, "2026-12-07T09:01:55Z", 70_000, "abandoned"),
        // Bucket 1: one answered quickly.
        queueCall(queueId, "2026-12-07T09:12:00Z", 5_000, "answered"),
      ];
      for (const call of calls) await db.calls.record(call);
      const points = await db.queueStats.history({
        queueId,
        since: at("2026-12-07T09:00:00Z"),
        until: at("2026-12-07T09:30:00Z"),
        bucketMs: 10 * 60_000,
      });
      expect(points).toEqual([
        {
          at: at("2026-12-07T09:00:00Z"),
          peakWaiting: 2,
          answered: 2,
          abandoned: 1,
          timedOut: 0,
          serviceLevel: 1 / 3,
        },
        {
          at: at("2026-12-07T09:10:00Z"),
          peakWaiting: 1,
          answered: 1,
          abandoned: 0,
          timedOut: 0,
          serviceLevel: 1,
        },
        {
          at: at("2026-12-07T09:20:00Z"),
          peakWaiting: 0,
          answered: 0,
          abandoned: 0,
          timedOut: 0,
          serviceLevel: null,
        },
      ]);
      await expect(
        db.queueStats.history({
          queueId,
          since: at("2026-12-01T00:00:00Z"),
          until: at("2026-12-07T00:00:00Z"),
          bucketMs: 60_000,
        }),
      ).rejects.toBeInstanceOf(RangeError);
    });

    it("names the agent groups each queue's live flows ring", async () => {
      const { db } = fixture();
      const queueId = unique("served");
      const group = await db.groups.create({ name: unique("group") });
      const flow = await db.flows.create({
        name: unique("flow"),
        draftGraph: graphNaming({ queueId, agentGroupId: group.id }),
      });
      expect((await db.queueStats.agentGroupsByQueue())[queueId]).toBeUndefined();
      await db.versions.publish({ flowId: flow.id, publishedBy: "test" });
      expect((await db.queueStats.agentGroupsByQueue())[queueId]).toEqual([group.id]);
    });

    it("creates TV tokens shown once, stores only their hash, checks and revokes them", async () => {
      const { db } = fixture();
      const { token, record } = await db.wallboardTokens.create({
        name: "Lobby TV",
        createdBy: "admin-1",
      });
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(record).toMatchObject({ name: "Lobby TV", revokedAt: null, lastUsedAt: null });
      expect(JSON.stringify(await db.wallboardTokens.list())).not.toContain(token);

      const when = at("2026-12-07T10:00:00Z");
      expect(await db.wallboardTokens.verify(token, when)).toMatchObject({
        id: record.id,
        lastUsedAt: when,
      });
      expect(await db.wallboardTokens.verify(`${token}x`)).toBeNull();
      expect(await db.wallboardTokens.verify("")).toBeNull();

      const revoked = await db.wallboardTokens.revoke(record.id, at("2026-12-07T11:00:00Z"));
      expect(revoked.revokedAt).toEqual(at("2026-12-07T11:00:00Z"));
      expect(await db.wallboardTokens.verify(token)).toBeNull();
      // A second revocation keeps the first time.
      expect((await db.wallboardTokens.revoke(record.id)).revokedAt).toEqual(
        at("2026-12-07T11:00:00Z"),
      );
      await expect(db.wallboardTokens.revoke("no-such-token")).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });
}

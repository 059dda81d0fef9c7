import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../src/create-db.js";
import type { DatabaseProvider } from "../src/database-url.js";
import { LeaseLostError, NotFoundError } from "../src/errors.js";
import { migrateDatabase } from "../src/migrate/migrate-database.js";
import type { CallbackRequestInput } from "../src/repositories/callback-requests.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.js";
import { unique } from "./behaviour-fixture.js";

const T0 = Date.UTC(2026, 5, 1, 12);
const at = (ms: number) => new Date(T0 + ms);
const LEASE = 30_000;

/**
 * Callback requests: one open request per number and queue, claims under
 * leases that two dispatchers never share, attempts with backoff, expired
 * leases taken again, and the counts the wall-board shows. Run once per
 * provider against a database this file owns; two `Db`s (two connection
 * pools) on it play two workers.
 */
export function describeCallbackRequests(provider: DatabaseProvider): void {
  let database: TestDatabase;
  let db: Db;
  let other: Db;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    await migrateDatabase({ url: database.url });
    db = await createDb({ url: database.url });
    other = await createDb({ url: database.url });
  });

  afterAll(async () => {
    await other?.close();
    await db?.close();
    await database?.drop();
  });

  /** `by` claims the first due request of `queueId` at `now`, under a lease of {@link LEASE}. */
  const claimOne = (by: Db, queueId: string, owner: string, now: Date) =>
    by.callbacks.claimDue({ owner, now, leaseMs: LEASE, limit: 1, queueIds: [queueId] });

  const request = (
    queueId: string,
    overrides: Partial<CallbackRequestInput> = {},
  ): CallbackRequestInput => ({
    queueId,
    number: unique("0151"),
    callerName: "Ann",
    requestedAt: at(0),
    maxAttempts: 3,
    ...overrides,
  });

  describe("creating", () => {
    it("stores a pending request, and at most one open request per number per queue", async () => {
      const queueId = unique("q");
      const first = await db.callbacks.create(
        request(queueId, { number: "0151 1", callUuid: "call-1", nodeId: "queue" }),
      );
      expect(first.created).toBe(true);
      expect(first.request).toMatchObject({
        queueId,
        number: "0151 1",
        callerName: "Ann",
        requestedAt: at(0),
        nextAttemptAt: at(0),
        priority: 5,
        status: "pending",
        attempts: 0,
        maxAttempts: 3,
        lastResult: null,
        leaseOwner: null,
        leaseUntil: null,
        callUuid: "call-1",
        nodeId: "queue",
      });
      expect(await db.callbacks.get(first.request.id)).toEqual(first.request);

      // The same caller asking again (another call) gets the open request.
      const again = await db.callbacks.create(
        request(queueId, { number: "0151 1", requestedAt: at(5_000), callUuid: "call-2" }),
      );
      expect(again).toEqual({ request: first.request, created: false });
      // Another queue, or another number, is another request.
      expect((await db.callbacks.create(request(unique("q"), { number: "0151 1" }))).created).toBe(
        true,
      );
      expect(
        (await db.callbacks.create(request(queueId, { number: "0151 2", requestedAt: at(1) })))
          .created,
      ).toBe(true);

      // Once the first has ended, the number may ask again.
      const [claimed] = await claimOne(db, queueId, "w1", at(0));
      expect(claimed?.id).toBe(first.request.id);
      // Still open while dialling.
      expect((await db.callbacks.create(request(queueId, { number: "0151 1" }))).request.id).toBe(
        first.request.id,
      );
      await db.callbacks.complete({ id: first.request.id, owner: "w1" });
      const fresh = await db.callbacks.create(request(queueId, { number: "0151 1" }));
      expect(fresh.created).toBe(true);
      expect(fresh.request.id).not.toBe(first.request.id);
    });

    it("gives a retry of the same create (same id) its own request back", async () => {
      const input = request(unique("q"), { id: unique("cb") });
      const first = await db.callbacks.create(input);
      expect(first.created).toBe(true);
      expect(first.request.id).toBe(input.id);
      expect(await db.callbacks.create(input)).toEqual({ request: first.request, created: false });
    });

    it("makes one request of many concurrent creates for one number, from two workers", async () => {
      const queueId = unique("q");
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          (i % 2 ? db : other).callbacks.create(request(queueId, { number: "0170 9" })),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.request.id)).size).toBe(1);
      expect(await db.callbacks.listOpen({ queueId })).toHaveLength(1);
    });

    it("refuses nonsense attempts", async () => {
      await expect(
        db.callbacks.create(request(unique("q"), { maxAttempts: 0 })),
      ).rejects.toBeInstanceOf(RangeError);
    });
  });

  describe("claiming", () => {
    it("claims due requests in line order under a lease, each once", async () => {
      const queueId = unique("q");
      const late = await db.callbacks.create(request(queueId, { requestedAt: at(3_000) }));
      const early = await db.callbacks.create(request(queueId, { requestedAt: at(1_000) }));
      const vip = await db.callbacks.create(
        request(queueId, { requestedAt: at(2_000), priority: 0 }),
      );
      const notYet = await db.callbacks.create(
        request(queueId, { requestedAt: at(0), notBefore: at(60_000) }),
      );
      const claimed = await db.callbacks.claimDue({
        owner: "w1",
        now: at(10_000),
        leaseMs: LEASE,
        limit: 2,
        queueIds: [queueId],
      });
      expect(claimed.map((r) => r.id)).toEqual([vip.request.id, early.request.id]);
      expect(claimed[0]).toMatchObject({
        status: "dialling",
        leaseOwner: "w1",
        leaseUntil: at(10_000 + LEASE),
      });
      const rest = await other.callbacks.claimDue({
        owner: "w2",
        now: at(10_000),
        leaseMs: LEASE,
        limit: 10,
        queueIds: [queueId],
      });
      expect(rest.map((r) => r.id)).toEqual([late.request.id]);
      // Not due until its time; other queues' requests are not claimed.
      expect(
        await db.callbacks.claimDue({
          owner: "w1",
          now: at(59_999),
          leaseMs: LEASE,
          limit: 10,
          queueIds: [queueId],
        }),
      ).toEqual([]);
      expect(
        (
          await db.callbacks.claimDue({
            owner: "w1",
            now: at(60_000),
            leaseMs: LEASE,
            limit: 10,
            queueIds: [queueId],
          })
        ).map((r) => r.id),
      ).toEqual([notYet.request.id]);
      expect(
        await db.callbacks.claimDue({
          owner: "w1",
          now: at(0),
          leaseMs: LEASE,
          limit: 1,
          queueIds: [],
        }),
      ).toEqual([]);
    });

    it("claims no more than the limit", async () => {
      const queueId = unique("q");
      for (let i = 0; i < 5; i++)
        await db.callbacks.create(request(queueId, { requestedAt: at(i) }));
      const claimed = await db.callbacks.claimDue({
        owner: "w1",
        now: at(10),
        leaseMs: LEASE,
        limit: 2,
        queueIds: [queueId],
      });
      expect(claimed).toHaveLength(2);
      const open = await db.callbacks.listOpen({ queueId });
      expect(open.map((r) => r.status)).toEqual([
        "dialling",
        "dialling",
        "pending",
        "pending",
        "pending",
      ]);
    });

    it("never gives one request to two of many concurrent claims, from two workers", async () => {
      const queueId = unique("q");
      const created = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          db.callbacks.create(request(queueId, { requestedAt: at(i) })),
        ),
      );
      const claims: Array<{ owner: string; ids: string[] }> = [];
      // Rounds of 8 concurrent claims (4 per worker) until nothing is left.
      for (let round = 0; round < 20; round++) {
        const results = await Promise.all(
          Array.from({ length: 8 }, async (_, i) => {
            const owner = `w${i}`;
            const got = await (i % 2 ? db : other).callbacks.claimDue({
              owner,
              now: at(1_000),
              leaseMs: LEASE,
              limit: 3,
              queueIds: [queueId],
            });
            return { owner, ids: got.map((r) => r.id) };
          }),
        );
        claims.push(...results);
        if (results.every((r) => r.ids.length === 0)) break;
      }
      const all = claims.flatMap((c) => c.ids);
      expect(all).toHaveLength(40);
      expect(new Set(all).size).toBe(40);
      expect(new Set(all)).toEqual(new Set(created.map((c) => c.request.id)));
      // Each is held by the claim that got it.
      for (const { owner, ids } of claims) {
        for (const id of ids) {
          expect(await db.callbacks.get(id)).toMatchObject({
            status: "dialling",
            leaseOwner: owner,
          });
        }
      }
    });
  });

  describe("leases", () => {
    it("renews a held lease; a lost one refuses every change", async () => {
      const queueId = unique("q");
      const { request: r } = await db.callbacks.create(request(queueId));
      await claimOne(db, queueId, "w1", at(0));
      const renewed = await db.callbacks.renewLease({
        id: r.id,
        owner: "w1",
        now: at(20_000),
        leaseMs: LEASE,
      });
      expect(renewed.leaseUntil).toEqual(at(50_000));
      await expect(
        db.callbacks.renewLease({ id: r.id, owner: "w2", now: at(20_000), leaseMs: LEASE }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      await expect(db.callbacks.complete({ id: r.id, owner: "w2" })).rejects.toMatchObject({
        code: "LEASE_LOST",
        id: r.id,
        owner: "w2",
      });
      await expect(
        db.callbacks.recordFailedAttempt({ id: r.id, owner: "w2", result: "noAnswer", now: at(0) }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      expect(await db.callbacks.get(r.id)).toMatchObject({
        status: "dialling",
        leaseOwner: "w1",
        attempts: 0,
      });
    });

    it("takes back the requests of a dispatcher whose lease ran out, and only those", async () => {
      const queueId = unique("q");
      const { request: dead } = await db.callbacks.create(request(queueId, { requestedAt: at(0) }));
      const { request: alive } = await db.callbacks.create(
        request(queueId, { requestedAt: at(1), notBefore: at(0) }),
      );
      await claimOne(db, queueId, "killed", at(0));
      await claimOne(db, queueId, "alive", at(0));
      await db.callbacks.renewLease({
        id: alive.id,
        owner: "alive",
        now: at(25_000),
        leaseMs: LEASE,
      });

      expect(await other.callbacks.reclaimExpired({ now: at(LEASE - 1) })).toEqual([]);
      const reclaimed = await other.callbacks.reclaimExpired({ now: at(LEASE + 1) });
      expect(reclaimed).toContain(dead.id);
      expect(reclaimed).not.toContain(alive.id);
      const back = await db.callbacks.get(dead.id);
      expect(back).toMatchObject({
        status: "pending",
        leaseOwner: null,
        leaseUntil: null,
        attempts: 0,
      });
      // Its place in line is kept, and another worker claims it.
      expect(back?.requestedAt).toEqual(at(0));
      const [taken] = await claimOne(other, queueId, "survivor", at(LEASE + 1));
      expect(taken?.id).toBe(dead.id);
      // The killed one, come back, changes nothing.
      await expect(db.callbacks.complete({ id: dead.id, owner: "killed" })).rejects.toBeInstanceOf(
        LeaseLostError,
      );
      expect((await db.callbacks.complete({ id: dead.id, owner: "survivor" })).status).toBe(
        "completed",
      );
    });

    it("counts a dial its dead worker left, and fails a request that keeps losing its workers", async () => {
      const queueId = unique("q");
      const { request: r } = await db.callbacks.create(request(queueId));
      const claim = (owner: string, now: number) => claimOne(db, queueId, owner, at(now));

      // Killed while it waited for a slot: nothing counted.
      await claim("w0", 0);
      await db.callbacks.reclaimExpired({ now: at(LEASE + 1), maxLostDials: 2 });
      expect(await db.callbacks.get(r.id)).toMatchObject({ status: "pending", lostDials: 0 });

      // Killed mid-dial: one lost dial, not a customer attempt.
      const [held] = await claim("w1", LEASE + 1);
      expect(held?.dialStartedAt).toBeNull();
      expect(
        await db.callbacks.markDialling({
          id: r.id,
          owner: "w1",
          now: at(LEASE + 2),
          customerLeg: "leg-1",
        }),
      ).toMatchObject({ dialStartedAt: at(LEASE + 2), customerLeg: "leg-1" });
      await expect(
        db.callbacks.markDialling({ id: r.id, owner: "w0", now: at(LEASE + 2), customerLeg: "x" }),
      ).rejects.toBeInstanceOf(LeaseLostError);
      await other.callbacks.reclaimExpired({ now: at(2 * LEASE + 2), maxLostDials: 2 });
      expect(await db.callbacks.get(r.id)).toMatchObject({
        status: "pending",
        attempts: 0,
        lostDials: 1,
        lastResult: "workerLost",
        dialStartedAt: null,
        // Kept: the next holder asks the switch about it.
        customerLeg: "leg-1",
      });

      // A dial that ends as it should clears the mark: a later loss of the lease is not counted.
      await claim("w2", 2 * LEASE + 2);
      await db.callbacks.markDialling({
        id: r.id,
        owner: "w2",
        now: at(2 * LEASE + 3),
        customerLeg: "leg-2",
      });
      await db.callbacks.release({ id: r.id, owner: "w2" });
      expect((await db.callbacks.get(r.id))?.dialStartedAt).toBeNull();

      // The second lost dial reaches the limit: failed, and the number may ask again.
      await claim("w3", 2 * LEASE + 3);
      await db.callbacks.markDialling({
        id: r.id,
        owner: "w3",
        now: at(2 * LEASE + 4),
        customerLeg: "leg-3",
      });
      await other.callbacks.reclaimExpired({ now: at(3 * LEASE + 4), maxLostDials: 2 });
      expect(await db.callbacks.get(r.id)).toMatchObject({
        status: "failed",
        attempts: 0,
        lostDials: 2,
        lastResult: "workerLost",
        leaseOwner: null,
      });
      expect((await db.callbacks.create(request(queueId, { number: r.number }))).created).toBe(
        true,
      );
    });

    it("releases a request without counting an attempt", async () => {
      const queueId = unique("q");
      const { request: r } = await db.callbacks.create(request(queueId));
      await claimOne(db, queueId, "w1", at(0));
      const released = await db.callbacks.release({
        id: r.id,
        owner: "w1",
        nextAttemptAt: at(5_000),
      });
      expect(released).toMatchObject({
        status: "pending",
        attempts: 0,
        leaseOwner: null,
        nextAttemptAt: at(5_000),
      });
      await expect(db.callbacks.release({ id: r.id, owner: "w1" })).rejects.toBeInstanceOf(
        LeaseLostError,
      );
    });
  });

  describe("attempts", () => {
    it("retries with a doubling backoff, then fails after maxAttempts and frees the number", async () => {
      const queueId = unique("q");
      const { request: r } = await db.callbacks.create(
        request(queueId, { number: "0160 5", maxAttempts: 3 }),
      );
      const backoff = { initialMs: 10_000, maxMs: 15_000 };
      const claim = async (now: number) => claimOne(db, queueId, "w1", at(now));

      expect(await claim(0)).toHaveLength(1);
      const first = await db.callbacks.recordFailedAttempt({
        id: r.id,
        owner: "w1",
        result: "noAnswer",
        now: at(1_000),
        backoff,
      });
      expect(first).toMatchObject({
        status: "pending",
        attempts: 1,
        lastResult: "noAnswer",
        leaseOwner: null,
        nextAttemptAt: at(11_000),
      });
      expect(await claim(10_999)).toHaveLength(0);
      expect(await claim(11_000)).toHaveLength(1);
      const second = await db.callbacks.recordFailedAttempt({
        id: r.id,
        owner: "w1",
        result: "busy",
        now: at(12_000),
        backoff,
      });
      // 20 s doubled, held to the 15 s maximum.
      expect(second).toMatchObject({ attempts: 2, nextAttemptAt: at(27_000), lastResult: "busy" });
      expect(await claim(27_000)).toHaveLength(1);
      const last = await db.callbacks.recordFailedAttempt({
        id: r.id,
        owner: "w1",
        result: "noAnswer",
        now: at(28_000),
        backoff,
      });
      expect(last).toMatchObject({ status: "failed", attempts: 3, leaseOwner: null });
      expect(await claim(1_000_000)).toHaveLength(0);
      // A failed request is not open: the number may ask again.
      expect((await db.callbacks.create(request(queueId, { number: "0160 5" }))).created).toBe(
        true,
      );
    });

    it("waits the request's own retry delay when the flow set one", async () => {
      const queueId = unique("q");
      const { request: r } = await db.callbacks.create(request(queueId, { retryDelayMs: 3_000 }));
      expect(r.retryDelayMs).toBe(3_000);
      await claimOne(db, queueId, "w1", at(0));
      const after = await db.callbacks.recordFailedAttempt({
        id: r.id,
        owner: "w1",
        result: "noAnswer",
        now: at(1_000),
        backoff: { initialMs: 10, maxMs: 20 },
      });
      expect(after.nextAttemptAt).toEqual(at(4_000));
    });

    it("completes and cancels", async () => {
      const queueId = unique("q");
      const { request: a } = await db.callbacks.create(request(queueId));
      const { request: b } = await db.callbacks.create(request(queueId, { requestedAt: at(1) }));
      await claimOne(db, queueId, "w1", at(0));
      expect(await db.callbacks.complete({ id: a.id, owner: "w1" })).toMatchObject({
        status: "completed",
        lastResult: "completed",
        leaseOwner: null,
      });
      expect((await db.callbacks.cancel(b.id)).status).toBe("cancelled");
      // An ended request stays as it ended.
      expect((await db.callbacks.cancel(a.id)).status).toBe("completed");
      await expect(db.callbacks.cancel("no-such-request")).rejects.toBeInstanceOf(NotFoundError);
      expect(await db.callbacks.listOpen({ queueId })).toEqual([]);
    });
  });

  describe("listing", () => {
    it("lists the ended requests of a queue, the latest first, and not the open ones", async () => {
      const queueId = unique("q");
      const since = new Date(Date.now() - 1_000);
      // Line order is requestedAt: the claim takes `done`.
      const { request: done } = await db.callbacks.create(request(queueId, { requestedAt: at(0) }));
      const { request: open } = await db.callbacks.create(request(queueId, { requestedAt: at(1) }));
      const { request: dropped } = await db.callbacks.create(
        request(queueId, { requestedAt: at(2) }),
      );
      await claimOne(db, queueId, "w", new Date());
      await db.callbacks.complete({ id: done.id, owner: "w" });
      await db.callbacks.cancel(dropped.id);
      const ended = await db.callbacks.listEnded({ since, queueId, limit: 10 });
      expect(ended.map((r) => [r.id, r.status])).toEqual([
        [dropped.id, "cancelled"],
        [done.id, "completed"],
      ]);
      expect(await db.callbacks.listEnded({ since, queueId, limit: 1 })).toHaveLength(1);
      expect(
        await db.callbacks.listEnded({ since: new Date(Date.now() + 60_000), queueId, limit: 10 }),
      ).toEqual([]);
      expect((await db.callbacks.listOpen({ queueId })).map((r) => r.id)).toEqual([open.id]);
    });
  });

  describe("counts", () => {
    it("counts open requests, and failed ones since the queue's midnight, in queueStats.counts", async () => {
      const queueId = unique("q");
      const unconfigured = unique("q");
      await db.queues.create({
        id: queueId,
        name: "Counts",
        maxConcurrent: 1,
        timeZone: "Europe/Berlin",
      });
      const now = new Date();
      const make = (q: string) =>
        db.callbacks.create(request(q, { requestedAt: now, maxAttempts: 1 }));
      const pending = await make(queueId);
      const dialling = await make(queueId);
      const failed = await make(queueId);
      await make(unconfigured);
      const claimed = await db.callbacks.claimDue({
        owner: "w1",
        now,
        leaseMs: LEASE,
        limit: 3,
        queueIds: [queueId],
      });
      expect(claimed).toHaveLength(3);
      await db.callbacks.release({ id: pending.request.id, owner: "w1" });
      await db.callbacks.recordFailedAttempt({
        id: failed.request.id,
        owner: "w1",
        result: "noAnswer",
        now,
      });
      expect(dialling.created).toBe(true);

      const counts = await db.callbacks.counts({ failedSince: new Date(now.getTime() - 60_000) });
      expect(counts.find((c) => c.queueId === queueId)).toEqual({
        queueId,
        pending: 1,
        dialling: 1,
        failed: 1,
      });
      expect(counts.find((c) => c.queueId === unconfigured)).toEqual({
        queueId: unconfigured,
        pending: 1,
        dialling: 0,
        failed: 0,
      });
      // Failed before the day the queue counts from: not counted.
      const later = await db.callbacks.counts({
        failedSince: new Date(now.getTime() - 60_000),
        failedSinceByQueue: new Map([[queueId, new Date(now.getTime() + 60_000)]]),
      });
      expect(later.find((c) => c.queueId === queueId)?.failed).toBe(0);

      const day = await db.queueStats.counts({ now: new Date(now.getTime() + 1_000) });
      expect(day.find((c) => c.queueId === queueId)).toMatchObject({
        callbacksPending: 2,
        callbacksFailed: 1,
      });
      expect(day.find((c) => c.queueId === unconfigured)).toMatchObject({
        callbacksPending: 1,
        callbacksFailed: 0,
        completed: 0,
      });
    });
  });
}

import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidCursorError } from "../src/errors.js";
import {
  type CallPageQuery,
  type CallRecord,
  type CallRecordInput,
  wholeCallRecord,
} from "../src/repositories/calls.js";
import type { Page } from "../src/repositories/pages.js";
import { type BehaviourFixture, minimalGraph, unique } from "./behaviour-fixture.js";

/** Every item of every page, following `nextCursor` to the end. */
async function allPages<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await fetch(cursor);
    items.push(...page.items);
    pages += 1;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages < 1_000);
  return { items, pages };
}

/** Newest first by (startedAt, callUuid), both descending: the order pages promise. */
function newestFirst(a: CallRecord, b: CallRecord): number {
  const byTime = b.startedAt.getTime() - a.startedAt.getTime();
  return byTime !== 0 ? byTime : a.callUuid < b.callUuid ? 1 : a.callUuid > b.callUuid ? -1 : 0;
}

/** Lists that grow, read a page at a time: flow versions and call history. */
export function describeHistoryPages(fixture: () => BehaviourFixture): void {
  describe("pages", () => {
    it("versions: pages newest first to the end, 50 by default, at most 200", async () => {
      const { db } = fixture();
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: minimalGraph("a") });
      for (let i = 0; i < 7; i += 1)
        await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      const { items, pages } = await allPages((cursor) =>
        db.versions.page({ flowId: flow.id, cursor, limit: 3 }),
      );
      expect(pages).toBe(3);
      expect(items.map((v) => v.version)).toEqual([7, 6, 5, 4, 3, 2, 1]);
      expect(items).toEqual(await db.versions.list(flow.id));
      const whole = await db.versions.page({ flowId: flow.id });
      expect(whole).toMatchObject({ nextCursor: null });
      expect(whole.items).toHaveLength(7);
      expect((await db.versions.page({ flowId: flow.id, limit: 0 })).items).toHaveLength(1);
      await expect(
        db.versions.page({ flowId: flow.id, cursor: "not a cursor" }),
      ).rejects.toBeInstanceOf(InvalidCursorError);
    });

    describe("calls", () => {
      const queueId = unique("history");
      const otherQueue = unique("history-other");
      const base = Date.UTC(2026, 2, 1, 9);
      const records: CallRecordInput[] = [];
      // 230 calls over queue and agents; many share a start time, so ties on
      // startedAt must be broken by callUuid across page boundaries.
      for (let i = 0; i < 230; i += 1) {
        records.push({
          callUuid: randomUUID(),
          numberDialled: i % 2 === 0 ? "7000" : "7100",
          callerNumber: `+1555${String(i).padStart(4, "0")}`,
          startedAt: new Date(base + Math.floor(i / 4) * 60_000),
          workerId: "w",
          queueId: i % 3 === 0 ? otherQueue : queueId,
          outcome: i % 5 === 0 ? null : i % 5 === 1 ? "abandoned" : "answered",
          agentContact: i % 5 >= 2 ? `user/h${i % 3}` : null,
        });
      }
      let stored: CallRecord[] = [];

      const pageAll = async (query: CallPageQuery) =>
        allPages((cursor) => fixture().db.calls.page({ ...query, cursor }));

      beforeAll(async () => {
        const { db } = fixture();
        await db.calls.saveBatch({ records: records.map(wholeCallRecord), traces: [] });
        stored = (await Promise.all(records.map((r) => db.calls.get(r.callUuid)))).filter(
          (r): r is CallRecord => r !== null,
        );
      });

      it("pages through every call newest first, 50 by default and at most 200 a page", async () => {
        const { db } = fixture();
        expect(stored).toHaveLength(records.length);
        const mine = stored.filter((r) => r.queueId === queueId || r.queueId === otherQueue);
        const since = new Date(base);
        const until = new Date(base + 60 * 60_000);

        const byDefault = await db.calls.page({ since, until });
        expect(byDefault.items).toHaveLength(50);
        expect((await db.calls.page({ since, until, limit: 1_000 })).items).toHaveLength(200);

        const { items, pages } = await pageAll({ since, until, limit: 7 });
        expect(pages).toBe(Math.ceil(230 / 7));
        expect(items).toEqual([...mine].sort(newestFirst));
      });

      it("filters by queue, outcome, in progress, number, agent and time", async () => {
        const expectFiltered = async (query: CallPageQuery, keep: (r: CallRecord) => boolean) => {
          const { items } = await pageAll({ ...query, limit: 40 });
          expect(items).toEqual(stored.filter(keep).sort(newestFirst));
          expect(items.length).toBeGreaterThan(0);
        };
        const mine = (r: CallRecord) => r.queueId === queueId || r.queueId === otherQueue;
        await expectFiltered({ queueId }, (r) => r.queueId === queueId);
        await expectFiltered(
          { queueId, outcome: "abandoned" },
          (r) => r.queueId === queueId && r.outcome === "abandoned",
        );
        await expectFiltered(
          { queueId: otherQueue, outcome: "inProgress" },
          (r) => r.queueId === otherQueue && r.outcome === null,
        );
        await expectFiltered(
          { queueId, agentContact: "user/h1" },
          (r) => r.queueId === queueId && r.agentContact === "user/h1",
        );
        await expectFiltered(
          { queueId, number: "71" },
          (r) =>
            r.queueId === queueId &&
            (r.numberDialled.includes("71") || r.callerNumber.includes("71")),
        );
        await expectFiltered(
          { queueId, number: "+1555001" },
          (r) => r.queueId === queueId && r.callerNumber.includes("+1555001"),
        );
        const since = new Date(base + 10 * 60_000);
        const until = new Date(base + 20 * 60_000);
        await expectFiltered(
          { since, until },
          (r) => mine(r) && r.startedAt >= since && r.startedAt < until,
        );
      });

      it("lists the queue ids and agent contacts seen, sorted", async () => {
        const { db } = fixture();
        const queueIds = await db.calls.listQueueIds();
        expect(queueIds).toEqual([...new Set(queueIds)].sort());
        expect(queueIds).toEqual(expect.arrayContaining([queueId, otherQueue]));
        expect(await db.calls.listAgentContacts()).toEqual(
          expect.arrayContaining(["user/h0", "user/h1", "user/h2"]),
        );
      });

      it("refuses a cursor it did not hand out", async () => {
        const { db } = fixture();
        for (const cursor of ["", "%%%", Buffer.from('["x",1]').toString("base64url")]) {
          await expect(db.calls.page({ cursor })).rejects.toBeInstanceOf(InvalidCursorError);
        }
      });
    });
  });
}

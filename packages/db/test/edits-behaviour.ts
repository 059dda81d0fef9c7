import { describe, expect, it } from "vitest";
import { AlreadyExistsError, ConflictError, NotFoundError } from "../src/errors.js";
import { type BehaviourFixture, minimalGraph, unique } from "./behaviour-fixture.js";

/** The error `promise` rejects with (failing the test if it resolves). */
async function refusal(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a refusal, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
}

/** Expects a ConflictError for `entity` from `expectedRevision` to `currentRevision`. */
async function expectConflict(
  promise: Promise<unknown>,
  fields: { entity: string; key: string; expectedRevision: number; currentRevision: number },
): Promise<void> {
  const error = await refusal(promise);
  expect(error).toBeInstanceOf(ConflictError);
  expect(error).toMatchObject({ code: "CONFLICT", ...fields });
  expect((error as Error).message).toBe(
    `Someone else changed this ${fields.entity} since you opened it`,
  );
}

/**
 * Edits under optimistic concurrency: every record carries a revision,
 * every change bumps it, and an update naming a stale one is refused with
 * nothing written.
 */
export function describeEdits(fixture: () => BehaviourFixture): void {
  describe("edits and revisions", () => {
    it("flows: rename and saveDraft check the revision; saveDraft without one always wins", async () => {
      const { db } = fixture();
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: minimalGraph("a") });
      expect(flow.revision).toBe(0);
      const renamed = await db.flows.rename({
        id: flow.id,
        name: "Main line",
        description: "the main one",
        expectedRevision: 0,
      });
      expect(renamed).toMatchObject({
        name: "Main line",
        description: "the main one",
        revision: 1,
      });
      await expectConflict(db.flows.rename({ id: flow.id, name: "Stale", expectedRevision: 0 }), {
        entity: "flow",
        key: flow.id,
        expectedRevision: 0,
        currentRevision: 1,
      });
      await expectConflict(
        db.flows.saveDraft({ id: flow.id, draftGraph: minimalGraph("stale"), expectedRevision: 0 }),
        { entity: "flow", key: flow.id, expectedRevision: 0, currentRevision: 1 },
      );
      expect(await db.flows.get(flow.id)).toEqual(renamed);

      const saved = await db.flows.saveDraft({
        id: flow.id,
        draftGraph: minimalGraph("b"),
        expectedRevision: 1,
      });
      expect(saved).toMatchObject({
        name: "Main line",
        draftGraph: minimalGraph("b"),
        revision: 2,
      });
      const seeded = await db.flows.saveDraft({ id: flow.id, draftGraph: minimalGraph("c") });
      expect(seeded.revision).toBe(3);
      await expect(
        db.flows.rename({ id: "no-such-flow", name: "x", expectedRevision: 0 }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("flows: of two saves from the same revision at once, exactly one wins", async () => {
      const { db } = fixture();
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: minimalGraph("a") });
      const results = await Promise.allSettled(
        ["x", "y", "z"].map((label) =>
          db.flows.saveDraft({ id: flow.id, draftGraph: minimalGraph(label), expectedRevision: 0 }),
        ),
      );
      const won = results.filter((result) => result.status === "fulfilled");
      const lost = results.filter((result) => result.status === "rejected");
      expect(won).toHaveLength(1);
      expect(lost.map((result) => result.reason)).toEqual([
        expect.any(ConflictError),
        expect.any(ConflictError),
      ]);
      const stored = await db.flows.get(flow.id);
      expect(stored?.revision).toBe(1);
      expect(stored?.draftGraph).toEqual(won[0]?.value.draftGraph);
    });

    it("flows: duplicate copies the draft and description, not versions or routes", async () => {
      const { db } = fixture();
      const source = await db.flows.create({
        name: unique("flow"),
        description: "original",
        draftGraph: minimalGraph("live"),
      });
      await db.versions.publish({ flowId: source.id, publishedBy: "t" });
      await db.flows.saveDraft({ id: source.id, draftGraph: minimalGraph("draft") });
      await db.routes.create({ number: unique("n"), flowId: source.id });
      const copy = await db.flows.duplicate({ id: source.id, name: "Copy" });
      expect(copy).toMatchObject({
        name: "Copy",
        description: "original",
        draftGraph: minimalGraph("draft"),
        latestVersion: null,
        revision: 0,
      });
      expect(copy.id).not.toBe(source.id);
      expect(await db.versions.list(copy.id)).toEqual([]);
      const listed = (await db.flows.list()).find((flow) => flow.id === copy.id);
      expect(listed).toMatchObject({ liveVersion: null, numbers: [] });
      await expect(db.flows.duplicate({ id: "no-such-flow", name: "x" })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it("flows: list gives each flow's live version and routed numbers, sorted", async () => {
      const { db } = fixture();
      const prefix = unique("list");
      const live = await db.flows.create({ name: `${prefix}-a`, draftGraph: minimalGraph("a") });
      const idle = await db.flows.create({ name: `${prefix}-b`, draftGraph: minimalGraph("b") });
      await db.versions.publish({ flowId: live.id, publishedBy: "ann", comment: "first" });
      const v2 = await db.versions.publish({ flowId: live.id, publishedBy: "bob" });
      for (const number of ["7003", "7001", "7002"]) {
        await db.routes.create({ number: `${prefix}-${number}`, flowId: live.id });
      }
      const mine = (await db.flows.list()).filter((flow) => flow.name.startsWith(prefix));
      const { draftGraph: _live, ...liveSummary } = live;
      const { draftGraph: _idle, ...idleSummary } = idle;
      expect(mine).toEqual([
        {
          ...liveSummary,
          latestVersion: 2,
          updatedAt: expect.any(Date),
          liveVersion: {
            id: v2.id,
            version: 2,
            publishedAt: v2.publishedAt,
            publishedBy: "bob",
            comment: null,
          },
          numbers: [`${prefix}-7001`, `${prefix}-7002`, `${prefix}-7003`],
        },
        { ...idleSummary, liveVersion: null, numbers: [] },
      ]);
    });

    it("queues: create refuses a taken id; update changes what it is given, null clears", async () => {
      const { db } = fixture();
      const id = unique("q");
      const created = await db.queues.create({
        id,
        name: "Sales",
        maxConcurrent: 2,
        timeoutMs: 60_000,
      });
      expect(created).toMatchObject({ revision: 0, maxWaiting: null, timeoutMs: 60_000 });
      await expect(
        db.queues.create({ id, name: "Again", maxConcurrent: 1 }),
      ).rejects.toBeInstanceOf(AlreadyExistsError);
      const updated = await db.queues.update({
        id,
        expectedRevision: 0,
        maxWaiting: 5,
        timeoutMs: null,
        holdMusic: "local_stream://moh",
      });
      expect(updated).toMatchObject({
        name: "Sales",
        maxConcurrent: 2,
        maxWaiting: 5,
        timeoutMs: null,
        holdMusic: "local_stream://moh",
        announcementIntervalMs: null,
        revision: 1,
      });
      await expectConflict(db.queues.update({ id, expectedRevision: 0, name: "Stale" }), {
        entity: "queue",
        key: id,
        expectedRevision: 0,
        currentRevision: 1,
      });
      expect(await db.queues.get(id)).toEqual(updated);
      expect((await db.queues.save({ id, name: "Seeded", maxConcurrent: 1 })).revision).toBe(2);
      await expect(
        db.queues.update({ id: unique("none"), expectedRevision: 0, name: "x" }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("agents: update checks the revision and keeps refusing a taken contact", async () => {
      const { db } = fixture();
      const ann = await db.agents.create({ contact: `user/${unique("a")}`, name: "Ann" });
      const bob = await db.agents.create({ contact: `user/${unique("b")}`, name: "Bob" });
      const renamed = await db.agents.update({ id: ann.id, expectedRevision: 0, name: "Anne" });
      expect(renamed).toMatchObject({ name: "Anne", revision: 1 });
      await expectConflict(db.agents.update({ id: ann.id, expectedRevision: 0, name: "Stale" }), {
        entity: "agent",
        key: ann.id,
        expectedRevision: 0,
        currentRevision: 1,
      });
      await expect(
        db.agents.update({ id: ann.id, expectedRevision: 1, contact: bob.contact }),
      ).rejects.toBeInstanceOf(AlreadyExistsError);
      expect(await db.agents.get(ann.id)).toEqual(renamed);
    });

    it("agents: delete checks the revision and bumps the revision of the groups it leaves", async () => {
      const { db } = fixture();
      const agent = await db.agents.create({ contact: `user/${unique("a")}`, name: "Ann" });
      const group = await db.groups.create({ name: unique("group"), agentIds: [agent.id] });
      await db.agents.update({ id: agent.id, expectedRevision: 0, wrapUpMs: 1_000 });
      await expectConflict(db.agents.delete(agent.id, { expectedRevision: 0 }), {
        entity: "agent",
        key: agent.id,
        expectedRevision: 0,
        currentRevision: 1,
      });
      // The refused delete left the group as it was.
      expect(await db.groups.get(group.id)).toMatchObject({
        revision: 0,
        members: [{ id: agent.id }],
      });
      expect(await db.agents.delete(agent.id, { expectedRevision: 1 })).toBe(true);
      expect(await db.groups.get(group.id)).toMatchObject({ revision: 1, members: [] });
      expect(await db.agents.delete(agent.id)).toBe(false);
      await expect(db.agents.delete(agent.id, { expectedRevision: 1 })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it("groups: update renames and replaces members in one step, or writes nothing", async () => {
      const { db } = fixture();
      const [a, b, c] = await Promise.all(
        ["A", "B", "C"].map((name) => db.agents.create({ contact: `user/${unique(name)}`, name })),
      );
      if (!a || !b || !c) throw new Error("agents not created");
      const taken = await db.groups.create({ name: unique("taken") });
      const group = await db.groups.create({ name: unique("group"), agentIds: [a.id, b.id] });
      const updated = await db.groups.update({
        id: group.id,
        expectedRevision: 0,
        name: `${group.name}-renamed`,
        agentIds: [c.id, a.id],
      });
      expect(updated).toMatchObject({ name: `${group.name}-renamed`, revision: 1 });
      expect(updated.members.map((m) => m.name)).toEqual(["C", "A"]);

      const refusals = [
        db.groups.update({ id: group.id, expectedRevision: 0, agentIds: [b.id] }),
        db.groups.update({
          id: group.id,
          expectedRevision: 1,
          name: "x",
          agentIds: ["no-such-agent"],
        }),
        db.groups.update({ id: group.id, expectedRevision: 1, name: "y", agentIds: [a.id, a.id] }),
        db.groups.update({ id: group.id, expectedRevision: 1, name: taken.name, agentIds: [b.id] }),
        db.groups.update({ id: "no-such-group", expectedRevision: 0, name: "z" }),
      ];
      expect(await Promise.all(refusals.map(refusal))).toEqual([
        expect.any(ConflictError),
        expect.any(NotFoundError),
        expect.any(AlreadyExistsError),
        expect.any(AlreadyExistsError),
        expect.any(NotFoundError),
      ]);
      expect(await db.groups.get(group.id)).toEqual(updated);

      const onlyMembers = await db.groups.update({
        id: group.id,
        expectedRevision: 1,
        agentIds: [b.id, c.id, a.id],
      });
      expect(onlyMembers).toMatchObject({ name: updated.name, revision: 2 });
      expect(onlyMembers.members.map((m) => m.name)).toEqual(["B", "C", "A"]);
      expect((await db.groups.setMembers({ groupId: group.id, agentIds: [] })).revision).toBe(3);
      expect((await db.groups.rename({ id: group.id, name: unique("g") })).revision).toBe(4);
    });

    it("routes: create refuses a routed number; update checks the revision; list names the flow", async () => {
      const { db } = fixture();
      const first = await db.flows.create({ name: unique("first"), draftGraph: minimalGraph("a") });
      const second = await db.flows.create({
        name: unique("second"),
        draftGraph: minimalGraph("b"),
      });
      const number = unique("n");
      const created = await db.routes.create({ number, flowId: first.id });
      expect(created).toMatchObject({ number, flowId: first.id, revision: 0 });
      await expect(db.routes.create({ number, flowId: second.id })).rejects.toBeInstanceOf(
        AlreadyExistsError,
      );
      await expect(
        db.routes.create({ number: unique("n"), flowId: "no-such-flow" }),
      ).rejects.toBeInstanceOf(NotFoundError);
      const moved = await db.routes.update({ number, flowId: second.id, expectedRevision: 0 });
      expect(moved).toMatchObject({ flowId: second.id, revision: 1 });
      await expectConflict(db.routes.update({ number, flowId: first.id, expectedRevision: 0 }), {
        entity: "number route",
        key: number,
        expectedRevision: 0,
        currentRevision: 1,
      });
      await expect(
        db.routes.update({ number, flowId: "no-such-flow", expectedRevision: 1 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect((await db.routes.list()).find((route) => route.number === number)).toEqual({
        ...moved,
        flowName: second.name,
      });
      expect((await db.routes.set({ number, flowId: first.id })).revision).toBe(2);

      await expectConflict(db.routes.remove(number, { expectedRevision: 1 }), {
        entity: "number route",
        key: number,
        expectedRevision: 1,
        currentRevision: 2,
      });
      expect(await db.routes.remove(number, { expectedRevision: 2 })).toBe(true);
      expect(await db.routes.remove(number)).toBe(false);
      await expect(db.routes.remove(number, { expectedRevision: 2 })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });
  });
}

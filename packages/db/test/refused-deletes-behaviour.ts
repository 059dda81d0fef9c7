import { describe, expect, it } from "vitest";
import { ConflictError, InUseError, NotFoundError } from "../src/errors.js";
import { type BehaviourFixture, graphNaming, minimalGraph, unique } from "./behaviour-fixture.js";

/** The InUseError `promise` rejects with. */
async function inUse(promise: Promise<unknown>): Promise<InUseError> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(InUseError);
  return error as InUseError;
}

/**
 * Deletes refused while something depends on the record, with what depends
 * on it, and nothing deleted: a flow numbers route to, a queue or agent
 * group that a flow's live version names.
 */
export function describeRefusedDeletes(fixture: () => BehaviourFixture): void {
  describe("refused deletes", () => {
    it("flows: refused while numbers route to it, naming them; all or nothing", async () => {
      const { db } = fixture();
      const flow = await db.flows.create({ name: "Main line", draftGraph: minimalGraph("a") });
      const version = await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      const [low, high] = [unique("n1"), unique("n2")].sort();
      await db.routes.create({ number: high as string, flowId: flow.id });
      await db.routes.create({ number: low as string, flowId: flow.id });
      const error = await inUse(db.flows.delete(flow.id));
      expect(error).toMatchObject({ code: "IN_USE", entity: "flow", key: flow.id });
      expect(error.usedBy).toEqual([
        { kind: "number", id: low, name: low },
        { kind: "number", id: high, name: high },
      ]);
      expect(error.message).toBe(`Flow "Main line" is used by numbers "${low}", "${high}"`);
      expect(await db.flows.get(flow.id)).not.toBeNull();
      expect(await db.versions.getById(version.id)).not.toBeNull();

      await db.routes.remove(low as string);
      await db.routes.remove(high as string);
      await expect(db.flows.delete(flow.id, { expectedRevision: 1 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await db.flows.delete(flow.id, { expectedRevision: 0 });
      expect(await db.versions.getById(version.id)).toBeNull();
      await expect(db.flows.delete(flow.id, { expectedRevision: 0 })).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it("queues: refused while a live version names it; drafts and older versions do not count", async () => {
      const { db } = fixture();
      const queueId = unique("q");
      await db.queues.create({ id: queueId, name: "Sales", maxConcurrent: 1 });
      const names = [unique("Main line"), unique("After hours")].sort();
      const flows = [];
      for (const name of names) {
        const flow = await db.flows.create({ name, draftGraph: graphNaming({ queueId }) });
        await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
        flows.push(flow);
      }
      // Named by a draft only, and by an older version only: neither counts.
      await db.flows.create({ name: unique("draft"), draftGraph: graphNaming({ queueId }) });
      const moved = await db.flows.create({
        name: unique("moved"),
        draftGraph: graphNaming({ queueId }),
      });
      await db.versions.publish({ flowId: moved.id, publishedBy: "t" });
      await db.flows.saveDraft({
        id: moved.id,
        draftGraph: graphNaming({ queueId: unique("other") }),
      });
      await db.versions.publish({ flowId: moved.id, publishedBy: "t" });

      const error = await inUse(db.queues.delete(queueId));
      expect(error.usedBy).toEqual(
        flows.map((flow) => ({ kind: "flow", id: flow.id, name: flow.name })),
      );
      expect(error.message).toBe(
        `Queue "${queueId}" is used by the live versions of flows "${names[0]}", "${names[1]}"`,
      );
      expect(await db.queues.get(queueId)).not.toBeNull();

      for (const flow of flows) {
        await db.flows.saveDraft({
          id: flow.id,
          draftGraph: graphNaming({ queueId: "elsewhere" }),
        });
        await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      }
      await expect(db.queues.delete(queueId, { expectedRevision: 3 })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await db.queues.delete(queueId, { expectedRevision: 0 });
      expect(await db.queues.get(queueId)).toBeNull();
      await expect(db.queues.delete(queueId)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("groups: refused while a live ring group or queue node names it", async () => {
      const { db } = fixture();
      const rung = await db.groups.create({ name: unique("Support") });
      const watched = await db.groups.create({ name: unique("Watched") });
      const flow = await db.flows.create({
        name: unique("flow"),
        draftGraph: graphNaming({
          queueId: unique("q"),
          agentGroupId: rung.id,
          queueAgentGroupId: watched.id,
        }),
      });
      await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      for (const group of [rung, watched]) {
        const error = await inUse(db.groups.delete(group.id));
        expect(error).toMatchObject({ entity: "agent group", key: group.id });
        expect(error.usedBy).toEqual([{ kind: "flow", id: flow.id, name: flow.name }]);
        expect(error.message).toBe(
          `Agent group "${group.name}" is used by the live version of flow "${flow.name}"`,
        );
        expect(await db.groups.get(group.id)).not.toBeNull();
      }
      await db.flows.saveDraft({ id: flow.id, draftGraph: graphNaming({ queueId: unique("q") }) });
      await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      expect(await db.groups.delete(rung.id, { expectedRevision: 0 })).toBe(true);
      expect(await db.groups.delete(watched.id)).toBe(true);
      expect(await db.groups.delete(watched.id)).toBe(false);
    });
  });
}

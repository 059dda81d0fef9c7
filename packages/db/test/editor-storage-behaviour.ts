import { randomUUID } from "node:crypto";
import { FlowNotPublishableError } from "@ringflow/core/flow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../src/create-db.js";
import type { DatabaseProvider } from "../src/database-url.js";
import { ConflictError, NotFoundError } from "../src/errors.js";
import { migrateDatabase } from "../src/migrate/migrate-database.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.js";
import { queryRaw } from "./raw-sql.js";

/** A flow that may be published; `label` tells versions apart. */
function graph(label: string) {
  return {
    schemaVersion: 1,
    nodes: [{ id: "start", type: "start", position: { x: 0, y: 0 }, data: { label } }],
    edges: [],
  };
}

/**
 * What the flow editor stores beyond drafts: rolling back to an old version
 * and the per-output counts of a live version. Run once per provider
 * against a database this file owns.
 */
export function describeEditorStorage(provider: DatabaseProvider): void {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    await migrateDatabase({ url: database.url });
    db = await createDb({ url: database.url });
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  describe("rolling back", () => {
    it("publishes an old version again as the next one, leaving the draft and the old version alone", async () => {
      const flow = await db.flows.create({
        name: `flow-${randomUUID()}`,
        draftGraph: graph("one"),
      });
      const v1 = await db.versions.publish({
        flowId: flow.id,
        publishedBy: "ann",
        comment: "first",
      });
      await db.flows.saveDraft({ id: flow.id, draftGraph: graph("two") });
      await db.versions.publish({ flowId: flow.id, publishedBy: "ann", comment: "second" });
      await db.flows.saveDraft({ id: flow.id, draftGraph: graph("three, unpublished") });

      const v3 = await db.versions.publish({
        flowId: flow.id,
        publishedBy: "bob",
        comment: "Roll back to v1",
        fromVersion: 1,
      });
      expect(v3).toMatchObject({ version: 3, publishedBy: "bob", comment: "Roll back to v1" });
      expect(v3.graph).toEqual(v1.graph);
      expect((await db.flows.get(flow.id))?.draftGraph).toEqual(graph("three, unpublished"));
      expect((await db.versions.get({ flowId: flow.id, version: 1 }))?.comment).toBe("first");
      expect((await db.versions.list(flow.id)).map((v) => v.version)).toEqual([3, 2, 1]);
    });

    it("refuses a version that does not exist, or one today's rules refuse, and publishes nothing", async () => {
      const flow = await db.flows.create({
        name: `flow-${randomUUID()}`,
        draftGraph: graph("one"),
      });
      await db.versions.publish({ flowId: flow.id, publishedBy: "ann" });
      await expect(
        db.versions.publish({ flowId: flow.id, publishedBy: "ann", fromVersion: 7 }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect((await db.versions.list(flow.id)).map((v) => v.version)).toEqual([1]);
      // A refused rollback claimed no number: the next publish is 2.
      const v2 = await db.versions.publish({ flowId: flow.id, publishedBy: "ann", fromVersion: 1 });
      expect(v2.version).toBe(2);
    });

    it("is refused with every problem when the old graph breaks today's rules", async () => {
      // A version an older release stored, before today's rules: written
      // around the repositories, as no API may store a graph unchecked.
      const flow = await db.flows.create({ name: `flow-${randomUUID()}`, draftGraph: graph("ok") });
      const broken = JSON.stringify({
        ...graph("old"),
        edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "gone" }],
      }).replaceAll("'", "''");
      await queryRaw(
        database.url,
        `INSERT INTO "FlowVersion" ("id", "flowId", "number", "graph", "publishedBy", "publishedAt")
         VALUES ('old-${flow.id}', '${flow.id}', 1, '${broken}', 'ann', CURRENT_TIMESTAMP)`,
      );
      await queryRaw(database.url, `UPDATE "Flow" SET "lastVersion" = 1 WHERE "id" = '${flow.id}'`);
      const refused = await db.versions
        .publish({ flowId: flow.id, publishedBy: "ann", fromVersion: 1 })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(FlowNotPublishableError);
      expect((refused as FlowNotPublishableError).problems).toContainEqual(
        expect.objectContaining({ code: "edgeTargetMissing", edgeId: "e1" }),
      );
      expect((await db.versions.list(flow.id)).map((v) => v.version)).toEqual([1]);
      expect((await db.flows.get(flow.id))?.latestVersion).toBe(1);
    });
  });

  describe("publishing what the editor saved", () => {
    it("publishes the draft at the expected revision, and refuses a newer one with nothing published", async () => {
      const flow = await db.flows.create({ name: `flow-${randomUUID()}`, draftGraph: graph("a") });
      const saved = await db.flows.saveDraft({
        id: flow.id,
        draftGraph: graph("mine"),
        expectedRevision: flow.revision,
      });
      // A colleague saves after me: my publish must not put their draft live.
      await db.flows.saveDraft({ id: flow.id, draftGraph: graph("theirs") });
      const refused = await db.versions
        .publish({ flowId: flow.id, publishedBy: "ann", expectedRevision: saved.revision })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ConflictError);
      expect(await db.versions.list(flow.id)).toEqual([]);
      const current = await db.flows.get(flow.id);
      const v1 = await db.versions.publish({
        flowId: flow.id,
        publishedBy: "ann",
        expectedRevision: current?.revision ?? -1,
      });
      expect(v1.version).toBe(1);
      expect(v1.graph).toEqual(graph("theirs"));
    });
  });

  describe("output counts", () => {
    it("counts each node's outputs taken by calls on one version since a time", async () => {
      const flow = await db.flows.create({ name: `flow-${randomUUID()}`, draftGraph: graph("c") });
      const v1 = await db.versions.publish({ flowId: flow.id, publishedBy: "ann" });
      const v2 = await db.versions.publish({ flowId: flow.id, publishedBy: "ann" });
      const today = new Date("2026-03-02T00:00:00.000Z");
      const call = async (options: {
        version: typeof v1;
        startedAt: string;
        outputs: [string, string][];
      }) => {
        const callUuid = randomUUID();
        const startedAt = new Date(options.startedAt);
        await db.calls.record({
          callUuid,
          numberDialled: "7000",
          callerNumber: "+15550100",
          startedAt,
          workerId: "w",
          flowId: flow.id,
          flowVersionId: options.version.id,
          flowVersion: options.version.version,
        });
        await db.calls.appendTrace({
          callUuid,
          steps: options.outputs.flatMap(([nodeId, output]) => [
            { at: startedAt, kind: "enter", nodeId, data: { nodeType: "queue" } },
            {
              at: startedAt,
              kind: "output",
              nodeId,
              data: { nodeType: "queue", output, detail: { waitMs: 1 } },
            },
          ]),
        });
      };
      await call({
        version: v2,
        startedAt: "2026-03-02T09:00:00Z",
        outputs: [
          ["start", "next"],
          ["q", "acquired"],
          ["r", "noAnswer"],
          ["q", "timeout"],
        ],
      });
      await call({
        version: v2,
        startedAt: "2026-03-02T10:00:00Z",
        outputs: [
          ["start", "next"],
          ["q", "acquired"],
        ],
      });
      // Yesterday, and another version: not counted.
      await call({ version: v2, startedAt: "2026-03-01T23:59:59Z", outputs: [["start", "next"]] });
      await call({ version: v1, startedAt: "2026-03-02T11:00:00Z", outputs: [["start", "next"]] });

      expect(await db.activity.outputCounts({ versionId: v2.id, since: today })).toEqual([
        { nodeId: "q", output: "acquired", count: 2 },
        { nodeId: "q", output: "timeout", count: 1 },
        { nodeId: "r", output: "noAnswer", count: 1 },
        { nodeId: "start", output: "next", count: 2 },
      ]);
      expect(
        await db.activity.outputCounts({ versionId: "no-such-version", since: today }),
      ).toEqual([]);
    });
  });
}

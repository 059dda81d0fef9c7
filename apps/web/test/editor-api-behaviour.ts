import type { DatabaseProvider } from "@ringflow/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiHarness, openApiHarness, refusal } from "./api-harness";

/** A draft that publishes: start (with `number`) → announcement → hang up. */
function goodGraph(text: string, number = "7100") {
  return {
    schemaVersion: 1 as const,
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: [number] } },
      {
        id: "hello",
        type: "announce",
        position: { x: 250, y: 0 },
        data: { message: { kind: "speech", text } },
      },
      { id: "bye", type: "hangup", position: { x: 500, y: 0 }, data: {} },
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "hello" },
      { id: "e2", source: "hello", sourceHandle: "next", target: "bye" },
    ],
  };
}

/** A draft with a queue whose id is not chosen yet: savable, not publishable. */
function halfDrawnGraph() {
  const graph = goodGraph("Please hold");
  return {
    ...graph,
    nodes: [
      ...graph.nodes,
      { id: "wait", type: "queue", position: { x: 250, y: 200 }, data: { queueId: "" } },
    ],
    edges: [
      ...graph.edges.filter((e) => e.id !== "e2"),
      { id: "e3", source: "hello", sourceHandle: "next", target: "wait" },
    ],
  };
}

let serial = 0;

/**
 * The flow editor's API through `createCaller`, on a real database of
 * `provider`: drafts with revisions, publishing, rollback, import, roles.
 */
export function describeEditorApi(provider: DatabaseProvider): void {
  let api: ApiHarness;
  let supervisor: Awaited<ReturnType<ApiHarness["addUser"]>>;

  beforeAll(async () => {
    api = await openApiHarness(provider);
    supervisor = await api.addUser("supervisor");
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  const newFlow = async () => {
    serial += 1;
    const { id } = await api.admin.flows.create({ name: `Editor flow ${serial}`, description: "" });
    const draft = await api.admin.flows.draft({ id });
    if (!draft) throw new Error("no draft");
    return draft;
  };

  describe("drafts", () => {
    it("opens a new flow's draft, saves it, and reads back exactly what was saved", async () => {
      const draft = await newFlow();
      expect(draft).toMatchObject({ liveVersion: null, graph: { nodes: [{ type: "start" }] } });
      const withNotes = {
        ...goodGraph("Hi"),
        notes: [{ id: "n1", position: { x: 5, y: 5 }, text: "Ask Ann", width: 200 }],
      };
      const saved = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: withNotes,
        expectedRevision: draft.revision,
      });
      expect(saved.revision).toBe(draft.revision + 1);
      expect((await api.admin.flows.draft({ id: draft.id }))?.graph).toEqual(withNotes);
    });

    it("refuses a save from a stale revision with CONFLICT, keeping the other save", async () => {
      const draft = await newFlow();
      const mine = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: goodGraph("mine"),
        expectedRevision: draft.revision,
      });
      // A second editor that loaded the same revision saves after the first.
      const stale = await refusal(
        api.admin.flows.saveDraft({
          id: draft.id,
          graph: goodGraph("theirs"),
          expectedRevision: draft.revision,
        }),
      );
      expect(stale).toMatchObject({ code: "CONFLICT", data: { domainCode: "CONFLICT" } });
      const now = await api.admin.flows.draft({ id: draft.id });
      expect(now?.revision).toBe(mine.revision);
      expect(now?.graph).toEqual(goodGraph("mine"));
    });

    it("saves a half-drawn draft, which cannot be published", async () => {
      const draft = await newFlow();
      await expect(
        api.admin.flows.saveDraft({
          id: draft.id,
          graph: halfDrawnGraph(),
          expectedRevision: draft.revision,
        }),
      ).resolves.toEqual({ revision: draft.revision + 1 });
    });
  });

  describe("publishing", () => {
    it("refuses an invalid draft with every problem placed on its node, publishing nothing", async () => {
      const draft = await newFlow();
      const saved = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: halfDrawnGraph(),
        expectedRevision: draft.revision,
      });
      const refused = await refusal(
        api.admin.versions.publish({
          flowId: draft.id,
          comment: "try",
          expectedRevision: saved.revision,
        }),
      );
      expect(refused).toMatchObject({
        code: "BAD_REQUEST",
        data: { domainCode: "FLOW_NOT_PUBLISHABLE" },
      });
      expect(refused.data.problems).toContainEqual(
        expect.objectContaining({ severity: "error", code: "invalidNodeConfig", nodeId: "wait" }),
      );
      expect((await api.admin.versions.list({ flowId: draft.id })).items).toEqual([]);
    });

    it("publishes the saved draft with its comment, live at once for its numbers", async () => {
      const draft = await newFlow();
      const saved = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: goodGraph("Welcome", "7201"),
        expectedRevision: draft.revision,
      });
      const v1 = await api.admin.versions.publish({
        flowId: draft.id,
        comment: "First cut",
        expectedRevision: saved.revision,
      });
      expect(v1).toMatchObject({ version: 1, comment: "First cut" });
      await api.admin.routes.create({ number: "7201", flowId: draft.id });
      const live = await api.services.db.routes.findPublishedFlowForNumber("7201");
      expect(live?.version).toBe(1);
      expect((await api.admin.flows.draft({ id: draft.id }))?.liveVersion).toEqual({
        id: v1.id,
        version: 1,
      });
    });

    it("refuses to publish a draft someone saved after the editor did, with CONFLICT", async () => {
      const draft = await newFlow();
      const mine = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: goodGraph("mine"),
        expectedRevision: draft.revision,
      });
      await api.admin.flows.saveDraft({
        id: draft.id,
        graph: goodGraph("theirs"),
        expectedRevision: mine.revision,
      });
      const refused = await refusal(
        api.admin.versions.publish({
          flowId: draft.id,
          comment: "mine",
          expectedRevision: mine.revision,
        }),
      );
      expect(refused.code).toBe("CONFLICT");
      expect((await api.admin.versions.list({ flowId: draft.id })).items).toEqual([]);
    });

    it("needs a comment", async () => {
      const draft = await newFlow();
      const refused = await refusal(
        api.admin.versions.publish({ flowId: draft.id, comment: "  " }),
      );
      expect(refused).toMatchObject({
        code: "BAD_REQUEST",
        data: { fieldErrors: { comment: ["Say what changed"] } },
      });
    });
  });

  describe("rolling back", () => {
    it("publishes an old version again as a new one, live at once, in one step", async () => {
      const draft = await newFlow();
      let revision = draft.revision;
      for (const text of ["one", "two"]) {
        revision = (
          await api.admin.flows.saveDraft({
            id: draft.id,
            graph: goodGraph(text, "7301"),
            expectedRevision: revision,
          })
        ).revision;
        await api.admin.versions.publish({
          flowId: draft.id,
          comment: text,
          expectedRevision: revision,
        });
      }
      await api.admin.routes.create({ number: "7301", flowId: draft.id });
      const v3 = await api.admin.versions.rollback({
        flowId: draft.id,
        version: 1,
        comment: "Back to one",
      });
      expect(v3.version).toBe(3);
      const live = await api.services.db.routes.findPublishedFlowForNumber("7301");
      expect(live?.version).toBe(3);
      const v1 = await api.admin.versions.get({ flowId: draft.id, version: 1 });
      expect((await api.admin.versions.get({ flowId: draft.id, version: 3 }))?.graph).toEqual(
        v1?.graph,
      );
      // The draft is the editor's, untouched by a rollback.
      expect((await api.admin.flows.draft({ id: draft.id }))?.graph).toEqual(
        goodGraph("two", "7301"),
      );
    });

    it("refuses a version that does not exist, claiming no number", async () => {
      const draft = await newFlow();
      const saved = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: goodGraph("x"),
        expectedRevision: draft.revision,
      });
      await api.admin.versions.publish({
        flowId: draft.id,
        comment: "v1",
        expectedRevision: saved.revision,
      });
      expect(
        (
          await refusal(
            api.admin.versions.rollback({ flowId: draft.id, version: 9, comment: "no" }),
          )
        ).code,
      ).toBe("NOT_FOUND");
      expect(
        (await api.admin.versions.rollback({ flowId: draft.id, version: 1, comment: "again" }))
          .version,
      ).toBe(2);
    });
  });

  describe("import", () => {
    it("replaces the draft with a good file, read the way core reads it", async () => {
      const draft = await newFlow();
      const imported = await api.admin.flows.importDraft({
        id: draft.id,
        json: goodGraph("Imported"),
        expectedRevision: draft.revision,
      });
      expect(imported.revision).toBe(draft.revision + 1);
      // Defaults are filled in (a hangup's cause), as publishing would store them.
      expect(imported.graph.nodes.find((n) => n.id === "bye")?.data).toEqual({
        cause: "NORMAL_CLEARING",
      });
      expect((await api.admin.flows.draft({ id: draft.id }))?.graph).toEqual(imported.graph);
    });

    it("refuses a broken file with every problem, and writes nothing", async () => {
      const draft = await newFlow();
      const before = await api.admin.flows.draft({ id: draft.id });
      const broken = {
        ...goodGraph("x"),
        edges: [{ id: "e9", source: "start", sourceHandle: "next", target: "nowhere" }],
        nodes: [
          ...goodGraph("x").nodes,
          { id: "odd", type: "teleport", position: { x: 0, y: 0 }, data: {} },
        ],
      };
      const refused = await refusal(
        api.admin.flows.importDraft({
          id: draft.id,
          json: broken,
          expectedRevision: draft.revision,
        }),
      );
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.data.problems?.map((p) => p.code)).toEqual(
        expect.arrayContaining(["edgeTargetMissing", "unknownNodeType"]),
      );
      expect(await api.admin.flows.draft({ id: draft.id })).toEqual(before);
      const notAFlow = await refusal(
        api.admin.flows.importDraft({
          id: draft.id,
          json: { hello: "world" },
          expectedRevision: draft.revision,
        }),
      );
      expect(notAFlow.data.problems?.[0]?.code).toBe("malformedFlow");
      expect(await api.admin.flows.draft({ id: draft.id })).toEqual(before);
    });
  });

  describe("roles", () => {
    it("lets a supervisor open drafts and versions but not save, publish, roll back or import", async () => {
      const draft = await newFlow();
      const saved = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: goodGraph("ok"),
        expectedRevision: draft.revision,
      });
      await api.admin.versions.publish({
        flowId: draft.id,
        comment: "v1",
        expectedRevision: saved.revision,
      });
      const sup = supervisor.caller;
      await expect(sup.flows.draft({ id: draft.id })).resolves.toMatchObject({ id: draft.id });
      await expect(sup.versions.get({ flowId: draft.id, version: 1 })).resolves.toMatchObject({
        version: 1,
      });
      const forbidden = [
        sup.versions.publish({ flowId: draft.id, comment: "sneaky" }),
        sup.versions.rollback({ flowId: draft.id, version: 1, comment: "sneaky" }),
        sup.flows.saveDraft({
          id: draft.id,
          graph: goodGraph("sneaky"),
          expectedRevision: saved.revision,
        }),
        sup.flows.importDraft({
          id: draft.id,
          json: goodGraph("sneaky"),
          expectedRevision: saved.revision,
        }),
      ];
      for (const call of forbidden) expect((await refusal(call)).code).toBe("FORBIDDEN");
      expect(
        (await api.admin.versions.list({ flowId: draft.id })).items.map((v) => v.version),
      ).toEqual([1]);
      expect((await api.admin.flows.draft({ id: draft.id }))?.revision).toBe(saved.revision);
    });
  });

  describe("today's counts", () => {
    it("counts the outputs calls on the live version took since a time", async () => {
      const draft = await newFlow();
      const saved = await api.admin.flows.saveDraft({
        id: draft.id,
        graph: goodGraph("x"),
        expectedRevision: draft.revision,
      });
      const v1 = await api.admin.versions.publish({
        flowId: draft.id,
        comment: "v1",
        expectedRevision: saved.revision,
      });
      const startedAt = new Date();
      const callUuid = `call-${draft.id}`;
      await api.services.db.calls.record({
        callUuid,
        numberDialled: "7100",
        callerNumber: "+15550100",
        startedAt,
        workerId: "w",
        flowId: draft.id,
        flowVersionId: v1.id,
        flowVersion: 1,
      });
      await api.services.db.calls.appendTrace({
        callUuid,
        steps: [
          { at: startedAt, kind: "enter", nodeId: "start" },
          {
            at: startedAt,
            kind: "output",
            nodeId: "start",
            data: { nodeType: "start", output: "next" },
          },
        ],
      });
      const since = new Date(startedAt.getTime() - 60_000);
      expect(await supervisor.caller.versions.outputCounts({ flowId: draft.id, since })).toEqual({
        version: 1,
        counts: [{ nodeId: "start", output: "next", count: 1 }],
      });
    });
  });
}

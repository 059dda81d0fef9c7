import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { FlowNotPublishableError, type FlowPublished } from "@ringflow/core/flow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../src/create-db.js";
import type { DatabaseProvider } from "../src/database-url.js";
import { AlreadyExistsError, InUseError, NotFoundError } from "../src/errors.js";
import { migrateDatabase } from "../src/migrate/migrate-database.js";
import {
  type CallRecord,
  type CallRecordInput,
  wholeCallRecord,
} from "../src/repositories/calls.js";
import { MAX_RECENT_HANDLE_TIMES } from "../src/repositories/queue-states.js";
import { DEMO_NUMBER, seedDemo } from "../src/seed/seed-demo.js";
import { createTestDatabase, type TestDatabase } from "../src/testing/test-database.js";
import { type BehaviourFixture, minimalGraph, unique } from "./behaviour-fixture.js";
import { describeEdits } from "./edits-behaviour.js";
import { describeHistoryPages } from "./history-pages-behaviour.js";
import { describeRateLimits } from "./rate-limits-behaviour.js";
import { queryRaw } from "./raw-sql.js";
import { describeRefusedDeletes } from "./refused-deletes-behaviour.js";
import { describeSignIn } from "./sign-in-behaviour.js";
import { describeWallboard } from "./wallboard-behaviour.js";

const execFileAsync = promisify(execFile);
const TRACE_CAP = 5;

const graph = minimalGraph;

/**
 * The repositories' behaviour, run once per provider against a real,
 * freshly migrated database that this test file owns. Tests share the
 * database but never each other's rows (unique ids, numbers, queue ids).
 */
export function describeRepositories(provider: DatabaseProvider): void {
  let database: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    database = await createTestDatabase(provider);
    await migrateDatabase({ url: database.url });
    db = await createDb({ url: database.url, traceStepCap: TRACE_CAP });
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  describe("flows", () => {
    it("stores a draft graph and returns it parsed", async () => {
      const created = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      expect(created.latestVersion).toBeNull();
      expect(created.description).toBe("");
      expect(await db.flows.get(created.id)).toEqual(created);
      expect((await db.flows.list()).map((flow) => flow.id)).toContain(created.id);
      expect(await db.flows.get("no-such-flow")).toBeNull();
    });

    it("saves a new draft, name and description", async () => {
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      const saved = await db.flows.saveDraft({
        id: flow.id,
        draftGraph: graph("b"),
        name: "Renamed",
        description: "now with b",
      });
      expect(saved).toMatchObject({
        name: "Renamed",
        description: "now with b",
        draftGraph: graph("b"),
      });
      expect(saved.updatedAt.getTime()).toBeGreaterThanOrEqual(flow.updatedAt.getTime());
      await expect(
        db.flows.saveDraft({ id: "no-such-flow", draftGraph: graph("c") }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("deletes a flow with its versions, but not one a number routes to", async () => {
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      const version = await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      const number = unique("n");
      await db.routes.set({ number, flowId: flow.id });
      await expect(db.flows.delete(flow.id)).rejects.toBeInstanceOf(InUseError);
      await db.routes.remove(number);
      await db.flows.delete(flow.id);
      expect(await db.flows.get(flow.id)).toBeNull();
      expect(await db.versions.getById(version.id)).toBeNull();
      await expect(db.flows.delete(flow.id)).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("versions", () => {
    it("publishes the draft as versions 1, 2, ... and lists them newest first", async () => {
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("one") });
      const v1 = await db.versions.publish({
        flowId: flow.id,
        publishedBy: "ann",
        comment: "first",
      });
      await db.flows.saveDraft({ id: flow.id, draftGraph: graph("two") });
      const v2 = await db.versions.publish({ flowId: flow.id, publishedBy: "bob" });
      expect(v1).toMatchObject({
        version: 1,
        graph: graph("one"),
        publishedBy: "ann",
        comment: "first",
      });
      expect(v2).toMatchObject({
        version: 2,
        graph: graph("two"),
        publishedBy: "bob",
        comment: null,
      });
      expect((await db.flows.get(flow.id))?.latestVersion).toBe(2);
      expect((await db.versions.list(flow.id)).map((v) => v.version)).toEqual([2, 1]);
      expect(await db.versions.get({ flowId: flow.id, version: 1 })).toEqual(v1);
      expect(await db.versions.getById(v2.id)).toEqual(v2);
      expect(await db.versions.get({ flowId: flow.id, version: 3 })).toBeNull();
    });

    it("keeps a published version as it was when the draft changes", async () => {
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("published") });
      const v1 = await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      await db.flows.saveDraft({ id: flow.id, draftGraph: graph("edited") });
      expect((await db.versions.getById(v1.id))?.graph).toEqual(graph("published"));
    });

    it("refuses, in the database itself, to rewrite a published version", async () => {
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      const v1 = await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      await expect(
        queryRaw(
          database.url,
          `UPDATE "FlowVersion" SET "graph" = '{"nodes":[],"edges":[]}' WHERE "id" = '${v1.id}'`,
        ),
      ).rejects.toThrow(/immutable/);
      expect((await db.versions.getById(v1.id))?.graph).toEqual(graph("a"));
    });

    it("gives concurrent publishes distinct, consecutive numbers", async () => {
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      const versions = await Promise.all(
        Array.from({ length: 6 }, () => db.versions.publish({ flowId: flow.id, publishedBy: "t" })),
      );
      expect(versions.map((v) => v.version).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6]);
      expect((await db.flows.get(flow.id))?.latestVersion).toBe(6);
    });

    it("gives publishes from two processes at once distinct numbers", async () => {
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      const child = fileURLToPath(new URL("./publish-child.ts", import.meta.url));
      const run = () =>
        execFileAsync(process.execPath, [
          "--conditions=@ringflow/source",
          "--import",
          "tsx",
          child,
          database.url,
          flow.id,
          "4",
        ]);
      const outputs = await Promise.all([run(), run()]);
      const numbers = outputs.flatMap(({ stdout }) => JSON.parse(stdout) as number[]);
      expect(numbers.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      // Two Node processes loading Prisma: seconds, more on a busy machine.
    }, 60_000);

    it("refuses a draft with errors, with every problem on its node, and publishes nothing", async () => {
      const flow = await db.flows.create({
        name: unique("flow"),
        draftGraph: {
          ...graph("broken"),
          edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "gone" }],
        },
      });
      const refused = await db.versions
        .publish({ flowId: flow.id, publishedBy: "t" })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(FlowNotPublishableError);
      expect((refused as FlowNotPublishableError).problems).toContainEqual(
        expect.objectContaining({ severity: "error", code: "edgeTargetMissing", edgeId: "e1" }),
      );
      expect((await db.flows.get(flow.id))?.latestVersion).toBeNull();
      expect(await db.versions.list(flow.id)).toEqual([]);
      // The refused attempt claimed no number.
      await db.flows.saveDraft({ id: flow.id, draftGraph: graph("fixed") });
      expect((await db.versions.publish({ flowId: flow.id, publishedBy: "t" })).version).toBe(1);
    });

    it("publishes nothing when parseGraph rejects the draft", async () => {
      const strict = await createDb({
        url: database.url,
        parseGraph: (json) => {
          if (JSON.stringify(json).includes("refused")) throw new Error("refused by parseGraph");
          return json;
        },
      });
      try {
        const flow = await strict.flows.create({
          name: unique("flow"),
          draftGraph: graph("refused"),
        });
        await expect(
          strict.versions.publish({ flowId: flow.id, publishedBy: "t" }),
        ).rejects.toThrow("refused by parseGraph");
        expect((await strict.flows.get(flow.id))?.latestVersion).toBeNull();
        await strict.flows.saveDraft({ id: flow.id, draftGraph: graph("ok") });
        expect((await strict.versions.publish({ flowId: flow.id, publishedBy: "t" })).version).toBe(
          1,
        );
      } finally {
        await strict.close();
      }
    });

    it("announces each publish once it is committed, and not a refused one", async () => {
      const notices: FlowPublished[] = [];
      const announcing = await createDb({
        url: database.url,
        announcer: { announce: async (notice) => void notices.push(notice) },
      });
      try {
        const flow = await announcing.flows.create({
          name: unique("flow"),
          draftGraph: graph("a"),
        });
        const v1 = await announcing.versions.publish({ flowId: flow.id, publishedBy: "t" });
        expect(notices).toEqual([{ flowId: flow.id, versionId: v1.id, version: 1 }]);
        await announcing.flows.saveDraft({ id: flow.id, draftGraph: { nodes: "none" } });
        await expect(
          announcing.versions.publish({ flowId: flow.id, publishedBy: "t" }),
        ).rejects.toBeInstanceOf(FlowNotPublishableError);
        expect(notices).toHaveLength(1);
      } finally {
        await announcing.close();
      }
    });

    it("reports a missing flow", async () => {
      await expect(
        db.versions.publish({ flowId: "no-such-flow", publishedBy: "t" }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("routes", () => {
    it("routes a number to the latest published version of its flow", async () => {
      const number = unique("n");
      expect(await db.routes.findPublishedFlowForNumber(number)).toBeNull();
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("v1") });
      await db.routes.set({ number, flowId: flow.id });
      expect(await db.routes.findPublishedFlowForNumber(number)).toBeNull();

      const v1 = await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      expect(await db.routes.findPublishedFlowForNumber(number)).toEqual({
        number,
        flowId: flow.id,
        versionId: v1.id,
        version: 1,
        graph: graph("v1"),
      });

      await db.flows.saveDraft({ id: flow.id, draftGraph: graph("v2") });
      expect((await db.routes.findPublishedFlowForNumber(number))?.version).toBe(1);
      await db.versions.publish({ flowId: flow.id, publishedBy: "t" });
      expect(await db.routes.findPublishedFlowForNumber(number)).toMatchObject({
        version: 2,
        graph: graph("v2"),
      });
    });

    it("follows a number moved to another flow, and forgets a removed one", async () => {
      const number = unique("n");
      const first = await db.flows.create({ name: unique("flow"), draftGraph: graph("first") });
      const second = await db.flows.create({ name: unique("flow"), draftGraph: graph("second") });
      await db.versions.publish({ flowId: first.id, publishedBy: "t" });
      await db.versions.publish({ flowId: second.id, publishedBy: "t" });
      await db.routes.set({ number, flowId: first.id });
      const moved = await db.routes.set({ number, flowId: second.id });
      expect(moved).toMatchObject({ number, flowId: second.id });
      expect((await db.routes.findPublishedFlowForNumber(number))?.graph).toEqual(graph("second"));
      expect(await db.routes.remove(number)).toBe(true);
      expect(await db.routes.remove(number)).toBe(false);
      expect(await db.routes.get(number)).toBeNull();
      expect(await db.routes.findPublishedFlowForNumber(number)).toBeNull();
    });

    it("refuses a route to a missing flow and lists routes by number", async () => {
      await expect(
        db.routes.set({ number: unique("n"), flowId: "no-such-flow" }),
      ).rejects.toBeInstanceOf(NotFoundError);
      const flow = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      const prefix = unique("list");
      await db.routes.set({ number: `${prefix}-2`, flowId: flow.id });
      await db.routes.set({ number: `${prefix}-1`, flowId: flow.id });
      const mine = (await db.routes.list()).filter((route) => route.number.startsWith(prefix));
      expect(mine.map((route) => route.number)).toEqual([`${prefix}-1`, `${prefix}-2`]);
    });

    it("lists routed numbers with their newest published version, without graphs", async () => {
      const prefix = unique("pub");
      const published = await db.flows.create({ name: unique("flow"), draftGraph: graph("a") });
      const draftOnly = await db.flows.create({ name: unique("flow"), draftGraph: graph("b") });
      await db.versions.publish({ flowId: published.id, publishedBy: "t" });
      const v2 = await db.versions.publish({ flowId: published.id, publishedBy: "t" });
      await db.routes.set({ number: `${prefix}-2`, flowId: published.id });
      await db.routes.set({ number: `${prefix}-1`, flowId: published.id });
      await db.routes.set({ number: `${prefix}-3`, flowId: draftOnly.id });
      const mine = (await db.routes.listPublished()).filter((r) => r.number.startsWith(prefix));
      const expected = { flowId: published.id, versionId: v2.id, version: 2 };
      expect(mine).toEqual([
        { number: `${prefix}-1`, ...expected },
        { number: `${prefix}-2`, ...expected },
      ]);
      const v3 = await db.versions.publish({ flowId: published.id, publishedBy: "t" });
      const after = (await db.routes.listPublished()).filter((r) => r.number === `${prefix}-1`);
      expect(after).toEqual([{ number: `${prefix}-1`, ...expected, versionId: v3.id, version: 3 }]);
    });

    it("passes published graphs through parseGraph", async () => {
      const typed = await createDb({
        url: database.url,
        parseGraph: (json) => ({ checked: true as const, json }),
      });
      try {
        const number = unique("n");
        const flow = await typed.flows.create({ name: unique("flow"), draftGraph: graph("a") });
        await typed.versions.publish({ flowId: flow.id, publishedBy: "t" });
        await typed.routes.set({ number, flowId: flow.id });
        const published = await typed.routes.findPublishedFlowForNumber(number);
        // What was stored is what parseGraph returned at publish time.
        expect(published?.graph).toEqual({
          checked: true,
          json: { checked: true, json: graph("a") },
        });
      } finally {
        await typed.close();
      }
    });
  });

  describe("queues", () => {
    it("creates, replaces, lists and deletes queue settings", async () => {
      const id = unique("q");
      const created = await db.queues.save({
        id,
        name: "Sales",
        maxConcurrent: 2,
        timeoutMs: 60_000,
      });
      expect(created).toMatchObject({
        id,
        name: "Sales",
        maxConcurrent: 2,
        maxWaiting: null,
        timeoutMs: 60_000,
        holdMusic: null,
        announcementIntervalMs: null,
      });
      const replaced = await db.queues.save({
        id,
        name: "Sales",
        maxConcurrent: 4,
        maxWaiting: 20,
        holdMusic: "local_stream://moh",
        announcementIntervalMs: 30_000,
      });
      expect(replaced).toMatchObject({ maxConcurrent: 4, maxWaiting: 20, timeoutMs: null });
      expect(await db.queues.get(id)).toEqual(replaced);
      expect((await db.queues.list()).map((queue) => queue.id)).toContain(id);
      await db.queues.delete(id);
      await expect(db.queues.delete(id)).rejects.toBeInstanceOf(NotFoundError);
      expect(await db.queues.get(id)).toBeNull();
    });
  });

  describe("queue states", () => {
    it("keeps a queue's pause and handle-time average apart, for any queue id", async () => {
      const id = unique("q");
      expect(await db.queueStates.get(id)).toEqual({
        queueId: id,
        paused: false,
        handleEwmaMs: null,
        handleSamples: 0,
        recentHandleMs: [],
      });
      await db.queueStates.setPaused(id, true);
      await db.queueStates.saveHandleTime(id, { ewmaMs: 1234.5, samples: 7 });
      await db.queueStates.saveHandleTime(id, { ewmaMs: 1500, samples: 8, recentMs: [900, 2100] });
      expect(await db.queueStates.get(id)).toEqual({
        queueId: id,
        paused: true,
        handleEwmaMs: 1500,
        handleSamples: 8,
        recentHandleMs: [900, 2100],
      });
      await db.queueStates.setPaused(id, false);
      const listed = (await db.queueStates.list()).find((s) => s.queueId === id);
      expect(listed).toMatchObject({
        paused: false,
        handleEwmaMs: 1500,
        recentHandleMs: [900, 2100],
      });
    });

    it("keeps the newest recent handle times only, and reads an average stored without them", async () => {
      const id = unique("q");
      const many = Array.from({ length: MAX_RECENT_HANDLE_TIMES + 5 }, (_, i) => i);
      await db.queueStates.saveHandleTime(id, { ewmaMs: 100, samples: 300, recentMs: many });
      expect((await db.queueStates.get(id)).recentHandleMs).toEqual(many.slice(5));
      const older = unique("q");
      await db.settings.set(
        `queue.handleTime:${older}`,
        JSON.stringify({ ewmaMs: 42, samples: 3 }),
      );
      expect(await db.queueStates.get(older)).toMatchObject({
        handleEwmaMs: 42,
        recentHandleMs: [],
      });
    });
  });

  describe("agents and groups", () => {
    it("creates agents with defaults and refuses a taken contact", async () => {
      const contact = `user/${unique("a")}`;
      const agent = await db.agents.create({ contact, name: "Ann" });
      expect(agent).toMatchObject({
        contact,
        name: "Ann",
        status: "available",
        wrapUpMs: 0,
        maxNoAnswer: 3,
      });
      await expect(db.agents.create({ contact, name: "Other" })).rejects.toBeInstanceOf(
        AlreadyExistsError,
      );
      expect(await db.agents.findByContact(contact)).toEqual(agent);
    });

    it("updates the given fields only", async () => {
      const agent = await db.agents.create({ contact: `user/${unique("a")}`, name: "Ann" });
      const updated = await db.agents.update({
        id: agent.id,
        expectedRevision: agent.revision,
        status: "onBreak",
        wrapUpMs: 10_000,
      });
      expect(updated).toMatchObject({ name: "Ann", status: "onBreak", wrapUpMs: 10_000 });
      await expect(
        db.agents.update({ id: "no-such-agent", expectedRevision: 0, name: "x" }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    it("sets an agent's status whatever the revision, bumping it", async () => {
      const agent = await db.agents.create({ contact: `user/${unique("a")}`, name: "Bo" });
      const onBreak = await db.agents.setStatus(agent.id, "onBreak");
      expect(onBreak).toMatchObject({ status: "onBreak", revision: agent.revision + 1 });
      expect((await db.agents.get(agent.id))?.status).toBe("onBreak");
      await expect(db.agents.setStatus("no-such-agent", "available")).rejects.toBeInstanceOf(
        NotFoundError,
      );
    });

    it("keeps group members in ring order and replaces them", async () => {
      const [a, b, c] = await Promise.all(
        ["A", "B", "C"].map((name) => db.agents.create({ contact: `user/${unique(name)}`, name })),
      );
      if (!a || !b || !c) throw new Error("agents not created");
      const name = unique("group");
      const group = await db.groups.create({ name, agentIds: [c.id, a.id, b.id] });
      expect(group.members.map((m) => m.name)).toEqual(["C", "A", "B"]);
      const reordered = await db.groups.setMembers({ groupId: group.id, agentIds: [b.id, c.id] });
      expect(reordered.members.map((m) => m.name)).toEqual(["B", "C"]);
      expect(await db.groups.findByName(name)).toEqual(reordered);

      await db.agents.delete(b.id);
      expect((await db.groups.get(group.id))?.members.map((m) => m.name)).toEqual(["C"]);
    });

    it("reports taken names, unknown agents and unknown groups", async () => {
      const agent = await db.agents.create({ contact: `user/${unique("a")}`, name: "A" });
      const name = unique("group");
      const group = await db.groups.create({ name });
      await expect(db.groups.create({ name })).rejects.toBeInstanceOf(AlreadyExistsError);
      await expect(
        db.groups.setMembers({ groupId: group.id, agentIds: ["no-such-agent"] }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        db.groups.setMembers({ groupId: "no-such-group", agentIds: [agent.id] }),
      ).rejects.toBeInstanceOf(NotFoundError);
      await expect(
        db.groups.setMembers({ groupId: group.id, agentIds: [agent.id, agent.id] }),
      ).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await db.groups.get(group.id))?.members).toEqual([]);
    });
  });

  describe("calls", () => {
    function call(overrides: Partial<CallRecordInput> = {}): CallRecordInput {
      return {
        callUuid: randomUUID(),
        numberDialled: "7000",
        callerNumber: "+15550100",
        startedAt: new Date("2026-01-01T10:00:00.000Z"),
        workerId: "worker-1",
        ...overrides,
      };
    }

    it("deletes finished calls older than a cut-off in batches, with their traces, never open ones", async () => {
      const old = (minute: number, outcome: "answered" | null) =>
        call({
          startedAt: new Date(`1990-01-01T10:${String(minute).padStart(2, "0")}:00.000Z`),
          outcome,
        });
      const finished = [old(1, "answered"), old(2, "answered"), old(3, "answered")];
      const open = old(4, null);
      const recent = call({ startedAt: new Date("1990-06-01T00:00:00.000Z"), outcome: "answered" });
      for (const input of [...finished, open, recent]) await db.calls.record(input);
      await db.calls.appendTrace({
        callUuid: finished[0]?.callUuid as string,
        steps: [{ at: new Date("1990-01-01T10:01:00.000Z"), kind: "note", nodeId: null }],
      });
      const before = new Date("1990-02-01T00:00:00.000Z");
      expect(await db.calls.deleteFinishedBefore({ before, batchSize: 2 })).toBe(2);
      expect(await db.calls.deleteFinishedBefore({ before, batchSize: 2 })).toBe(1);
      expect(await db.calls.deleteFinishedBefore({ before, batchSize: 2 })).toBe(0);
      for (const gone of finished) expect(await db.calls.get(gone.callUuid)).toBeNull();
      expect(await db.calls.getTrace(finished[0]?.callUuid as string)).toBeNull();
      expect(await db.calls.get(open.callUuid)).not.toBeNull();
      expect(await db.calls.get(recent.callUuid)).not.toBeNull();
    });

    it("records a call at its start and completes it later", async () => {
      const start = call({ callerName: "Caller", queueId: unique("q") });
      const started = await db.calls.record(start);
      expect(started).toMatchObject({ outcome: null, endedAt: null, callerName: "Caller" });
      const endedAt = new Date("2026-01-01T10:02:00.000Z");
      const ended = await db.calls.record({
        ...start,
        answeredAt: new Date("2026-01-01T10:01:00.000Z"),
        endedAt,
        waitMs: 60_000,
        outcome: "answered",
        agentContact: "user/1001",
        hangupCause: "NORMAL_CLEARING",
        callerName: null,
      });
      expect(ended).toMatchObject({
        callUuid: start.callUuid,
        queueId: start.queueId,
        outcome: "answered",
        waitMs: 60_000,
        endedAt,
        callerName: null,
      });
      expect(await db.calls.get(start.callUuid)).toEqual(ended);
    });

    it("keeps the estimate a caller was given at entry beside the wait they had", async () => {
      const start = call({ queueId: unique("q") });
      await db.calls.record(start);
      expect(await db.calls.get(start.callUuid)).toMatchObject({ estimatedWaitMs: null });
      await db.calls.record({
        ...start,
        enqueuedAt: new Date("2026-01-01T10:00:01.000Z"),
        estimatedWaitMs: 95_000,
      });
      // Later writes that leave it out keep it; the actual wait sits beside it.
      const ended = await db.calls.record({ ...start, waitMs: 87_500, outcome: "answered" });
      expect(ended).toMatchObject({ estimatedWaitMs: 95_000, waitMs: 87_500 });
      expect(await db.calls.record({ ...start, estimatedWaitMs: null })).toMatchObject({
        estimatedWaitMs: null,
      });
    });

    it("lists calls by queue, time and outcome, newest first, and counts outcomes", async () => {
      const queueId = unique("q");
      const at = (minute: number) => new Date(Date.UTC(2026, 0, 2, 9, minute));
      const records = [
        call({ queueId, startedAt: at(0), outcome: "answered" }),
        call({ queueId, startedAt: at(1), outcome: "abandoned" }),
        call({ queueId, startedAt: at(2), outcome: "answered" }),
        call({ queueId, startedAt: at(3) }),
        call({ queueId: unique("other"), startedAt: at(2), outcome: "answered" }),
      ];
      for (const record of records) await db.calls.record(record);
      const uuids = (list: { callUuid: string }[]) => list.map((c) => c.callUuid);

      expect(uuids(await db.calls.list({ queueId }))).toEqual(
        uuids([records[3], records[2], records[1], records[0]] as CallRecordInput[]),
      );
      expect(uuids(await db.calls.list({ queueId, since: at(1), until: at(3) }))).toEqual(
        uuids([records[2], records[1]] as CallRecordInput[]),
      );
      expect(uuids(await db.calls.list({ queueId, outcome: "answered", limit: 1 }))).toEqual(
        uuids([records[2]] as CallRecordInput[]),
      );
      expect(await db.calls.countByOutcome({ queueId })).toEqual({
        answered: 2,
        abandoned: 1,
        timeout: 0,
        voicemail: 0,
        noAnswer: 0,
        failed: 0,
        callback: 0,
        workerLost: 0,
        inProgress: 1,
      });
    });

    it("closes the open records of lost workers as workerLost, with the time, and says which", async () => {
      const lost = unique("lost");
      const alive = unique("alive");
      const queueId = unique("q");
      const open = await db.calls.record(call({ workerId: lost, queueId }));
      const finished = await db.calls.record(
        call({
          workerId: lost,
          queueId,
          outcome: "answered",
          endedAt: new Date("2026-01-01T10:05:00Z"),
        }),
      );
      const others = await db.calls.record(call({ workerId: alive, queueId }));
      expect(await db.calls.listOpen(lost)).toEqual([open.callUuid]);
      const workers = await db.calls.openWorkerIds();
      expect(workers).toEqual(expect.arrayContaining([lost, alive]));
      expect(new Set(workers).size).toBe(workers.length);

      const endedAt = new Date("2026-01-01T10:06:00.000Z");
      expect(await db.calls.closeLost({ workerIds: [lost], endedAt })).toEqual([open.callUuid]);
      expect(await db.calls.get(open.callUuid)).toMatchObject({ outcome: "workerLost", endedAt });
      expect((await db.calls.get(finished.callUuid))?.outcome).toBe("answered");
      expect((await db.calls.get(others.callUuid))?.outcome).toBeNull();
      expect(await db.calls.closeLost({ workerIds: [lost], endedAt })).toEqual([]);
      expect(await db.calls.closeLost({ workerIds: [], endedAt })).toEqual([]);
      expect(await db.calls.openWorkerIds()).not.toContain(lost);
      expect(await db.calls.listOpen(lost)).toEqual([]);
      expect(await db.calls.list({ queueId, outcome: "workerLost" })).toHaveLength(1);
      expect(await db.calls.countByOutcome({ queueId })).toMatchObject({
        workerLost: 1,
        answered: 1,
        inProgress: 1,
      });
    });

    it("keeps the first steps of a trace up to the cap and counts the rest", async () => {
      const record = await db.calls.record(call());
      const step = (n: number) => ({
        at: new Date(Date.UTC(2026, 0, 1, 10, 0, n)),
        kind: "enter",
        nodeId: `node-${n}`,
        data: { n },
      });
      expect(await db.calls.getTrace(record.callUuid)).toBeNull();
      expect(
        await db.calls.appendTrace({
          callUuid: record.callUuid,
          steps: [step(0), step(1), step(2)],
        }),
      ).toEqual({ kept: 3, dropped: 0 });
      expect(
        await db.calls.appendTrace({
          callUuid: record.callUuid,
          steps: [step(3), step(4), step(5), step(6)],
        }),
      ).toEqual({ kept: 2, dropped: 2 });
      expect(
        await db.calls.appendTrace({
          callUuid: record.callUuid,
          steps: [{ at: step(7).at, kind: "end" }],
        }),
      ).toEqual({ kept: 0, dropped: 1 });

      const trace = await db.calls.getTrace(record.callUuid);
      expect(trace).toMatchObject({ callUuid: record.callUuid, totalSteps: 8, droppedSteps: 3 });
      expect(trace?.steps).toEqual([0, 1, 2, 3, 4].map((n) => ({ seq: n, ...step(n) })));
    });

    it("numbers concurrent trace appends distinctly", async () => {
      const record = await db.calls.record(call());
      const at = new Date();
      await Promise.all(
        ["a", "b", "c", "d"].map((kind) =>
          db.calls.appendTrace({ callUuid: record.callUuid, steps: [{ at, kind }] }),
        ),
      );
      const trace = await db.calls.getTrace(record.callUuid);
      expect(trace?.steps.map((s) => s.seq)).toEqual([0, 1, 2, 3]);
      expect(trace?.steps.map((s) => s.kind).sort()).toEqual(["a", "b", "c", "d"]);
      expect(trace?.steps[0]).toMatchObject({ nodeId: null, data: null });
    });

    it("refuses a trace for a call that has no record", async () => {
      await expect(
        db.calls.appendTrace({ callUuid: randomUUID(), steps: [{ at: new Date(), kind: "x" }] }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });

    describe("saveBatch", () => {
      /** A whole record: `call()` with every other field null. */
      const whole = (overrides: Partial<CallRecord> = {}): CallRecord =>
        wholeCallRecord({ ...call(), ...overrides });
      const step = (n: number, data?: unknown) => ({
        at: new Date(Date.UTC(2026, 0, 1, 10, 0, n, 123)),
        kind: `k${n}`,
        nodeId: n % 2 === 0 ? `node-${n}` : null,
        data: data ?? null,
      });

      it("writes records that read back as if written one by one, replacing stored ones whole", async () => {
        const stored = await db.calls.record(
          call({ queueId: unique("q"), callerName: "Ann", waitMs: 5, estimatedWaitMs: 7 }),
        );
        const replaced = whole({
          ...stored,
          callerName: null,
          waitMs: null,
          estimatedWaitMs: null,
          outcome: "abandoned",
          endedAt: new Date("2026-01-01T10:05:00.250Z"),
        });
        const fresh = whole({
          flowId: "f",
          flowVersionId: "v",
          flowVersion: 3,
          queueId: unique("q"),
          enqueuedAt: new Date("2026-01-01T10:00:01.001Z"),
          acquiredAt: new Date("2026-01-01T10:00:02.002Z"),
          answeredAt: new Date("2026-01-01T10:00:03.003Z"),
          endedAt: new Date("2026-01-01T10:00:04.004Z"),
          waitMs: 1_001,
          estimatedWaitMs: 125_000,
          outcome: "answered",
          agentContact: "user/1001",
          hangupCause: "NORMAL_CLEARING",
          callerName: "Zoë ‘quoted’ O'Neil",
        });
        const first = whole({ callUuid: fresh.callUuid, outcome: "timeout" });
        expect(await db.calls.saveBatch({ records: [first, replaced, fresh], traces: [] })).toEqual(
          { records: 2, keptSteps: 0, droppedSteps: 0 },
        );
        expect(await db.calls.get(stored.callUuid)).toEqual(replaced);
        expect(await db.calls.get(fresh.callUuid)).toEqual(fresh);
        const byQueue = await db.calls.list({ queueId: fresh.queueId ?? "" });
        expect(byQueue).toEqual([fresh]);
        expect(await db.calls.countByOutcome({ queueId: fresh.queueId ?? "" })).toMatchObject({
          answered: 1,
        });
      });

      it("appends traces after stored steps, in order, with the cap applied across batches", async () => {
        const stored = await db.calls.record(call());
        await db.calls.appendTrace({ callUuid: stored.callUuid, steps: [step(0)] });
        const inBatch = whole();
        const result = await db.calls.saveBatch({
          records: [inBatch],
          traces: [
            { callUuid: stored.callUuid, steps: [step(1, { output: "next" }), step(2)] },
            { callUuid: inBatch.callUuid, steps: [step(0, [1, "two"])] },
            { callUuid: stored.callUuid, steps: [step(3), step(4), step(5), step(6)] },
          ],
        });
        expect(result).toEqual({ records: 1, keptSteps: 5, droppedSteps: 2 });
        const trace = await db.calls.getTrace(stored.callUuid);
        expect(trace).toMatchObject({ totalSteps: 7, droppedSteps: 2 });
        expect(trace?.steps).toEqual(
          [step(0), step(1, { output: "next" }), step(2), step(3), step(4)].map((s, seq) => ({
            seq,
            ...s,
          })),
        );
        expect((await db.calls.getTrace(inBatch.callUuid))?.steps).toEqual([
          { seq: 0, ...step(0, [1, "two"]) },
        ]);
        await db.calls.saveBatch({
          records: [],
          traces: [{ callUuid: inBatch.callUuid, steps: [step(1)] }],
        });
        expect((await db.calls.getTrace(inBatch.callUuid))?.totalSteps).toBe(2);
      });

      it("writes nothing when a trace's call has no record", async () => {
        const record = whole();
        const orphan = randomUUID();
        await expect(
          db.calls.saveBatch({
            records: [record],
            traces: [
              { callUuid: record.callUuid, steps: [step(0)] },
              { callUuid: orphan, steps: [step(0)] },
            ],
          }),
        ).rejects.toMatchObject({ name: "NotFoundError" });
        expect(await db.calls.get(record.callUuid)).toBeNull();
        expect(await db.calls.getTrace(record.callUuid)).toBeNull();
      });

      it("writes a batch that needs many statements, and treats an empty batch as nothing", async () => {
        expect(await db.calls.saveBatch({ records: [], traces: [] })).toEqual({
          records: 0,
          keptSteps: 0,
          droppedSteps: 0,
        });
        const queueId = unique("bulk");
        const records = Array.from({ length: 1_200 }, () => whole({ queueId }));
        const result = await db.calls.saveBatch({
          records,
          traces: records.map((r) => ({
            callUuid: r.callUuid,
            steps: [0, 1, 2, 3, 4, 5].map((n) => step(n)),
          })),
        });
        expect(result).toEqual({ records: 1_200, keptSteps: 6_000, droppedSteps: 1_200 });
        expect((await db.calls.countByOutcome({ queueId })).inProgress).toBe(1_200);
        const last = records.at(-1)?.callUuid ?? "";
        expect((await db.calls.getTrace(last))?.steps).toHaveLength(TRACE_CAP);
      });
    });
  });

  describe("settings", () => {
    it("creates a value once and returns the stored one to every caller, even racing", async () => {
      const key = unique("setting");
      expect(await db.settings.get(key)).toBeNull();
      let made = 0;
      const values = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          db.settings.getOrCreate(key, () => {
            made += 1;
            return `value-${i}`;
          }),
        ),
      );
      expect(new Set(values).size).toBe(1);
      expect(made).toBeGreaterThanOrEqual(1);
      expect(await db.settings.get(key)).toBe(values[0]);
      expect(await db.settings.getOrCreate(key, () => "other")).toBe(values[0]);
      expect(await db.settings.deleteIf(key, "not-the-value")).toBe(false);
      expect(await db.settings.deleteIf(key, values[0] as string)).toBe(true);
      expect(await db.settings.get(key)).toBeNull();
    });
  });

  describe("demo seed", () => {
    it("publishes the demo flow for its number, once", async () => {
      const demoGraph = graph("demo");
      const first = await seedDemo(db, { graph: demoGraph });
      expect(first.created).toBe(true);
      expect(await db.routes.findPublishedFlowForNumber(DEMO_NUMBER)).toMatchObject({
        flowId: first.flowId,
        version: 1,
        graph: demoGraph,
      });
      const group = await db.groups.get(first.groupId);
      expect(group?.members.map((m) => m.contact)).toEqual(["user/1001", "user/1002", "user/1003"]);
      expect(await db.queues.get("support")).toMatchObject({ maxConcurrent: 2 });

      const again = await seedDemo(db, { graph: graph("other") });
      expect(again).toEqual({ ...first, created: false });
      expect(await db.versions.list(first.flowId)).toHaveLength(1);
    });
  });
  const fixture = (): BehaviourFixture => ({ db, url: database.url });
  describeEdits(fixture);
  describeRefusedDeletes(fixture);
  describeHistoryPages(fixture);
  describeRateLimits(fixture);
  describeSignIn(fixture);
  describeWallboard(fixture);
}

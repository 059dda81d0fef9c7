import type { DatabaseProvider } from "@ringflow/db";
import { wholeCallRecord } from "@ringflow/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN, type ApiHarness, openApiHarness, refusal } from "./api-harness";
import { queueFlow } from "./flows";

const queueInput = (id: string) => ({
  id,
  name: `Queue ${id}`,
  maxConcurrent: 2,
  maxWaiting: null,
  timeoutSeconds: 300,
  holdMusic: "local_stream://moh",
  announceEverySeconds: 60,
});

const agentInput = (contact: string) => ({
  name: `Agent ${contact}`,
  contact,
  status: "available" as const,
  wrapUpSeconds: 5,
  maxNoAnswer: 3,
});

let serial = 0;
const unique = (prefix: string) => `${prefix}${++serial}${Date.now().toString(36)}`;

/**
 * The web API's behaviour through `createCaller`, as each role calls it,
 * against a real database of `provider` that this suite owns.
 */
export function describeApi(provider: DatabaseProvider): void {
  let api: ApiHarness;
  let supervisor: Awaited<ReturnType<ApiHarness["addUser"]>>;

  beforeAll(async () => {
    api = await openApiHarness(provider);
    supervisor = await api.addUser("supervisor");
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  describe("sign-in and roles", () => {
    it("refuses anonymous callers with UNAUTHORIZED and tells them setup is done", async () => {
      expect((await refusal(api.anonymous.queues.list())).code).toBe("UNAUTHORIZED");
      expect(await api.anonymous.session.state()).toEqual({ user: null, setupNeeded: false });
    });

    it("refuses a second first-run setup, and writes no user", async () => {
      const before = await api.admin.users.list();
      const refused = await refusal(
        api.anonymous.session.setup({
          email: "intruder@example.com",
          name: "X",
          password: "0123456789abc",
        }),
      );
      expect(refused).toMatchObject({ code: "FORBIDDEN", data: { domainCode: "SETUP_DONE" } });
      expect(await api.admin.users.list()).toHaveLength(before.length);
    });

    it("lets a supervisor read but not change, with FORBIDDEN and nothing written", async () => {
      await expect(supervisor.caller.queues.list()).resolves.toBeInstanceOf(Array);
      const id = unique("sup");
      expect((await refusal(supervisor.caller.queues.create(queueInput(id)))).code).toBe(
        "FORBIDDEN",
      );
      expect(await api.admin.queues.get({ id })).toBeNull();
      expect((await refusal(supervisor.caller.users.list())).code).toBe("FORBIDDEN");
      expect(
        (await refusal(supervisor.caller.flows.create({ name: "x", description: "" }))).code,
      ).toBe("FORBIDDEN");
      expect((await supervisor.caller.session.state()).user?.role).toBe("supervisor");
    });
  });

  describe("queues", () => {
    it("creates, lists, updates and deletes a queue", async () => {
      const id = unique("q");
      const created = await api.admin.queues.create(queueInput(id));
      expect(created).toMatchObject({ id, maxConcurrent: 2, timeoutSeconds: 300, revision: 0 });
      expect((await api.admin.queues.list()).map((q) => q.id)).toContain(id);
      const updated = await api.admin.queues.update({
        ...queueInput(id),
        maxConcurrent: 5,
        timeoutSeconds: null,
        expectedRevision: created.revision,
      });
      expect(updated).toMatchObject({ maxConcurrent: 5, timeoutSeconds: null, revision: 1 });
      await api.admin.queues.delete({ id, expectedRevision: updated.revision });
      expect(await api.admin.queues.get({ id })).toBeNull();
    });

    it("refuses bad input with BAD_REQUEST and field errors, and writes nothing", async () => {
      const id = unique("bad");
      const refused = await refusal(
        api.admin.queues.create({ ...queueInput(id), maxConcurrent: 0 }),
      );
      expect(refused.code).toBe("BAD_REQUEST");
      expect(refused.data.fieldErrors?.maxConcurrent).toEqual(["At least 1"]);
      expect(await api.admin.queues.get({ id })).toBeNull();
      const badId = await refusal(api.admin.queues.create(queueInput("no spaces allowed")));
      expect(Object.keys(badId.data.fieldErrors ?? {})).toEqual(["id"]);
    });

    it("refuses a taken id as a CONFLICT on the id field", async () => {
      const id = unique("dup");
      await api.admin.queues.create(queueInput(id));
      const refused = await refusal(api.admin.queues.create(queueInput(id)));
      expect(refused.code).toBe("CONFLICT");
      expect(refused.data.domainCode).toBe("ALREADY_EXISTS");
      expect(Object.keys(refused.data.fieldErrors ?? {})).toEqual(["id"]);
    });

    it("detects a concurrent edit: the second save gets CONFLICT and changes nothing", async () => {
      const id = unique("race");
      const opened = await api.admin.queues.create(queueInput(id));
      await api.admin.queues.update({
        ...queueInput(id),
        name: "First",
        expectedRevision: opened.revision,
      });
      const late = await refusal(
        api.admin.queues.update({
          ...queueInput(id),
          name: "Second",
          expectedRevision: opened.revision,
        }),
      );
      expect(late).toMatchObject({ code: "CONFLICT", data: { domainCode: "CONFLICT" } });
      expect((await api.admin.queues.get({ id }))?.name).toBe("First");
    });
  });

  describe("agents and groups", () => {
    it("creates agents, refuses a taken phone on its field, and edits with a revision", async () => {
      const contact = `user/${unique("")}`;
      const agent = await api.admin.agents.create(agentInput(contact));
      expect(agent).toMatchObject({ contact, wrapUpSeconds: 5, revision: 0 });
      const taken = await refusal(api.admin.agents.create(agentInput(contact)));
      expect(taken.code).toBe("CONFLICT");
      expect(Object.keys(taken.data.fieldErrors ?? {})).toEqual(["contact"]);
      const edited = await api.admin.agents.update({
        ...agentInput(contact),
        status: "onBreak",
        id: agent.id,
        expectedRevision: agent.revision,
      });
      expect(edited).toMatchObject({ status: "onBreak", revision: 1 });
      const stale = await refusal(
        api.admin.agents.update({ ...agentInput(contact), id: agent.id, expectedRevision: 0 }),
      );
      expect(stale.data.domainCode).toBe("CONFLICT");
    });

    it("keeps a group's members in the order given, reorders them in one change", async () => {
      const a = await api.admin.agents.create(agentInput(`user/${unique("a")}`));
      const b = await api.admin.agents.create(agentInput(`user/${unique("b")}`));
      const c = await api.admin.agents.create(agentInput(`user/${unique("c")}`));
      const group = await api.admin.groups.create({
        name: unique("Group "),
        agentIds: [a.id, b.id],
      });
      expect(group.members.map((m) => m.id)).toEqual([a.id, b.id]);
      const reordered = await api.admin.groups.update({
        id: group.id,
        expectedRevision: group.revision,
        agentIds: [c.id, b.id, a.id],
      });
      expect(reordered.members.map((m) => m.id)).toEqual([c.id, b.id, a.id]);
      const stale = await refusal(
        api.admin.groups.update({
          id: group.id,
          expectedRevision: group.revision,
          agentIds: [a.id],
        }),
      );
      expect(stale.data.domainCode).toBe("CONFLICT");
      expect((await api.admin.groups.get({ id: group.id }))?.members.map((m) => m.id)).toEqual([
        c.id,
        b.id,
        a.id,
      ]);
      const twice = await refusal(
        api.admin.groups.update({
          id: group.id,
          expectedRevision: reordered.revision,
          agentIds: [a.id, a.id],
        }),
      );
      expect(twice.code).toBe("BAD_REQUEST");
    });
  });

  describe("flows, numbers and refused deletes", () => {
    it("refuses to delete what a live flow uses, saying what uses it, and deletes nothing", async () => {
      const queueId = unique("live");
      await api.admin.queues.create(queueInput(queueId));
      const group = await api.admin.groups.create({ name: unique("Live group "), agentIds: [] });
      const { id: flowId } = await api.admin.flows.create({
        name: unique("Main line "),
        description: "",
      });
      await api.services.db.flows.saveDraft({
        id: flowId,
        draftGraph: queueFlow({ queueId, agentGroupId: group.id }),
      });
      const version = await api.admin.versions.publish({ flowId, comment: "first" });
      expect(version).toMatchObject({ version: 1, publishedBy: ADMIN.email, comment: "first" });

      const queueRefusal = await refusal(api.admin.queues.delete({ id: queueId }));
      expect(queueRefusal).toMatchObject({
        code: "PRECONDITION_FAILED",
        data: { domainCode: "IN_USE" },
      });
      expect(queueRefusal.data.usedBy).toEqual([
        expect.objectContaining({ kind: "flow", id: flowId }),
      ]);
      expect(await api.admin.queues.get({ id: queueId })).not.toBeNull();

      const groupRefusal = await refusal(api.admin.groups.delete({ id: group.id }));
      expect(groupRefusal.data.domainCode).toBe("IN_USE");
      expect(await api.admin.groups.get({ id: group.id })).not.toBeNull();

      const number = `8${String(serial).padStart(3, "0")}${Date.now() % 1000}`;
      await api.admin.routes.create({ number, flowId });
      const flowRefusal = await refusal(api.admin.flows.delete({ id: flowId }));
      expect(flowRefusal.data.domainCode).toBe("IN_USE");
      expect(flowRefusal.data.usedBy).toEqual([
        expect.objectContaining({ kind: "number", name: number }),
      ]);
      expect((await api.admin.flows.get({ id: flowId }))?.numbers).toEqual([number]);

      const detail = await api.admin.flows.get({ id: flowId });
      expect(detail?.live).toMatchObject({
        version: 1,
        queues: [{ id: queueId, name: `Queue ${queueId}` }],
        agentGroups: [{ id: group.id, name: group.name }],
      });
    });

    it("refuses to publish a flow with errors, placing each on its node, and publishes nothing", async () => {
      const { id: flowId } = await api.admin.flows.create({
        name: unique("Broken "),
        description: "",
      });
      const broken = queueFlow({ queueId: "", agentGroupId: "g" });
      await api.services.db.flows.saveDraft({ id: flowId, draftGraph: broken });
      const refused = await refusal(api.admin.versions.publish({ flowId, comment: "try" }));
      expect(refused).toMatchObject({
        code: "BAD_REQUEST",
        data: { domainCode: "FLOW_NOT_PUBLISHABLE" },
      });
      expect(refused.data.problems).toContainEqual(
        expect.objectContaining({ severity: "error", nodeId: "queue" }),
      );
      expect((await api.admin.versions.list({ flowId })).items).toEqual([]);
    });

    it("creates, renames with a revision, duplicates and deletes flows", async () => {
      const { id } = await api.admin.flows.create({ name: unique("Flow "), description: "d" });
      const listed = (await api.admin.flows.list()).find((f) => f.id === id);
      expect(listed).toMatchObject({ liveVersion: null, numbers: [], revision: 0 });
      await api.admin.flows.rename({ id, name: "Renamed", description: "", expectedRevision: 0 });
      const stale = await refusal(
        api.admin.flows.rename({ id, name: "Again", description: "", expectedRevision: 0 }),
      );
      expect(stale.data.domainCode).toBe("CONFLICT");
      const copy = await api.admin.flows.duplicate({ id, name: "Copy" });
      expect((await api.admin.flows.get({ id: copy.id }))?.name).toBe("Copy");
      await api.admin.flows.delete({ id: copy.id });
      expect(await api.admin.flows.get({ id: copy.id })).toBeNull();
    });

    it("routes a number, moves it to another flow with a revision, and removes it", async () => {
      const one = await api.admin.flows.create({ name: unique("One "), description: "" });
      const two = await api.admin.flows.create({ name: unique("Two "), description: "" });
      const number = `+4420${Date.now() % 100_000_000}`;
      await api.admin.routes.create({ number, flowId: one.id });
      const taken = await refusal(api.admin.routes.create({ number, flowId: two.id }));
      expect(Object.keys(taken.data.fieldErrors ?? {})).toEqual(["number"]);
      const route = (await api.admin.routes.list()).find((r) => r.number === number);
      expect(route).toMatchObject({ flowId: one.id });
      await api.admin.routes.update({
        number,
        flowId: two.id,
        expectedRevision: route?.revision ?? -1,
      });
      expect((await api.admin.routes.list()).find((r) => r.number === number)?.flowName).toMatch(
        /^Two /,
      );
      await api.admin.routes.delete({ number });
      expect((await api.admin.routes.list()).some((r) => r.number === number)).toBe(false);
      expect(
        (await refusal(api.admin.routes.create({ number: "12 34", flowId: one.id }))).code,
      ).toBe("BAD_REQUEST");
    });
  });

  describe("call history", () => {
    it("filters and pages calls newest first, and shows a call's trace", async () => {
      const base = Date.UTC(2026, 0, 10, 9, 0, 0);
      const queueId = unique("hist");
      const records = Array.from({ length: 7 }, (_, i) =>
        wholeCallRecord({
          callUuid: `${queueId}-${i}`,
          numberDialled: "7000",
          callerNumber: `+44555${i}`,
          queueId,
          startedAt: new Date(base + i * 60_000),
          endedAt: new Date(base + i * 60_000 + 30_000),
          outcome: i % 2 === 0 ? "answered" : "abandoned",
          agentContact: i % 2 === 0 ? "user/1001" : null,
          waitMs: 20_000 + i * 1_000,
          estimatedWaitMs: i === 0 ? 25_000 : null,
          workerId: "w1",
        }),
      );
      await api.services.db.calls.saveBatch({
        records,
        traces: [
          {
            callUuid: `${queueId}-0`,
            steps: [
              { at: new Date(base), kind: "enter", nodeId: "start", data: { nodeType: "start" } },
            ],
          },
        ],
      });
      const first = await supervisor.caller.calls.list({ filters: { queueId }, limit: 3 });
      expect(first.items.map((c) => c.callUuid)).toEqual([
        `${queueId}-6`,
        `${queueId}-5`,
        `${queueId}-4`,
      ]);
      const second = await supervisor.caller.calls.list({
        filters: { queueId },
        limit: 3,
        cursor: first.nextCursor ?? undefined,
      });
      expect(second.items.map((c) => c.callUuid)).toEqual([
        `${queueId}-3`,
        `${queueId}-2`,
        `${queueId}-1`,
      ]);
      const answered = await supervisor.caller.calls.list({
        filters: { queueId, outcome: "answered" },
      });
      expect(answered.items).toHaveLength(4);
      const byNumber = await supervisor.caller.calls.list({ filters: { queueId, number: "5553" } });
      expect(byNumber.items.map((c) => c.callUuid)).toEqual([`${queueId}-3`]);
      const window = await supervisor.caller.calls.list({
        filters: { queueId, since: new Date(base + 60_000), until: new Date(base + 3 * 60_000) },
      });
      expect(window.items.map((c) => c.callUuid)).toEqual([`${queueId}-2`, `${queueId}-1`]);
      const backwards = await refusal(
        supervisor.caller.calls.list({
          filters: { since: new Date(base + 1), until: new Date(base) },
        }),
      );
      expect(Object.keys(backwards.data.fieldErrors ?? {})).toEqual(["filters.until"]);
      const detail = await supervisor.caller.calls.get({ callUuid: `${queueId}-0` });
      expect(detail?.record).toMatchObject({
        outcome: "answered",
        waitMs: 20_000,
        // What the caller was told to expect on joining, beside what they waited.
        estimatedWaitMs: 25_000,
      });
      expect(detail?.steps).toEqual([expect.objectContaining({ kind: "enter", nodeId: "start" })]);
      expect((await supervisor.caller.calls.filterOptions()).queueIds).toContain(queueId);
    });
  });

  describe("users", () => {
    it("changes roles, resets passwords and deactivates: a deactivated user is signed out and cannot sign in", async () => {
      const user = await api.addUser("supervisor");
      await api.admin.users.setRole({ id: user.id, role: "admin" });
      expect((await api.admin.users.list()).find((u) => u.id === user.id)?.role).toBe("admin");
      await api.admin.users.setPassword({ id: user.id, password: "a brand new password" });
      await expect(api.signIn(user.email, "a long enough password")).rejects.toThrow(/sign-in/);
      const again = await api.signIn(user.email, "a brand new password");
      expect((await again.session.state()).user?.email).toBe(user.email);

      await api.admin.users.setActive({ id: user.id, active: false });
      expect(await api.services.auth.api.getSession({ headers: again.headers })).toBeNull();
      expect((await api.admin.users.list()).find((u) => u.id === user.id)?.active).toBe(false);
      await expect(api.signIn(user.email, "a brand new password")).rejects.toThrow(/sign-in/);
      await api.admin.users.setActive({ id: user.id, active: true });
      await expect(api.signIn(user.email, "a brand new password")).resolves.toBeDefined();
    });

    it("refuses to let an admin demote or deactivate themselves", async () => {
      const me = (await api.admin.session.state()).user;
      expect(
        (await refusal(api.admin.users.setRole({ id: me?.id ?? "", role: "supervisor" }))).code,
      ).toBe("BAD_REQUEST");
      expect(
        (await refusal(api.admin.users.setActive({ id: me?.id ?? "", active: false }))).code,
      ).toBe("BAD_REQUEST");
    });

    it("refuses a taken e-mail on its field", async () => {
      const refused = await refusal(
        api.admin.users.create({
          email: ADMIN.email,
          name: "Copy",
          role: "supervisor",
          password: "0123456789abcdef",
        }),
      );
      expect(refused.code).toBe("CONFLICT");
      expect(refused.data.fieldErrors).toEqual({ email: ["Someone has this e-mail already"] });
    });
  });
}

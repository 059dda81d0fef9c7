import { InMemoryLiveFeed, type LiveAgent, type LiveCommand } from "@ringflow/core/live";
import type { DatabaseProvider } from "@ringflow/db";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { BoardMessage } from "@/server/live/board-stream";
import { createLiveServices } from "@/server/live/live-services";
import { type ApiHarness, type Caller, openApiHarness, refusal } from "./api-harness";

let serial = 0;
const unique = (prefix: string) => `${prefix}${++serial}${Date.now().toString(36)}`;

/** An agent's live state as the registry would publish it. */
const liveAgent = (id: string, contact: string, patch: Partial<LiveAgent> = {}): LiveAgent => ({
  id,
  contact,
  groups: [],
  wrapUpMs: 0,
  maxNoAnswer: 3,
  status: "available",
  statusSince: Date.now() - 60_000,
  state: "idle",
  stateSince: Date.now() - 60_000,
  wrapUpUntil: null,
  noAnswerCount: 0,
  at: Date.now(),
  ...patch,
});

/**
 * The agent page's API: a user with the `agent` role, linked by an admin
 * to one agent, reads and changes that agent's status and nothing else;
 * staff procedures refuse them, and the agent procedures refuse staff.
 */
export function describeAgentPageApi(provider: DatabaseProvider): void {
  let api: ApiHarness;
  let supervisor: Caller;
  const feed = new InMemoryLiveFeed();
  const sent: LiveCommand[] = [];
  const live = createLiveServices({
    feed: async () => feed,
    commands: async () => ({
      async send(command) {
        sent.push(command);
      },
      async close() {},
    }),
  });

  /** A new agent, and a user with the agent role linked to it by the admin. */
  async function linkedAgent(status: "available" | "onBreak" | "loggedOut" = "available") {
    const agent = await api.admin.agents.create({
      name: unique("Agent "),
      contact: `user/${unique("")}`,
      status,
      wrapUpSeconds: 0,
      maxNoAnswer: 3,
    });
    const user = await api.addUser("agent");
    await api.admin.users.linkAgent({ userId: user.id, agentId: agent.id });
    return { agent, user };
  }

  beforeAll(async () => {
    api = await openApiHarness(provider, { live });
    supervisor = (await api.addUser("supervisor")).caller;
  }, 60_000);
  afterAll(async () => {
    await api?.close();
  });

  it("shows an agent their own agent: configured status and live state from the registry", async () => {
    const { agent, user } = await linkedAgent();
    expect((await api.admin.users.list()).find((u) => u.id === user.id)).toMatchObject({
      role: "agent",
      agentId: agent.id,
    });
    expect((await api.admin.agents.list()).find((a) => a.id === agent.id)?.userId).toBe(user.id);

    // Not known to the workers yet.
    expect(await user.caller.myAgent.state()).toEqual({
      agent: { id: agent.id, name: agent.name, contact: agent.contact, status: "available" },
      live: null,
      liveReadable: true,
    });
    const state = liveAgent(agent.id, agent.contact, { state: "inCall" });
    feed.publish({ type: "agent", agent: state });
    expect((await user.caller.myAgent.state()).live).toEqual(state);
  });

  it("pushes an agent their own live state and nobody else's", async () => {
    const { agent, user } = await linkedAgent();
    const other = await linkedAgent();
    feed.publish({ type: "agent", agent: liveAgent(agent.id, agent.contact) });
    feed.publish({ type: "agent", agent: liveAgent(other.agent.id, other.agent.contact) });
    feed.publish({
      type: "queue",
      queue: {
        queueId: "q",
        name: null,
        paused: false,
        maxConcurrent: 1,
        inSlot: 0,
        waiting: [],
        at: Date.now(),
      },
    });

    const stream = (await user.caller.myAgent.live())[Symbol.asyncIterator]();
    const first = (await stream.next()).value as BoardMessage;
    expect(first.type === "snapshot" && first.snapshot).toMatchObject({
      queues: [],
      agents: [expect.objectContaining({ id: agent.id })],
    });
    if (first.type === "snapshot") expect(first.snapshot.agents).toHaveLength(1);

    const next = stream.next();
    feed.publish({
      type: "agent",
      agent: liveAgent(other.agent.id, other.agent.contact, {
        state: "ringing",
        at: Date.now() + 1,
      }),
    });
    feed.publish({
      type: "agent",
      agent: liveAgent(agent.id, agent.contact, { status: "onBreak", at: Date.now() + 1 }),
    });
    const message = (await next).value as BoardMessage;
    expect(message.type).toBe("events");
    const events = message.type === "events" ? message.events : [];
    expect(events.length).toBeGreaterThan(0);
    for (const event of events) {
      expect(event).toMatchObject({ type: "agent", agent: { id: agent.id } });
    }
    await stream.return?.();

    const lonely = await api.addUser("agent");
    expect(await refusal(lonely.caller.myAgent.live())).toMatchObject({
      code: "PRECONDITION_FAILED",
      data: { domainCode: "AGENT_NOT_LINKED" },
    });
    expect((await refusal(supervisor.myAgent.live())).code).toBe("FORBIDDEN");
  });

  it("lets an agent take and end a break, log out and in: stored, then sent to the workers", async () => {
    const { agent, user } = await linkedAgent();
    const status = async () => (await api.services.db.agents.get(agent.id))?.status;

    expect(await user.caller.myAgent.act({ action: "startBreak" })).toEqual({
      status: "onBreak",
      delivered: true,
    });
    expect(await status()).toBe("onBreak");
    expect(sent.at(-1)).toEqual({ type: "setAgentStatus", agentId: agent.id, status: "onBreak" });
    // A second click changes nothing (it does not toggle the break off).
    expect((await user.caller.myAgent.act({ action: "startBreak" })).status).toBe("onBreak");
    expect(await status()).toBe("onBreak");

    expect((await user.caller.myAgent.act({ action: "endBreak" })).status).toBe("available");
    expect((await user.caller.myAgent.act({ action: "logOut" })).status).toBe("loggedOut");
    expect(await status()).toBe("loggedOut");
    expect((await user.caller.myAgent.act({ action: "logIn" })).status).toBe("available");
    expect(sent.at(-1)).toEqual({ type: "setAgentStatus", agentId: agent.id, status: "available" });
  });

  it("refuses a break while logged out, as *51 does, and changes nothing", async () => {
    const { agent, user } = await linkedAgent("loggedOut");
    const before = sent.length;
    const refused = await refusal(user.caller.myAgent.act({ action: "startBreak" }));
    expect(refused).toMatchObject({
      code: "PRECONDITION_FAILED",
      data: { domainCode: "AGENT_ACTION_REFUSED" },
    });
    expect(refused.message).toMatch(/log in/);
    expect((await api.services.db.agents.get(agent.id))?.status).toBe("loggedOut");
    expect(sent.length).toBe(before);
  });

  it("lets an agent change only their own status", async () => {
    const { user } = await linkedAgent();
    const other = await linkedAgent();
    // myAgent takes no agent id: one smuggled in is ignored, the caller's own agent changes.
    await user.caller.myAgent.act({
      action: "startBreak",
      ...{ agentId: other.agent.id },
    } as { action: "startBreak" });
    expect((await api.services.db.agents.get(other.agent.id))?.status).toBe("available");

    // The supervisors' path refuses agents, for another agent and for themselves.
    for (const agentId of [other.agent.id, (await linkedAgent()).agent.id]) {
      const refused = await refusal(
        user.caller.wallboard.setAgentStatus({ agentId, status: "loggedOut" }),
      );
      expect(refused.code).toBe("FORBIDDEN");
    }
    expect((await api.services.db.agents.get(other.agent.id))?.status).toBe("available");
  });

  it("keeps an agent to their own page: staff reads and controls are refused", async () => {
    const { user } = await linkedAgent();
    const forbidden: Record<string, () => Promise<unknown>> = {
      figures: () => user.caller.wallboard.figures({}),
      roster: () => user.caller.wallboard.roster({}),
      live: () => user.caller.wallboard.live({}),
      pause: () => user.caller.wallboard.setQueuePaused({ queueId: "support", paused: true }),
      queues: () => user.caller.queues.list(),
      counts: () => user.caller.queues.counts({}),
      agents: () => user.caller.agents.list(),
      calls: () => user.caller.calls.list({}),
      flows: () => user.caller.flows.list(),
      users: () => user.caller.users.list(),
      link: () => user.caller.users.linkAgent({ userId: user.id, agentId: null }),
    };
    for (const [name, call] of Object.entries(forbidden)) {
      expect([name, (await refusal(call())).code]).toEqual([name, "FORBIDDEN"]);
    }
    // Their own session still works.
    expect((await user.caller.session.state()).user).toMatchObject({ role: "agent" });
  });

  it("refuses the agent procedures to supervisors and admins, who keep the wall-board's path", async () => {
    const { agent } = await linkedAgent();
    for (const caller of [supervisor, api.admin]) {
      expect((await refusal(caller.myAgent.state())).code).toBe("FORBIDDEN");
      expect((await refusal(caller.myAgent.act({ action: "logOut" }))).code).toBe("FORBIDDEN");
    }
    expect((await api.services.db.agents.get(agent.id))?.status).toBe("available");
    // What a supervisor could already do, they still can.
    await supervisor.wallboard.setAgentStatus({ agentId: agent.id, status: "onBreak" });
    expect((await api.services.db.agents.get(agent.id))?.status).toBe("onBreak");
  });

  it("tells an agent user nobody linked yet so, and links only users with the agent role", async () => {
    const lonely = await api.addUser("agent");
    expect(await lonely.caller.myAgent.state()).toEqual({
      agent: null,
      live: null,
      liveReadable: true,
    });
    expect(await refusal(lonely.caller.myAgent.act({ action: "logIn" }))).toMatchObject({
      code: "PRECONDITION_FAILED",
      data: { domainCode: "AGENT_NOT_LINKED" },
    });

    const { agent, user } = await linkedAgent();
    const staff = await api.addUser("supervisor");
    const notAgent = await refusal(
      api.admin.users.linkAgent({ userId: staff.id, agentId: agent.id }),
    );
    expect(notAgent.code).toBe("BAD_REQUEST");
    expect(notAgent.data.fieldErrors?.agentId?.[0]).toMatch(/agent role/);
    expect(
      (await refusal(supervisor.users.linkAgent({ userId: lonely.id, agentId: agent.id }))).code,
    ).toBe("FORBIDDEN");
    expect(
      (await refusal(api.admin.users.linkAgent({ userId: lonely.id, agentId: "no-such-agent" })))
        .code,
    ).toBe("NOT_FOUND");

    // An agent has one user: linking another takes it from the first.
    await api.admin.users.linkAgent({ userId: lonely.id, agentId: agent.id });
    expect((await user.caller.myAgent.state()).agent).toBeNull();
    expect((await lonely.caller.myAgent.state()).agent?.id).toBe(agent.id);

    // Made a supervisor, a user is unlinked; unlinking by hand works too.
    await api.admin.users.setRole({ id: lonely.id, role: "supervisor" });
    expect((await api.services.db.agents.get(agent.id))?.userId).toBeNull();
    await api.admin.users.linkAgent({ userId: user.id, agentId: agent.id });
    await api.admin.users.linkAgent({ userId: user.id, agentId: null });
    expect((await user.caller.myAgent.state()).agent).toBeNull();
  });
}

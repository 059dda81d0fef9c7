import { afterEach, describe, expect, it, vi } from "vitest";
import { redisUrl, useRedis } from "../../test/redis.js";
import { ManualClock } from "../testing/manual-clock.js";
import type { AgentEvent, AgentRegistry } from "./agent.js";
import { AgentContactTakenError, UnknownAgentError } from "./errors.js";
import { InMemoryAgentRegistry } from "./in-memory-agent-registry.js";
import { RedisAgentRegistry } from "./redis-agent-registry.js";

interface Backend {
  readonly name: string;
  create(clock: ManualClock): AgentRegistry;
}

const redis = useRedis();

const backends: Backend[] = [
  { name: "InMemoryAgentRegistry", create: (clock) => new InMemoryAgentRegistry({ clock }) },
  {
    name: "RedisAgentRegistry",
    create: (clock) => {
      const keyPrefix = redis.prefix("agents");
      // Leases far longer than any test's clock moves: lease expiry has its own tests.
      return new RedisAgentRegistry({ url: redisUrl, keyPrefix, clock, leaseMs: 3_600_000 });
    },
  },
];

describe.each(backends)("$name", (backend) => {
  let clock: ManualClock;
  let agents: AgentRegistry;
  let events: AgentEvent[];

  const setUp = async () => {
    clock = new ManualClock();
    agents = backend.create(clock);
    events = [];
    await agents.subscribe((event) => events.push(event));
  };
  /** Events arrive synchronously in memory and through pub/sub from Redis. */
  const eventually = (assertion: () => void) => vi.waitFor(assertion, { timeout: 2000 });
  const stateOf = async (id: string) => (await agents.get(id))?.state;

  afterEach(async () => {
    await agents.close();
  });

  it("adds agents Logged out and Idle, updates settings without touching status, and lists by group", async () => {
    await setUp();
    await agents.upsert({ id: "b", contact: "user/1002", groups: ["sales"] });
    await agents.upsert({
      id: "a",
      contact: "user/1001",
      groups: ["support", "sales"],
      wrapUpMs: 5000,
    });
    expect(await agents.get("a")).toEqual({
      id: "a",
      contact: "user/1001",
      groups: ["support", "sales"],
      wrapUpMs: 5000,
      maxNoAnswer: 0,
      status: "loggedOut",
      statusSince: clock.now(),
      state: "idle",
      stateSince: clock.now(),
      wrapUpUntil: null,
      noAnswerCount: 0,
    });
    await agents.setStatus("a", "available");
    await agents.upsert({ id: "a", contact: "user/1011", groups: ["support"], maxNoAnswer: 3 });
    const a = await agents.get("a");
    expect(a).toMatchObject({
      contact: "user/1011",
      status: "available",
      maxNoAnswer: 3,
      wrapUpMs: 0,
    });
    expect((await agents.list()).map((x) => x.id)).toEqual(["a", "b"]);
    expect((await agents.list({ group: "sales" })).map((x) => x.id)).toEqual(["b"]);
    expect((await agents.list({ group: "support" })).map((x) => x.id)).toEqual(["a"]);
    // The old contact is free again; the new one is taken.
    await agents.upsert({ id: "c", contact: "user/1001" });
    await expect(agents.upsert({ id: "d", contact: "user/1011" })).rejects.toBeInstanceOf(
      AgentContactTakenError,
    );
    expect(await agents.get("nobody")).toBeNull();
  });

  it("publishes status changes with a growing version and rejects unknown agents", async () => {
    await setUp();
    await agents.upsert({ id: "a", contact: "user/1001" });
    await agents.setStatus("a", "available");
    await clock.advance(1000);
    await agents.setStatus("a", "onBreak");
    await agents.setStatus("a", "onBreak");
    await eventually(() =>
      expect(events).toEqual([
        {
          type: "statusChanged",
          agentId: "a",
          status: "available",
          previous: "loggedOut",
          reason: "manual",
          at: clock.now() - 1000,
          version: 1,
        },
        {
          type: "statusChanged",
          agentId: "a",
          status: "onBreak",
          previous: "available",
          reason: "manual",
          at: clock.now(),
          version: 2,
        },
      ]),
    );
    await expect(agents.setStatus("ghost", "available")).rejects.toBeInstanceOf(UnknownAgentError);
  });

  it("claims only Available, Idle agents, once", async () => {
    await setUp();
    await agents.upsert({ id: "a", contact: "user/1001" });
    expect(await agents.claim({ contact: "user/9999", uuid: "u0" })).toEqual({
      claimed: false,
      agentId: null,
      reason: "notAnAgent",
    });
    expect(await agents.claim({ contact: "user/1001", uuid: "u1" })).toEqual({
      claimed: false,
      agentId: "a",
      reason: "notAvailable",
      status: "loggedOut",
      state: "idle",
    });
    await agents.setStatus("a", "available");
    expect(await agents.claim({ contact: "user/1001", uuid: "u2" })).toEqual({
      claimed: true,
      agentId: "a",
    });
    expect(await stateOf("a")).toBe("ringing");
    expect(await agents.claim({ contact: "user/1001", uuid: "u3" })).toEqual({
      claimed: false,
      agentId: "a",
      reason: "busy",
      status: "available",
      state: "ringing",
    });
    await agents.finishRinging({ agentId: "a", uuid: "u2", result: "released" });
    expect(await stateOf("a")).toBe("idle");
    await eventually(() =>
      expect(events.filter((e) => e.type === "stateChanged")).toMatchObject([
        { state: "ringing", previous: "idle" },
        { state: "idle", previous: "ringing" },
      ]),
    );
  });

  it("puts an agent in a call on answer, then in wrap-up for wrapUpMs, then idle", async () => {
    await setUp();
    await agents.upsert({ id: "a", contact: "user/1001", wrapUpMs: 10_000 });
    await agents.setStatus("a", "available");
    await agents.claim({ contact: "user/1001", uuid: "leg" });
    await agents.finishRinging({ agentId: "a", uuid: "leg", result: "answered" });
    expect(await stateOf("a")).toBe("inCall");
    await clock.advance(60_000);
    await agents.endCall({ agentId: "a", uuid: "leg" });
    const endedAt = clock.now();
    expect(await agents.get("a")).toMatchObject({ state: "wrapUp", wrapUpUntil: endedAt + 10_000 });
    expect((await agents.claim({ contact: "user/1001", uuid: "next" })).claimed).toBe(false);
    await clock.advance(9_999);
    expect(await stateOf("a")).toBe("wrapUp");
    await clock.advance(1);
    expect(await agents.get("a")).toMatchObject({ state: "idle", stateSince: endedAt + 10_000 });
    await eventually(() =>
      expect(events.filter((e) => e.type === "stateChanged")).toMatchObject([
        { state: "ringing" },
        { state: "inCall" },
        { state: "wrapUp", at: endedAt },
        { state: "idle", previous: "wrapUp", at: endedAt + 10_000 },
      ]),
    );
    // Ending the same call again (the worker's hangup event after the ring group's) changes nothing.
    await agents.endCall({ agentId: "a", uuid: "leg" });
    expect(await stateOf("a")).toBe("idle");
  });

  it("puts an agent On break after maxNoAnswer missed offers in a row, with an event", async () => {
    await setUp();
    await agents.upsert({ id: "a", contact: "user/1001", maxNoAnswer: 2 });
    await agents.setStatus("a", "available");
    const offer = async (uuid: string, result: "answered" | "missed" | "released") => {
      await agents.claim({ contact: "user/1001", uuid });
      await agents.finishRinging({ agentId: "a", uuid, result });
    };
    await offer("1", "missed");
    await offer("2", "released"); // busy phone, lost race, caller gone: not the agent's fault
    expect(await agents.get("a")).toMatchObject({ status: "available", noAnswerCount: 1 });
    await offer("3", "answered");
    await agents.endCall({ agentId: "a", uuid: "3" });
    expect((await agents.get("a"))?.noAnswerCount).toBe(0);
    await offer("4", "missed");
    await offer("5", "missed");
    expect(await agents.get("a")).toMatchObject({
      status: "onBreak",
      noAnswerCount: 2,
      state: "idle",
    });
    await eventually(() =>
      expect(events.at(-1)).toMatchObject({
        type: "statusChanged",
        agentId: "a",
        status: "onBreak",
        previous: "available",
        reason: "maxNoAnswer",
      }),
    );
    expect((await agents.claim({ contact: "user/1001", uuid: "6" })).claimed).toBe(false);
    await agents.setStatus("a", "available");
    expect((await agents.get("a"))?.noAnswerCount).toBe(0);
  });

  it("learns calls that did not come through a ring group from channel observations", async () => {
    await setUp();
    await agents.upsert({ id: "a", contact: "user/1001", wrapUpMs: 5000 });
    await agents.setStatus("a", "available");
    expect(await agents.observeChannel({ contact: "user/7777", uuid: "x", up: true })).toBe(false);
    expect(await agents.observeChannel({ contact: "user/1001", uuid: "direct", up: true })).toBe(
      true,
    );
    expect(await stateOf("a")).toBe("inCall");
    expect(await agents.claim({ contact: "user/1001", uuid: "offer" })).toMatchObject({
      claimed: false,
      reason: "busy",
      state: "inCall",
    });
    await agents.observeChannel({ agentId: "a", uuid: "direct", up: false });
    // A personal call carries no wrap-up.
    expect(await stateOf("a")).toBe("idle");
  });

  it("does not count a ring group's own leg twice when the worker also reports it", async () => {
    await setUp();
    await agents.upsert({ id: "a", contact: "user/1001", wrapUpMs: 5000 });
    await agents.setStatus("a", "available");
    await agents.claim({ contact: "user/1001", uuid: "leg" });
    await agents.observeChannel({ contact: "user/1001", uuid: "leg", up: true });
    expect(await stateOf("a")).toBe("ringing");
    await agents.finishRinging({ agentId: "a", uuid: "leg", result: "answered" });
    await agents.observeChannel({ contact: "user/1001", uuid: "leg", up: true });
    // The worker's hangup event arrives first: wrap-up starts, and the ring group's endCall is a no-op.
    await agents.observeChannel({ contact: "user/1001", uuid: "leg", up: false });
    expect(await stateOf("a")).toBe("wrapUp");
    await agents.endCall({ agentId: "a", uuid: "leg" });
    await clock.advance(5000);
    expect(await stateOf("a")).toBe("idle");
  });

  it("forgets a removed agent and frees its contact", async () => {
    await setUp();
    await agents.upsert({ id: "a", contact: "user/1001" });
    await agents.remove("a");
    expect(await agents.get("a")).toBeNull();
    expect(await agents.list()).toEqual([]);
    expect(await agents.claim({ contact: "user/1001", uuid: "u" })).toMatchObject({
      claimed: false,
      reason: "notAnAgent",
    });
    await agents.upsert({ id: "b", contact: "user/1001" });
    await agents.finishRinging({ agentId: "a", uuid: "u", result: "missed" });
    expect(await agents.get("a")).toBeNull();
  });
});

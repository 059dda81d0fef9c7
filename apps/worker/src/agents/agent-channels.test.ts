import { InMemoryAgentRegistry } from "@ringflow/core/agents";
import { connect, type EslConnection } from "@ringflow/esl";
import type { FsSim } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import { eventually, startSim } from "../../test/rig.js";
import { createLogger } from "../logger.js";
import { AgentChannels } from "./agent-channels.js";

/** Originates a leg to `user/<user>` that answers and stays parked; resolves with its uuid. */
async function parkedLeg(sim: FsSim, connection: EslConnection, user: string): Promise<string> {
  const uuid = globalThis.crypto.randomUUID();
  await connection.api(`originate {origination_uuid=${uuid}}user/${user} &park()`);
  await sim.waitForChannel((c) => c.uuid === uuid && c.answerState === "answered", {
    timeoutMs: 5_000,
  });
  return uuid;
}

describe("AgentChannels", () => {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setUp() {
    const sim = await startSim(1);
    cleanups.push(() => sim.stop());
    for (const id of ["1001", "1002"]) sim.users.set(id, { behaviour: { answerAfterMs: 50 } });
    const open = () => connect({ port: sim.port, password: "ClueCon" });
    const [control, commands, other] = await Promise.all([open(), open(), open()]);
    cleanups.push(() => Promise.all([control, commands, other].map((c) => c.disconnect())));
    const registry = new InMemoryAgentRegistry();
    cleanups.push(() => registry.close());
    for (const [id, contact] of [
      ["alice", "user/1001"],
      ["bob", "user/1002"],
    ] as const) {
      await registry.upsert({ id, contact });
      await registry.setStatus(id, "available");
    }
    const channels = new AgentChannels({
      connection: control,
      commands: () => commands,
      registry,
      log: createLogger({ level: "silent", workerId: "agent-channels-test" }),
    });
    cleanups.push(() => channels.stop());
    const stateOf = async (id: string) => (await registry.get(id))?.state;
    return { sim, other, registry, channels, stateOf };
  }

  it("finds agents already talking on the switch busy at start, and idle once they hang up", async () => {
    const { sim, other, channels, stateOf } = await setUp();
    // Left by a worker that is gone: nobody's ring group reports it.
    const left = await parkedLeg(sim, other, "1001");
    await channels.start();
    expect(await stateOf("alice")).toBe("inCall");
    expect(await stateOf("bob")).toBe("idle");

    sim.hangup(left, "NORMAL_CLEARING");
    await eventually(async () => (await stateOf("alice")) === "idle", {
      what: "Alice idle after her call",
    });
  });

  it("follows legs created and hung up after start", async () => {
    const { sim, other, channels, stateOf } = await setUp();
    await channels.start();
    const leg = await parkedLeg(sim, other, "1002");
    await eventually(async () => (await stateOf("bob")) === "inCall", { what: "Bob in a call" });
    expect(await stateOf("alice")).toBe("idle");
    sim.hangup(leg, "NORMAL_CLEARING");
    await eventually(async () => (await stateOf("bob")) === "idle", { what: "Bob idle again" });
  });

  it("leaves a ring group's own leg to the ring group", async () => {
    const { sim, other, registry, channels, stateOf } = await setUp();
    await channels.start();
    const uuid = globalThis.crypto.randomUUID();
    expect(await registry.claim({ contact: "user/1001", uuid })).toMatchObject({ claimed: true });
    await other.api(`originate {origination_uuid=${uuid}}user/1001 &park()`);
    await sim.waitForChannel((c) => c.uuid === uuid && c.answerState === "answered");
    await registry.finishRinging({ agentId: "alice", uuid, result: "answered" });
    expect(await stateOf("alice")).toBe("inCall");
    // The ring group ends its call; the leg's hang-up seen later changes nothing.
    await registry.endCall({ agentId: "alice", uuid });
    expect(await stateOf("alice")).toBe("idle");
    sim.hangup(uuid, "NORMAL_CLEARING");
    await eventually(() => sim.channel(uuid) === undefined, { what: "the leg gone" });
    // A reconciliation finds nothing left, and nothing to report.
    await channels.reconcile();
    expect(await stateOf("alice")).toBe("idle");
  });
});

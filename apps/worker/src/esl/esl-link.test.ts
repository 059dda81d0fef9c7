import { randomUUID } from "node:crypto";
import { FreeswitchCallControl } from "@ringflow/esl";
import { FsSim } from "@ringflow/fs-sim";
import { afterEach, describe, expect, it } from "vitest";
import { createLogger } from "../logger.js";
import { EslLink } from "./esl-link.js";

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("EslLink", () => {
  it("opens a command connection beside the control connection, which hears no events and carries the kills", async () => {
    const sim = await FsSim.start({ port: 0 });
    cleanups.push(() => sim.stop());
    const log = createLogger({ level: "silent", workerId: "link-test" });
    const link = await EslLink.open({
      host: "127.0.0.1",
      port: sim.port,
      password: "ClueCon",
      log,
    });
    cleanups.push(() => link.close());
    const commands = link.commands;
    expect(commands?.state).toBe("connected");
    expect(link.commandConnection).toBe(commands);

    const onControl: string[] = [];
    const onCommands: string[] = [];
    link.connection.onEvent((event) => onControl.push(event.name));
    commands?.onEvent((event) => onCommands.push(event.name));
    const control = new FreeswitchCallControl(link.connection, {
      outboundLegEventsOnly: true,
      ...(commands ? { commands } : {}),
    });
    sim.users.set("1001", { behaviour: { answerAfterMs: 0, hangupAfterMs: 600_000 } });
    const leg = await control.originate({
      uuid: randomUUID(),
      destination: "user/1001",
      timeoutMs: 10_000,
    });
    expect(await leg.outcome).toEqual({ answered: true });
    await leg.hangup();
    expect(await leg.ended).toBe("NORMAL_CLEARING");
    expect(onControl).toContain("CHANNEL_HANGUP_COMPLETE");
    expect(onCommands).toEqual([]);
    await expect(commands?.bgapi("status")).rejects.toThrow(/events: false/);

    // Without it (lost, reconnecting), commands go on the control connection.
    await commands?.disconnect();
    expect(link.commandConnection).toBe(link.connection);
    expect(await link.commandConnection.api(`uuid_exists ${leg.uuid}`)).toBe("false");
  });
});

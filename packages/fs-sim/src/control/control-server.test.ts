import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsSim } from "../fs-sim.js";
import { PHONE_ANSWERS, phoneAnswerOf, SimControlClient } from "./control-client.js";
import { ControlServer } from "./control-server.js";

let sim: FsSim;
let control: ControlServer;
let base: string;

beforeAll(async () => {
  sim = await FsSim.start({ port: 0, timeScale: 20 });
  control = await ControlServer.start(sim);
  base = `http://127.0.0.1:${control.port}`;
  // A number that answers and waits for keys, so the call stays up.
  sim.dialplan.add("5000", [{ app: "answer" }, { app: "park" }]);
});
afterAll(async () => {
  await control.close();
  await sim.stop();
});

const call = (path: string, method: string, body?: unknown) =>
  fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("the simulator's control API", () => {
  it("places a call, presses keys on it, lists it and hangs it up", async () => {
    const placed = await call("/calls", "POST", { from: "+442079460001", to: "5000" });
    expect(placed.status).toBe(201);
    const { uuid } = (await placed.json()) as { uuid: string };
    await sim.waitForChannel((c) => c.uuid === uuid && c.answerState === "answered");

    const channels = (await (await call("/channels", "GET")).json()) as {
      uuid: string;
      callerIdNumber?: string;
    }[];
    expect(channels.find((c) => c.uuid === uuid)?.callerIdNumber).toBe("+442079460001");

    expect((await call(`/calls/${uuid}/dtmf`, "POST", { digits: "12#" })).status).toBe(200);
    expect((await call(`/calls/${uuid}/hangup`, "POST", { cause: "NORMAL_CLEARING" })).status).toBe(
      200,
    );
    await expect.poll(() => sim.channel(uuid)?.answerState ?? "gone").toMatch(/hangup|gone/);
  });

  it("scripts a phone: the next ring of user 1005 is busy", async () => {
    const response = await call("/users/1005", "PUT", { behaviour: { busyAfterMs: 100 } });
    expect(response.status).toBe(200);
    expect(sim.users.get("1005")?.behaviours).toEqual([{ busyAfterMs: 100 }]);
    const users = (await (await call("/users", "GET")).json()) as { id: string }[];
    expect(users.map((u) => u.id)).toContain("1005");
  });

  it("refuses bad input naming the field, unknown channels and routes", async () => {
    const bad = await call("/calls", "POST", { from: "not a number", to: "5000" });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^from:/);
    expect((await call("/calls", "POST", { from: "1", to: "2", extra: true })).status).toBe(400);
    expect((await call("/calls/nope/dtmf", "POST", { digits: "1" })).status).toBe(404);
    expect((await call("/elsewhere", "GET")).status).toBe(404);
    const notJson = await fetch(`${base}/calls`, { method: "POST", body: "{" });
    expect(notJson.status).toBe(400);
  });
});

describe("SimControlClient", () => {
  it("places a call with X- headers the channel carries as sip_h_ variables, and presses keys", async () => {
    const client = new SimControlClient(base);
    const uuid = await client.placeCall({
      from: "+442079460002",
      fromName: "Test call",
      to: "5000",
      headers: { "X-Ringflow-Draft": "flow-1" },
    });
    const channel = await sim.waitForChannel(
      (c) => c.uuid === uuid && c.answerState === "answered",
    );
    expect(channel.variables["sip_h_X-Ringflow-Draft"]).toBe("flow-1");
    const listed = (await client.channels()).find((c) => c.uuid === uuid);
    expect(listed?.variables["sip_h_X-Ringflow-Draft"]).toBe("flow-1");
    await client.pressKeys(uuid, "1");
    await client.hangUp(uuid);
    await expect.poll(() => sim.channel(uuid)?.answerState ?? "gone").toMatch(/hangup|gone/);
  });

  it("scripts phones by answer and reads the answer back", async () => {
    const client = new SimControlClient(base);
    expect(phoneAnswerOf(await client.setPhone("1006", "busy"))).toBe("busy");
    expect(sim.users.get("1006")?.behaviours).toEqual([PHONE_ANSWERS.busy]);
    expect(phoneAnswerOf(await client.setPhone("1006", "noAnswer"))).toBe("noAnswer");
    expect(phoneAnswerOf(await client.setPhone("1006", "answers"))).toBe("answers");
    const phone = (await client.phones()).find((p) => p.id === "1006");
    expect(phone && phoneAnswerOf(phone)).toBe("answers");
  });

  it("turns refusals and an unreachable API into SimControlError with the status", async () => {
    const client = new SimControlClient(base);
    await expect(client.pressKeys("nope", "1")).rejects.toMatchObject({ status: 404 });
    await expect(
      client.placeCall({ from: "1", to: "2", headers: { Bad: "x" } }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/headers/) });
    const nowhere = new SimControlClient("http://127.0.0.1:1", 1_000);
    await expect(nowhere.channels()).rejects.toMatchObject({ status: 0, name: "SimControlError" });
  });
});

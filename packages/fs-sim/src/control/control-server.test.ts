import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsSim } from "../fs-sim.js";
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

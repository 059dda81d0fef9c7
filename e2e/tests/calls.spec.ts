import type { Page } from "@playwright/test";
import { type RunningApp, startApp } from "../fixtures/app";
import { startTelephony, type Telephony } from "../fixtures/telephony";
import { ADMIN, expect, signIn, test } from "../fixtures/test";

/** v1's path: the caller waits for one of two agents and is bridged. */
const answering = {
  schemaVersion: 1,
  nodes: [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7000"] } },
    {
      id: "line",
      type: "queue",
      position: { x: 300, y: 0 },
      data: { label: "Sales line", queueId: "sales", maxConcurrent: 2, timeoutSeconds: 120 },
    },
    {
      id: "team",
      type: "ringGroup",
      position: { x: 600, y: 0 },
      data: {
        targets: { kind: "destinations", destinations: ["user/1001", "user/1002"] },
        mode: "parallel",
        legTimeoutSeconds: 15,
        totalTimeoutSeconds: 20,
      },
    },
    {
      id: "connect",
      type: "bridge",
      position: { x: 900, y: 0 },
      data: { to: { kind: "answeredLeg" } },
    },
    { id: "bye", type: "hangup", position: { x: 1200, y: 0 }, data: {} },
    { id: "sorry", type: "hangup", position: { x: 900, y: 200 }, data: { cause: "USER_BUSY" } },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "line" },
    { id: "e2", source: "line", sourceHandle: "acquired", target: "team" },
    { id: "e3", source: "line", sourceHandle: "timeout", target: "sorry" },
    { id: "e4", source: "team", sourceHandle: "answered", target: "connect" },
    { id: "e5", source: "team", sourceHandle: "noAnswer", target: "sorry" },
    { id: "e6", source: "connect", sourceHandle: "completed", target: "bye" },
    { id: "e7", source: "connect", sourceHandle: "failed", target: "sorry" },
  ],
};

/** v2's path: closed, every caller is turned away. */
const closed = {
  schemaVersion: 1,
  nodes: [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7000"] } },
    {
      id: "shut",
      type: "hangup",
      position: { x: 300, y: 0 },
      data: { label: "Closed", cause: "CALL_REJECTED" },
    },
  ],
  edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "shut" }],
};

let telephony: Telephony;
let app: RunningApp;
let flowId: string;

test.beforeAll(async () => {
  telephony = await startTelephony({});
  app = await startApp({
    admin: ADMIN,
    env: { RINGFLOW_SIM_CONTROL_URL: telephony.controlUrl },
    seed: async (db) => {
      flowId = (await db.flows.create({ name: "Sales line", draftGraph: answering })).id;
    },
  });
  await telephony.startWorker(app.databaseUrl);
});
test.afterAll(async () => {
  await app?.stop();
  await telephony?.stop();
});

async function publishInEditor(page: Page, comment: string) {
  await page.goto(`${app.baseURL}/flows/${flowId}/edit`);
  await page.getByTestId("publish-button").click();
  await page.getByRole("dialog").getByLabel("What changed, and why?").fill(comment);
  await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("dialog")).toBeHidden();
}

/** The finished record of `uuid` (polled: the worker writes in batches). */
async function finished(uuid: string) {
  await expect
    .poll(async () => (await app.db.calls.get(uuid))?.outcome ?? null, { timeout: 30_000 })
    .not.toBeNull();
  const record = await app.db.calls.get(uuid);
  if (!record) throw new Error(`no record of ${uuid}`);
  return record;
}

test("publish in the browser, serve ten callers, find them in call history; roll back while a call runs", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, app, ADMIN);
  // The number is routed in the Numbers page, the flow published from the editor.
  await page.goto(`${app.baseURL}/numbers`);
  await page.getByRole("button", { name: "Route a number" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Number", { exact: true }).fill("7000");
  await dialog.getByLabel("Flow").click();
  await page.getByRole("option", { name: "Sales line" }).click();
  await dialog.getByRole("button", { name: "Route number" }).click();
  await expect(page.getByRole("row", { name: /7000/ })).toBeVisible();
  await publishInEditor(page, "Open for business");

  // Ten callers; both agents answer after a second and talk for two.
  for (const id of ["1001", "1002"]) {
    telephony.sim.users.set(id, { behaviour: { answerAfterMs: 1_000, hangupAfterMs: 2_000 } });
  }
  const placed = Array.from({ length: 10 }, (_, i) =>
    telephony.sim.placeCall({ from: `+4420794601${String(i).padStart(2, "0")}`, to: "7000" }),
  );
  const records = [];
  for (const call of placed) records.push(await finished(call.uuid));
  expect(records.map((r) => [r.outcome, r.flowVersion, r.queueId])).toEqual(
    Array.from({ length: 10 }, () => ["answered", 1, "sales"]),
  );
  await page.goto(`${app.baseURL}/calls`);
  await expect(page.getByTestId("call-row")).toHaveCount(10);
  await expect(page.getByTestId("call-row").filter({ hasText: "Answered" })).toHaveCount(10);

  // A long call on v1 is talking when v2 (closed) goes live.
  telephony.sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 600_000 } });
  telephony.sim.users.set("1002", { behaviour: { busyAfterMs: 100 } });
  const talking = telephony.sim.placeCall({ from: "+442079460200", to: "7000" });
  await telephony.sim.waitForChannel((c) => c.uuid === talking.uuid && c.bridgedTo !== undefined, {
    timeoutMs: 15_000,
  });
  await app.db.flows.saveDraft({ id: flowId, draftGraph: closed }); // a colleague's edit
  await publishInEditor(page, "Closed for the holiday");
  const turnedAway = telephony.sim.placeCall({ from: "+442079460201", to: "7000" });
  expect(await finished(turnedAway.uuid)).toMatchObject({
    flowVersion: 2,
    hangupCause: "CALL_REJECTED",
  });

  // Roll back to v1 in the Versions panel: new callers follow v1's path again.
  await page.getByRole("tab", { name: "Versions" }).click();
  await page.getByRole("button", { name: "Roll back to version 1" }).click();
  await expect(page.getByTestId("version-3")).toContainText("Live");
  // 1001 is still on the long call: from now on it is busy, 1002 answers.
  telephony.sim.users.set("1001", { behaviour: { busyAfterMs: 100 } });
  telephony.sim.users.set("1002", { behaviour: { answerAfterMs: 500, hangupAfterMs: 1_000 } });
  // The worker hears of the rollback within its poll (500 ms here): call until a caller gets v3.
  const versions: Array<number | null> = [];
  while (versions.at(-1) !== 3 && versions.length < 6) {
    const call = telephony.sim.placeCall({ from: "+442079460202", to: "7000" });
    const record = await finished(call.uuid);
    versions.push(record.flowVersion);
    if (record.flowVersion === 3) {
      expect(record).toMatchObject({ outcome: "answered", agentContact: "user/1002" });
    }
  }
  expect(versions.at(-1)).toBe(3);
  expect(versions.slice(0, -1).every((v) => v === 2)).toBe(true);

  // The call in progress all along finishes on the version it started on.
  expect(telephony.sim.channel(talking.uuid)?.bridgedTo).toBeDefined();
  telephony.sim.hangup(talking.uuid);
  expect(await finished(talking.uuid)).toMatchObject({
    flowVersion: 1,
    outcome: "answered",
    agentContact: "user/1001",
  });
  await page.goto(`${app.baseURL}/calls/${talking.uuid}`);
  await expect(page.getByText("Left by “acquired”")).toBeVisible();
});

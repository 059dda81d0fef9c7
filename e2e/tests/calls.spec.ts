import type { Page } from "@playwright/test";
import { type RunningApp, startApp } from "../fixtures/app";
import { connect, dropNode, settled } from "../fixtures/editor";
import { startTelephony, type Telephony, workerLogged } from "../fixtures/telephony";
import { ADMIN, expect, signIn, test } from "../fixtures/test";

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
let flowId = "";

// The second test runs on the flow the first one draws and publishes.
test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  telephony = await startTelephony({});
  app = await startApp({
    admin: ADMIN,
    telephony,
    seed: async (db) => {
      await db.queues.save({ id: "sales", name: "Sales", maxConcurrent: 2 });
    },
  });
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

/**
 * Creates "Sales line" on the Flows page and draws start (7000) → queue
 * (Sales) → ring group (1001 and 1002 at once) → bridge in the editor,
 * starting from the blank template.
 */
async function drawSalesLine(page: Page): Promise<string> {
  await page.goto(`${app.baseURL}/flows`);
  await page.getByRole("button", { name: "New flow" }).first().click();
  const naming = page.getByRole("dialog");
  await naming.getByLabel("Name").fill("Sales line");
  await naming.getByRole("button", { name: "Create flow" }).click();
  await page.waitForURL(/\/flows\/[^/]+$/);
  const id = new URL(page.url()).pathname.split("/").at(-1) ?? "";
  await page.getByRole("link", { name: "Open in editor" }).click();
  await page.getByTestId("template-blank").click();
  await expect(page.getByRole("dialog")).toBeHidden();

  const start = page.getByTestId("node-start");
  const queue = await dropNode(page, "queue", 300, 200);
  const ring = await dropNode(page, "ringGroup", 300, 550);
  const bridge = await dropNode(page, "bridge", 650, 200);
  await page.getByRole("button", { name: "Fit the flow in view" }).click();
  await settled(page);
  await connect(page, start, "next", queue);
  await connect(page, queue, "acquired", ring);
  await connect(page, ring, "answered", bridge);
  await expect(page.locator(".react-flow__edge")).toHaveCount(3);

  const settings = page.getByRole("form", { name: "Node settings" });
  await queue.click();
  await page.getByRole("combobox", { name: "Queue" }).click();
  await page.getByRole("option", { name: "Sales (sales)" }).click();
  await ring.click();
  await settings.getByRole("button", { name: "Add" }).first().click();
  await page.getByLabel("Destinations 1", { exact: true }).fill("user/1001");
  await settings.getByRole("button", { name: "Add" }).first().click();
  await page.getByLabel("Destinations 2", { exact: true }).fill("user/1002");
  await start.click();
  await settings.getByRole("button", { name: "Add" }).click();
  await page.getByLabel("Numbers 1", { exact: true }).fill("7000");
  await expect(page.getByTestId("problems-button")).toContainText("0 errors");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "saved");
  return id;
}

test("draw a flow in the editor, publish it, watch ten callers on the wall-board, find them in call history", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, app, ADMIN);
  flowId = await drawSalesLine(page);
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

  await page.goto(`${app.baseURL}/wallboard`);
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
  const tile = page.locator('[data-testid="queue-tile"][data-queue-id="sales"]');
  const waiting = tile.getByTestId("waiting-callers");

  // A supervisor pauses the line first, so the board shows all ten waiting.
  await tile.getByRole("button", { name: "Pause Sales" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Pause queue" }).click();
  await expect(tile.getByTestId("paused-badge")).toBeVisible();
  // Ten callers at once; both agents answer after a second and talk for two.
  for (const id of ["1001", "1002"]) {
    telephony.sim.users.set(id, { behaviour: { answerAfterMs: 1_000, hangupAfterMs: 2_000 } });
  }
  const numbers = Array.from({ length: 10 }, (_, i) => `+4420794601${String(i).padStart(2, "0")}`);
  const placed = numbers.map((from) => telephony.sim.placeCall({ from, to: "7000" }));
  // The board: ten in line (six shown, "and 4 more"), nobody with an agent.
  await expect(tile.getByTestId("waiting-count")).toContainText("10", { timeout: 30_000 });
  await expect(tile.getByText("0 / 2")).toBeVisible();
  await expect(waiting.locator("li")).toHaveCount(6);
  await expect(tile.getByText("and 4 more")).toBeVisible();
  // The callers at places 5 and 6 give up (read off the board).
  const leaving: string[] = [];
  for (const place of [5, 6]) {
    const row = waiting.locator("li").nth(place - 1);
    await expect(row.locator("span").first()).toHaveText(String(place));
    leaving.push((await row.getAttribute("data-call-uuid")) ?? "");
  }
  for (const uuid of leaving) telephony.sim.hangup(uuid);
  for (const uuid of leaving) {
    await expect(waiting.locator(`[data-call-uuid="${uuid}"]`)).toHaveCount(0);
  }
  await expect(tile.getByTestId("waiting-count")).toContainText("8");
  await expect(tile.getByText("and 2 more")).toBeVisible();
  // Resumed: two at a time go through to the agents.
  await tile.getByRole("button", { name: "Resume Sales" }).click();
  await expect(tile.getByTestId("paused-badge")).toHaveCount(0);
  await expect(tile.getByText("2 / 2")).toBeVisible({ timeout: 15_000 });
  // Everyone else is served; the line empties and today's figures say so.
  await expect(tile.getByTestId("waiting-count")).toContainText("0", { timeout: 60_000 });
  await expect(tile.getByText("0 / 2")).toBeVisible({ timeout: 30_000 });
  await expect(tile.getByTestId("answered-today")).toContainText("8", { timeout: 30_000 });
  await expect(tile.getByTestId("abandoned-today")).toContainText("2");

  const records = [];
  for (const call of placed) records.push(await finished(call.uuid));
  expect(records.map((r) => [r.outcome, r.flowVersion, r.queueId])).toEqual(
    placed.map((call) => [leaving.includes(call.uuid) ? "abandoned" : "answered", 1, "sales"]),
  );
  await page.goto(`${app.baseURL}/calls`);
  await expect(page.getByTestId("call-row")).toHaveCount(10);
  await expect(page.getByTestId("call-row").filter({ hasText: "Answered" })).toHaveCount(8);
  const abandoned = page.getByTestId("call-row").filter({ hasText: "Abandoned" });
  await expect(abandoned).toHaveCount(2);
  for (const uuid of leaving) {
    const from = numbers[placed.findIndex((call) => call.uuid === uuid)] ?? "";
    await expect(abandoned.filter({ hasText: from })).toHaveCount(1);
  }
});

test("publish a closed version while a call talks, then roll back: new calls follow v1, the call in progress finishes on it", async ({
  page,
}) => {
  test.setTimeout(180_000);
  await signIn(page, app, ADMIN);
  // A long call on v1 is talking when v2 (closed) goes live.
  telephony.sim.users.set("1001", { behaviour: { answerAfterMs: 500, hangupAfterMs: 600_000 } });
  telephony.sim.users.set("1002", { behaviour: { busyAfterMs: 100 } });
  const talking = telephony.sim.placeCall({ from: "+442079460200", to: "7000" });
  await telephony.sim.waitForChannel((c) => c.uuid === talking.uuid && c.bridgedTo !== undefined, {
    timeoutMs: 15_000,
  });
  await app.db.flows.saveDraft({ id: flowId, draftGraph: closed }); // a colleague's edit
  await publishInEditor(page, "Closed for the holiday");
  // The worker takes v2 at its next flow poll; a caller before that would get v1.
  await expect
    .poll(
      () =>
        workerLogged(telephony, "number routed to a published flow version").some(
          (line) => line.number === "7000" && line.version === 2,
        ),
      { timeout: 15_000 },
    )
    .toBe(true);
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

import type { Page } from "@playwright/test";
import { type RunningApp, startApp } from "../fixtures/app";
import { putThroughLineGraph } from "../fixtures/seed";
import { startTelephony, type Telephony } from "../fixtures/telephony";
import { ADMIN, expect, signIn, test } from "../fixtures/test";

/** A caller with a slot is put through to 1001, who talks until hung up: the slot stays held. */
const salesLine = putThroughLineGraph({
  label: "Sales line",
  queueId: "sales",
  maxConcurrent: 1,
  timeoutSeconds: 600,
  numbers: ["7000"],
});

let telephony: Telephony;
let app: RunningApp;

test.beforeAll(async () => {
  telephony = await startTelephony({});
  app = await startApp({
    admin: ADMIN,
    telephony,
    seed: async (db) => {
      await db.queues.save({ id: "sales", name: "Sales", maxConcurrent: 1 });
      const flow = await db.flows.create({ name: "Sales line", draftGraph: salesLine });
      await db.versions.publish({ flowId: flow.id, publishedBy: "seed" });
      await db.routes.set({ number: "7000", flowId: flow.id });
    },
  });
});
test.afterAll(async () => {
  await app?.stop();
  await telephony?.stop();
});

/** Sets the Sales queue's Max concurrent on the Queues page, as an admin does. */
async function saveMaxConcurrent(admin: Page, value: number) {
  await admin.getByRole("button", { name: "Edit queue Sales" }).click();
  const dialog = admin.getByRole("dialog");
  await dialog.getByLabel("Max concurrent").fill(String(value));
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
}

test("change the queue's Max concurrent on the Queues page while callers wait: the board and the order of service follow", async ({
  page,
  context,
}) => {
  test.setTimeout(150_000);
  const { sim } = telephony;
  sim.users.set("1001", { behaviour: { answerAfterMs: 300 } }); // talks until hung up
  await signIn(page, app, ADMIN);
  await page.goto(`${app.baseURL}/wallboard`);
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
  const admin = await context.newPage();
  await admin.goto(`${app.baseURL}/queues`);

  const tile = page.locator('[data-testid="queue-tile"][data-queue-id="sales"]');
  const waiting = tile.getByTestId("waiting-callers");
  const inSlot = (text: string) => expect(tile.getByText(text)).toBeVisible({ timeout: 15_000 });
  const position = (uuid: string) => waiting.locator(`[data-call-uuid="${uuid}"] span`).first();
  const bridged = (uuid: string) =>
    sim.waitForChannel((c) => c.uuid === uuid && c.bridgedTo !== undefined, { timeoutMs: 15_000 });

  const holder = sim.placeCall({ from: "+442079460600", to: "7000" });
  await bridged(holder.uuid);
  await inSlot("1 / 1");
  // Four callers wait, placed one at a time so their places are the order they called in.
  const callers = [];
  for (let i = 1; i <= 4; i++) {
    const call = sim.placeCall({ from: `+44207946060${i}`, to: "7000" });
    await expect(position(call.uuid)).toHaveText(String(i), { timeout: 15_000 });
    callers.push(call);
  }
  const [w1, w2, w3, w4] = callers.map((c) => c.uuid) as [string, string, string, string];

  // Raised to 3: the two longest waiting get the new slots, the others move up.
  await saveMaxConcurrent(admin, 3);
  await inSlot("3 / 3");
  for (const uuid of [w1, w2]) await bridged(uuid);
  await expect(waiting.locator("li")).toHaveCount(2);
  await expect(position(w3)).toHaveText("1");
  await expect(position(w4)).toHaveText("2");

  // Lowered to 2: callers with a slot keep it; one leaving frees no slot.
  await saveMaxConcurrent(admin, 2);
  await inSlot("3 / 2");
  sim.hangup(holder.uuid);
  await inSlot("2 / 2");
  await expect(position(w3)).toHaveText("1");
  expect(sim.channel(w3)?.bridgedTo).toBeUndefined();
  // The next to leave lets the first in line in, then the last.
  sim.hangup(w1);
  await bridged(w3);
  await expect(position(w4)).toHaveText("1");
  sim.hangup(w2);
  await bridged(w4);
  await inSlot("2 / 2");
  await expect(tile.getByTestId("waiting-count")).toContainText("0");

  for (const uuid of [w3, w4]) sim.hangup(uuid);
  await expect.poll(() => sim.channels().length, { timeout: 15_000 }).toBe(0);
  await inSlot("0 / 2");

  // Served in the order they called: each got its slot no earlier than the one before.
  const acquired: number[] = [];
  for (const uuid of [w1, w2, w3, w4]) {
    await expect
      .poll(async () => (await app.db.calls.get(uuid))?.outcome ?? null, { timeout: 20_000 })
      .toBe("answered");
    acquired.push((await app.db.calls.get(uuid))?.acquiredAt?.getTime() ?? 0);
  }
  expect(acquired).toEqual([...acquired].sort((a, b) => a - b));
  expect(await app.db.queues.get("sales")).toMatchObject({ maxConcurrent: 2 });
});

import type { Page } from "@playwright/test";
import { type RunningApp, startApp } from "../fixtures/app";
import { type BoardQueueSeed, seedBoard } from "../fixtures/board-seed";
import { startTelephony, type Telephony } from "../fixtures/telephony";
import { ADMIN, expect, signIn, test } from "../fixtures/test";

const SALES: BoardQueueSeed = {
  queueId: "sales",
  name: "Sales",
  number: "7000",
  maxConcurrent: 1,
  vipNumbers: [],
  agents: [{ contact: "user/1001", name: "Alice" }],
};

/** How soon the board must show a caller's hang-up. */
const ABANDON_SHOWN_WITHIN_MS = 1_000;

let telephony: Telephony;
let app: RunningApp;

test.beforeAll(async () => {
  telephony = await startTelephony({});
  app = await startApp({ admin: ADMIN, seed: (db) => seedBoard(db, [SALES]), telephony });
});
test.afterAll(async () => {
  await app?.stop();
  await telephony?.stop();
});

declare global {
  interface Window {
    __boardChanged?: Promise<number>;
  }
}

/**
 * Watches the board in the page for the moment `gone`'s row has left the
 * line and `next` is shown at position 1: resolves with that time (the
 * page's `Date.now()`, the same clock as the test's), checked on every DOM
 * change, so no polling interval is added to the figure.
 */
async function watchForMoveUp(page: Page, gone: string, next: string): Promise<void> {
  await page.evaluate(
    ({ gone, next }) => {
      window.__boardChanged = new Promise<number>((resolve) => {
        const moved = () => {
          const left = document.querySelector(`[data-call-uuid="${gone}"]`) === null;
          const first = document.querySelector(`[data-call-uuid="${next}"] span`);
          return left && first?.textContent?.trim() === "1";
        };
        const observer = new MutationObserver(() => {
          if (!moved()) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
    },
    { gone, next },
  );
}

test("a caller hangs up while waiting: the board shows it within a second and the next caller moves up", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { sim } = telephony;
  // Alice's phone rings and never answers: the first caller holds the one slot, the rest wait.
  sim.users.set("1001", { behaviour: {} });
  await signIn(page, app, ADMIN);
  await page.goto(`${app.baseURL}/wallboard`);
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
  const tile = page.locator('[data-testid="queue-tile"][data-queue-id="sales"]');
  const holder = sim.placeCall({ from: "+442079460500", to: SALES.number });
  await expect(tile.getByText("1 / 1")).toBeVisible({ timeout: 15_000 });
  const waiting = tile.getByTestId("waiting-callers");
  const callers = [];
  for (const from of ["+442079460501", "+442079460502", "+442079460503"]) {
    const call = sim.placeCall({ from, to: SALES.number });
    // One at a time, so their places are the order they called in.
    await expect(waiting.locator(`[data-call-uuid="${call.uuid}"]`)).toBeVisible({
      timeout: 15_000,
    });
    callers.push(call);
  }
  const [first, second, third] = callers as [
    (typeof callers)[0],
    (typeof callers)[0],
    (typeof callers)[0],
  ];
  const position = (uuid: string) => waiting.locator(`[data-call-uuid="${uuid}"] span`).first();
  await expect(position(first.uuid)).toHaveText("1");
  await expect(position(second.uuid)).toHaveText("2");
  await expect(position(third.uuid)).toHaveText("3");
  await expect(tile.getByTestId("waiting-count")).toContainText("3");

  // The first in line gives up.
  await watchForMoveUp(page, first.uuid, second.uuid);
  const hungUpAt = Date.now();
  sim.hangup(first.uuid);
  const shownAt = await page.evaluate(() => window.__boardChanged as Promise<number>);
  const shownMs = shownAt - hungUpAt;
  console.log(`abandon shown on the board ${shownMs} ms after the hang-up`);
  test.info().annotations.push({ type: "abandon shown after (ms)", description: String(shownMs) });
  expect(shownMs).toBeLessThanOrEqual(ABANDON_SHOWN_WITHIN_MS);
  await expect(position(third.uuid)).toHaveText("2");
  await expect(tile.getByTestId("waiting-count")).toContainText("2");
  await expect(waiting.locator("li")).toHaveCount(2);
  // Today's figures come from the call record, written in a batch.
  await expect(tile.getByTestId("abandoned-today")).toContainText("1", { timeout: 15_000 });

  // The holder leaves: the caller who moved up gets the slot, the last one is first in line.
  sim.hangup(holder.uuid);
  await expect(waiting.locator(`[data-call-uuid="${second.uuid}"]`)).toHaveCount(0);
  await expect(position(third.uuid)).toHaveText("1");
  await expect(tile.getByText("1 / 1")).toBeVisible();

  for (const call of [second, third]) sim.hangup(call.uuid);
  await expect(tile.getByTestId("waiting-count")).toContainText("0");
  await expect.poll(() => sim.channels().length, { timeout: 15_000 }).toBe(0);

  // Call history: the one who gave up while waiting is abandoned.
  await expect
    .poll(async () => (await app.db.calls.get(first.uuid))?.outcome ?? null, { timeout: 20_000 })
    .toBe("abandoned");
  await page.goto(`${app.baseURL}/calls`);
  await expect(page.getByTestId("call-row")).toHaveCount(4, { timeout: 20_000 });
  await expect(
    page
      .getByTestId("call-row")
      .filter({ hasText: "+442079460501" })
      .filter({ hasText: "Abandoned" }),
  ).toHaveCount(1);
});

import { type BoardQueueSeed, seedBoard } from "../fixtures/board-seed";
import { countRenders, renderCounts } from "../fixtures/render-counter";
import { ADMIN, expect, signIn, test, useApp } from "../fixtures/test";

const SUPPORT: BoardQueueSeed = {
  queueId: "support",
  name: "Support",
  number: "7000",
  maxConcurrent: 1,
  vipNumbers: ["+4477*"],
  agents: [
    { contact: "user/1001", name: "Alice" },
    { contact: "user/1002", name: "Bob" },
  ],
};

// A real worker and fs-sim on the app's database; the board reads the worker's live feed.
const app = useApp({ admin: ADMIN, seed: (db) => seedBoard(db, [SUPPORT]), worker: true });

// The first snapshot waits for the page to hydrate; on a busy machine that takes seconds.
const LIVE = { timeout: 30_000 };

const worker = () => {
  const running = app().worker;
  if (!running) throw new Error("the app was started without a worker");
  return running;
};

test.beforeAll(() => {
  worker().route(SUPPORT.number);
  // The agents' phones ring and never answer: the first caller holds the one
  // slot (ringing them), everyone after waits in line.
  for (const id of ["1001", "1002"]) worker().sim.users.set(id, { behaviour: {} });
});

test("callers appear on the board as they enter the queue and leave it when they hang up", async ({
  page,
}) => {
  await signIn(page, app(), ADMIN);
  await page.goto(`${app().baseURL}/wallboard`);
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", LIVE);
  const tile = page.locator('[data-testid="queue-tile"][data-queue-id="support"]');
  await expect(tile.getByRole("heading", { name: "Support" })).toBeVisible();

  const { sim } = worker();
  const first = sim.placeCall({ from: "5550101", to: SUPPORT.number });
  await expect(tile.getByText("1 / 1")).toBeVisible(); // in a slot, ringing the agents
  const second = sim.placeCall({ from: "5550102", to: SUPPORT.number });
  const vip = sim.placeCall({ from: "+447700900123", to: SUPPORT.number });

  const waiting = tile.getByTestId("waiting-callers");
  await expect(waiting.locator(`[data-call-uuid="${second.uuid}"]`)).toBeVisible();
  await expect(tile.getByTestId("waiting-count")).toContainText("2");
  // The VIP is served first: position 1, with the mark.
  const vipRow = waiting.locator(`[data-call-uuid="${vip.uuid}"]`);
  await expect(vipRow).toContainText("+447700900123");
  await expect(vipRow.getByTestId("vip-mark")).toBeVisible();
  await expect(waiting.locator("li").first()).toHaveAttribute("data-call-uuid", vip.uuid);

  // The longest wait ticks in the browser.
  const longest = tile.getByTestId("longest-wait");
  const before = await longest.textContent();
  await expect(longest).not.toHaveText(before ?? "", { timeout: 3_000 });

  sim.hangup(second.uuid);
  await expect(waiting.locator(`[data-call-uuid="${second.uuid}"]`)).toHaveCount(0);
  await expect(tile.getByTestId("waiting-count")).toContainText("1");
  // The abandoned call reaches today's figures (from its call record).
  await expect(tile.getByTestId("abandoned-today")).toContainText("1", { timeout: 15_000 });

  sim.hangup(vip.uuid);
  sim.hangup(first.uuid);
  await expect(tile.getByTestId("waiting-count")).toContainText("0");
  await expect(tile.getByText("0 / 1")).toBeVisible();
});

test("the waits tick every second; the charts do not re-render with them", async ({ page }) => {
  await countRenders(page, "board-charts");
  await signIn(page, app(), ADMIN);
  await page.goto(`${app().baseURL}/wallboard`);
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", LIVE);
  await expect(page.getByTestId("board-charts")).toBeVisible();
  const tile = page.locator('[data-testid="queue-tile"][data-queue-id="support"]');
  const { sim } = worker();
  const holder = sim.placeCall({ from: "5550301", to: SUPPORT.number });
  await expect(tile.getByText("1 / 1")).toBeVisible();
  const waiter = sim.placeCall({ from: "5550302", to: SUPPORT.number });
  await expect(tile.locator(`[data-call-uuid="${waiter.uuid}"]`)).toBeVisible();

  const before = await renderCounts(page);
  const longest = tile.getByTestId("longest-wait");
  for (let tick = 0; tick < 3; tick++) {
    const shown = await longest.textContent();
    await expect(longest).not.toHaveText(shown ?? "", { timeout: 3_000 });
  }
  const after = await renderCounts(page);
  expect(after.commits - before.commits).toBeGreaterThanOrEqual(3);
  expect(after.renders - before.renders, "chart renders during three ticks").toBe(0);

  sim.hangup(waiter.uuid);
  sim.hangup(holder.uuid);
  await expect(tile.getByTestId("waiting-count")).toContainText("0");
});

test("a reload gets a fresh snapshot: the same callers, never counted twice", async ({ page }) => {
  await signIn(page, app(), ADMIN);
  const { sim } = worker();
  await page.goto(`${app().baseURL}/wallboard`);
  const tile = page.locator('[data-testid="queue-tile"][data-queue-id="support"]');
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", LIVE);
  const holder = sim.placeCall({ from: "5550201", to: SUPPORT.number });
  await expect(tile.getByText("1 / 1")).toBeVisible();
  const waiter = sim.placeCall({ from: "5550202", to: SUPPORT.number });
  await expect(tile.locator(`[data-call-uuid="${waiter.uuid}"]`)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", LIVE);
  await expect(tile.getByTestId("waiting-count")).toContainText("1");
  await expect(tile.getByTestId("waiting-callers").locator("li")).toHaveCount(1);
  sim.hangup(waiter.uuid);
  sim.hangup(holder.uuid);
  await expect(tile.getByTestId("waiting-count")).toContainText("0");
});

test("the marker says reconnecting, then stale, when the stream is cut, and live again after", async ({
  page,
}) => {
  await signIn(page, app(), ADMIN);
  await page.goto(`${app().baseURL}/wallboard`);
  const marker = page.getByTestId("live-marker");
  await expect(marker).toHaveAttribute("data-state", "live", LIVE);
  // Cut the stream: new connections are refused, the open one is dropped.
  let cut = true;
  await page.route(/\/api\/trpc\/wallboard\.live/, (route) =>
    cut ? route.abort("connectionrefused") : route.continue(),
  );
  await page.evaluate(() => window.stop());
  await expect(marker).toHaveAttribute("data-state", "reconnecting", { timeout: 20_000 });
  await expect(marker).toHaveAttribute("data-state", "stale", { timeout: 20_000 });
  await expect(marker).toHaveText(/^Stale since \d\d:\d\d:\d\d$/);
  cut = false;
  await expect(marker).toHaveAttribute("data-state", "live", { timeout: 30_000 });
});

test("a TV link shows the board read-only without signing in, until it is revoked", async ({
  page,
  browser,
}) => {
  await signIn(page, app(), ADMIN);
  await page.goto(`${app().baseURL}/wallboard`);
  await page.getByRole("button", { name: "TV links" }).click();
  await page.getByLabel("Screen name").fill("Lobby TV");
  await page.getByRole("button", { name: "Make link" }).click();
  const url = await page.getByTestId("tv-link").inputValue();
  expect(url).toMatch(/\/tv\?token=[A-Za-z0-9_-]{43}$/);

  const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const tv = await tvContext.newPage();
  await tv.goto(url);
  await expect(tv.getByTestId("live-marker")).toHaveAttribute("data-state", "live", LIVE);
  await expect(tv.locator('[data-testid="queue-tile"][data-queue-id="support"]')).toBeVisible();
  // Read-only: no pause, no status menus, no TV links.
  await expect(
    tv.getByRole("button", { name: /Pause|Resume|Change .* status|TV links/ }),
  ).toHaveCount(0);

  await page.getByRole("button", { name: "Revoke" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId("tv-token-row").getByText("Revoked")).toBeVisible();
  await tv.reload();
  await expect(tv.getByTestId("board-refused")).toBeVisible();
  await tvContext.close();
});

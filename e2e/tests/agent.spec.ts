import { type BoardQueueSeed, seedBoard } from "../fixtures/board-seed";
import { ADMIN, expect, inviteUser, screenshot, signIn, test, useApp } from "../fixtures/test";

const SUPPORT: BoardQueueSeed = {
  queueId: "support",
  name: "Support",
  number: "7000",
  maxConcurrent: 1,
  agents: [
    { contact: "user/1001", name: "Alice" },
    { contact: "user/1002", name: "Bob" },
  ],
};

const AGENT_USER = { email: "alice@example.com", password: "alice's long password", name: "Alice" };

// A real worker and fs-sim on the app's database: the agent's state comes from its live registry.
const app = useApp({ admin: ADMIN, seed: (db) => seedBoard(db, [SUPPORT]), worker: true });

// The first live read waits for the page to hydrate and the worker to load the agents.
const LIVE = { timeout: 30_000 };

test.beforeAll(async ({ request }) => {
  // The admin invites Alice with the agent role, as the Users page does.
  await inviteUser(request, app(), { ...AGENT_USER, role: "agent" });
});

test("an admin links the agent user to their agent on the Users page", async ({ page }) => {
  await signIn(page, app(), ADMIN);
  await page.goto(`${app().baseURL}/users`);
  const select = page.getByRole("combobox", { name: "Agent of Alice" });
  await expect(select).toHaveText("Not linked");
  await select.click();
  await page.getByRole("option", { name: /^Alice · user\/1001/ }).click();
  await expect(page.getByText("Alice signs in as agent Alice")).toBeVisible();
  await expect(select).toContainText("user/1001");
  const alice = await app().db.agents.findByContact("user/1001");
  const user = await app().db.users.findByEmail(AGENT_USER.email);
  expect(alice?.userId).toBe(user?.id);
  // Supervisors and admins are not linked to agents.
  await expect(page.getByRole("combobox", { name: `Agent of ${ADMIN.name}` })).toHaveCount(0);
  await screenshot(page, "users-agent-link");
});

test("an agent signs in, takes a break and ends it; the registry and the wall-board show it", async ({
  page,
  browser,
}) => {
  await linkAlice();
  await signIn(page, app(), AGENT_USER);
  await page.goto(`${app().baseURL}/`);
  await expect(page).toHaveURL(/\/agent$/);
  const card = page.getByTestId("my-agent");
  await expect(card.getByRole("heading", { name: "Alice" })).toBeVisible();
  await expect(card.getByTestId("live-state")).toHaveText("Available", LIVE);
  // Pushed by the agent's own stream (myAgent.live), not read by polling.
  await expect(card).toHaveAttribute("data-live", "pushed", LIVE);
  // Their own page and nothing else.
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(["My status"]);
  await page.goto(`${app().baseURL}/wallboard`);
  await expect(page).toHaveURL(/\/agent$/);
  const forged = await page.request.post(`${app().baseURL}/api/trpc/wallboard.setAgentStatus`, {
    data: { json: { agentId: "anyone", status: "loggedOut" } },
    headers: { origin: app().baseURL },
  });
  expect(forged.status()).toBe(403);

  await card.getByRole("button", { name: "Take a break" }).click();
  await expect(page.getByText("On a break: no new calls will ring you")).toBeVisible();
  await expect(card).toHaveAttribute("data-status", "onBreak");
  // The live state is the worker's registry's, after it applied the change.
  await expect(card.getByTestId("live-state")).toHaveText("On break", LIVE);
  await expect(card.getByRole("button", { name: "End break" })).toBeVisible();
  const alice = await app().db.agents.findByContact("user/1001");
  expect(alice?.status).toBe("onBreak");
  const registry = await app().worker?.worker.agents.get(alice?.id ?? "");
  expect(registry?.status).toBe("onBreak");
  await screenshot(page, "agent-page");

  // A supervisor's wall-board shows Alice on break.
  const board = await browser.newPage();
  try {
    await signIn(board, app(), ADMIN);
    await board.goto(`${app().baseURL}/wallboard`);
    const row = board.locator(`[data-testid="agent-row"][data-agent-id="${alice?.id}"]`);
    await expect(row).toHaveAttribute("data-bucket", "onBreak", LIVE);
    await expect(row).toContainText("On break");

    await card.getByRole("button", { name: "End break" }).click();
    await expect(card.getByTestId("live-state")).toHaveText("Available", LIVE);
    await expect(row).toHaveAttribute("data-bucket", "idle", LIVE);

    await card.getByRole("button", { name: "Log out" }).click();
    await expect(card.getByTestId("live-state")).toHaveText("Logged out", LIVE);
    await expect(card.getByRole("button", { name: "Take a break" })).toHaveCount(0);
    await expect(row).toHaveAttribute("data-bucket", "loggedOut", LIVE);
    await card.getByRole("button", { name: "Log in" }).click();
    await expect(card.getByTestId("live-state")).toHaveText("Available", LIVE);
  } finally {
    await board.close();
  }
});

test("the queues page and the wall-board show each queue's counts per state from one call", async ({
  page,
}) => {
  const running = app().worker;
  if (!running) throw new Error("the app was started without a worker");
  // Two finished calls today, from call records.
  const enqueuedAt = new Date(Date.now() - 5 * 60_000);
  for (const [i, outcome] of (["answered", "abandoned"] as const).entries()) {
    await app().db.calls.record({
      callUuid: `counted-${i}`,
      numberDialled: SUPPORT.number,
      callerNumber: "5550100",
      startedAt: enqueuedAt,
      enqueuedAt,
      waitMs: 10_000,
      endedAt: new Date(enqueuedAt.getTime() + 60_000),
      outcome,
      queueId: SUPPORT.queueId,
      workerId: "e2e-worker",
    });
  }
  // Live: the phones ring and never answer, so the first caller holds the slot and the next waits.
  running.route(SUPPORT.number);
  for (const id of ["1001", "1002"]) running.sim.users.set(id, { behaviour: {} });
  const first = running.sim.placeCall({ from: "5550101", to: SUPPORT.number });
  const second = running.sim.placeCall({ from: "5550102", to: SUPPORT.number });
  try {
    await signIn(page, app(), ADMIN);
    await page.goto(`${app().baseURL}/queues`);
    const row = page.getByRole("row", { name: /Support/ });
    await expect(row.getByTestId("queue-in-slot")).toHaveText("1", LIVE);
    await expect(row.getByTestId("queue-waiting")).toHaveText("1", LIVE);
    await expect(row.getByTestId("queue-today")).toHaveText("1 · 1 · 0");
    await expect(row.getByTestId("queue-callbacks")).toHaveText("0 · 0");
    await screenshot(page, "queues-counts");

    await page.goto(`${app().baseURL}/wallboard`);
    const tile = page.locator('[data-testid="queue-tile"][data-queue-id="support"]');
    await expect(tile.getByTestId("waiting-count")).toContainText("1", LIVE);
    await expect(tile.getByTestId("answered-today")).toContainText("1");
    await expect(tile.getByTestId("abandoned-today")).toContainText("1");
    await expect(tile.getByTestId("timed-out-today")).toContainText("0");
    await expect(tile.getByTestId("callbacks-pending")).toContainText("0");
    await screenshot(page, "wallboard-counts");

    // The caller who hangs up while waiting is abandoned today: 2 now.
    running.sim.hangup(second.uuid);
    await expect(tile.getByTestId("waiting-count")).toContainText("0", LIVE);
    await expect(tile.getByTestId("abandoned-today")).toContainText("2", { timeout: 15_000 });
  } finally {
    running.sim.hangup(second.uuid);
    running.sim.hangup(first.uuid);
  }
});

/**
 * Links Alice's user to her agent as the first test does on the Users page, for a test that
 * runs without it (after a failure Playwright restarts the file's app, fresh).
 */
async function linkAlice(): Promise<void> {
  const alice = await app().db.agents.findByContact("user/1001");
  const user = await app().db.users.findByEmail(AGENT_USER.email);
  if (!alice || !user) throw new Error("the seed has no Alice");
  if (alice.userId !== user.id)
    await app().db.agents.linkUser({ agentId: alice.id, userId: user.id });
}

test("a refusal is shown on the page: a break asked for after someone else logged the agent out", async ({
  page,
}) => {
  await linkAlice();
  await signIn(page, app(), AGENT_USER);
  await page.goto(`${app().baseURL}/agent`);
  const card = page.getByTestId("my-agent");
  await expect(card.getByRole("button", { name: "Take a break" })).toBeVisible(LIVE);
  // Stop the page's refreshes, then log Alice out behind its back (as a supervisor would).
  await page.route("**/api/trpc/myAgent.state**", (route) => route.abort());
  const alice = await app().db.agents.findByContact("user/1001");
  await app().db.agents.setStatus(alice?.id ?? "", "loggedOut");
  await card.getByRole("button", { name: "Take a break" }).click();
  await expect(card.getByRole("alert")).toContainText("log in before taking or ending a break");
  expect((await app().db.agents.get(alice?.id ?? ""))?.status).toBe("loggedOut");
  await page.unroute("**/api/trpc/myAgent.state**");
  await expect(card.getByRole("button", { name: "Log in" })).toBeVisible(LIVE);
  await screenshot(page, "agent-page-refused");
});

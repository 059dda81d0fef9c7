import { seedCallCentre } from "../fixtures/seed";
import { ADMIN, expect, inviteUser, screenshot, signIn, test, useApp } from "../fixtures/test";

const SUPERVISOR = { email: "sam@example.com", password: "supervisor password" };

const app = useApp({ admin: ADMIN, seed: seedCallCentre });

test.beforeAll(async ({ request }) => {
  await inviteUser(request, app(), { ...SUPERVISOR, name: "Sam", role: "supervisor" });
});

test("a supervisor sees no admin controls and cannot reach them by URL", async ({ page }) => {
  await signIn(page, app(), SUPERVISOR);
  await page.goto(`${app().baseURL}/queues`);
  await expect(page.getByRole("row", { name: /Support/ })).toBeVisible();
  await expect(page.getByTestId("sidebar-role")).toHaveText("supervisor");
  await expect(page.getByRole("button", { name: "New queue" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Edit queue/ })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /Delete queue/ })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Users" })).toHaveCount(0);

  for (const path of ["/agents", "/groups", "/numbers", "/flows"]) {
    await page.goto(`${app().baseURL}${path}`);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await expect(page.getByRole("button", { name: /^New |Route a number/ })).toHaveCount(0);
  }
  await page.goto(`${app().baseURL}/groups`);
  await page.getByRole("link", { name: "Support", exact: true }).click();
  await expect(page.getByTestId("group-member")).toHaveCount(3);
  await expect(page.getByRole("button", { name: /Drag|Move|Remove/ })).toHaveCount(0);

  await page.goto(`${app().baseURL}/users`);
  await expect(page).toHaveURL(/\/forbidden$/);
  await expect(page.getByRole("heading", { name: "Admins only" })).toBeVisible();

  // The server is the guard: a hand-made request is refused too.
  const forged = await page.request.post(`${app().baseURL}/api/trpc/queues.create`, {
    data: {
      json: {
        id: "sneaky",
        name: "Sneaky",
        maxConcurrent: 1,
        maxWaiting: null,
        timeoutSeconds: null,
        holdMusic: null,
        announceEverySeconds: null,
      },
    },
    headers: { origin: app().baseURL },
  });
  expect(forged.status()).toBe(403);

  await page.goto(`${app().baseURL}/calls`);
  await expect(page.getByTestId("call-row")).toHaveCount(8);
  await screenshot(page, "supervisor-calls");
});

test("a supervisor sees who waits for a callback, and cancels one", async ({ page }) => {
  const { db } = app();
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
  const { request: ann } = await db.callbacks.create({
    queueId: "support",
    number: "5550301",
    callerName: "Ann Smith",
    requestedAt: minutesAgo(12),
    maxAttempts: 3,
  });
  await db.callbacks.create({
    queueId: "support",
    number: "5550302",
    callerName: "Bo Lee",
    requestedAt: minutesAgo(4),
    maxAttempts: 3,
  });
  // Ann's first try was not answered: she is tried again later.
  await db.callbacks.claimDue({
    owner: "worker-1",
    now: new Date(),
    leaseMs: 60_000,
    limit: 1,
    queueIds: ["support"],
  });
  await db.callbacks.recordFailedAttempt({
    id: ann.id,
    owner: "worker-1",
    result: "NO_ANSWER",
    now: new Date(),
    backoff: { initialMs: 10 * 60_000, maxMs: 60 * 60_000 },
  });

  await signIn(page, app(), SUPERVISOR);
  await page.goto(`${app().baseURL}/queues`);
  await expect(page.getByRole("link", { name: "Callbacks" })).toBeVisible();
  // The queue's callback count leads to its callbacks.
  const counts = page.getByRole("row", { name: /Support/ }).getByTestId("queue-callbacks");
  await expect(counts).toHaveText("2 · 0");
  await counts.getByRole("link").click();
  await expect(page).toHaveURL(/\/callbacks\?queue=support$/);
  await expect(page.getByRole("heading", { name: "Callbacks", level: 1 })).toBeVisible();
  await expect(page.getByLabel("Queue")).toHaveText("Support");
  const rows = page.getByTestId("callback-row");
  await expect(rows).toHaveCount(2);
  const annRow = rows.filter({ hasText: "5550301" });
  await expect(annRow).toContainText("Ann Smith");
  await expect(annRow).toContainText("Support");
  await expect(annRow).toContainText(/Next try in (9|10) minutes/);
  await expect(annRow).toContainText("1 of 3");
  await expect(annRow).toContainText("No answer");
  await expect(rows.filter({ hasText: "5550302" })).toContainText("Waiting its turn");
  await screenshot(page, "callbacks");

  await page.getByRole("button", { name: "Cancel the callback to 5550302" }).click();
  const dialog = page.getByRole("alertdialog");
  await expect(dialog).toContainText("lose their place in the queue");
  await dialog.getByRole("button", { name: "Cancel callback" }).click();
  await expect(page.getByText("Callback to 5550302 cancelled")).toBeVisible();
  await expect(rows).toHaveCount(1);
  await page.getByRole("tab", { name: "Ended (last 24 h)" }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText("Cancelled");
  expect((await db.callbacks.listOpen({ queueId: "support" })).map((r) => r.number)).toEqual([
    "5550301",
  ]);
});

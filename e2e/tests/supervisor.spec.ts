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

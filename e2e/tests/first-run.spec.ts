import { expect, screenshot, test, useApp } from "../fixtures/test";

// No admin: the app starts as a fresh install does.
const app = useApp({});

test("a fresh install walks the newcomer through creating the first admin, then sign out and in", async ({
  page,
}) => {
  await page.goto(`${app().baseURL}/flows`);
  await expect(page).toHaveURL(/\/setup$/);
  await expect(page.getByRole("heading", { name: "Welcome to Ringflow" })).toBeVisible();
  await screenshot(page, "setup");

  await page.getByLabel("Your name").fill("Grace");
  await page.getByLabel("E-mail").fill("grace@example.com");
  await page.getByLabel("Password", { exact: true }).fill("short");
  await page.getByLabel("Password again").fill("different");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByText("At least 12 characters")).toBeVisible();
  await expect(page.getByText("The passwords differ")).toBeVisible();
  // What was typed stays.
  await expect(page.getByLabel("E-mail")).toHaveValue("grace@example.com");

  await page.getByLabel("Password", { exact: true }).fill("a very good password");
  await page.getByLabel("Password again").fill("a very good password");
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page).toHaveURL(/\/flows$/);
  await expect(page.getByTestId("current-user")).toHaveText("Grace");

  // The setup page is gone for good (signed in, it leads back to the app).
  await page.goto(`${app().baseURL}/setup`);
  await expect(page).toHaveURL(/\/flows$/);

  await page.getByRole("button", { name: "Account" }).click();
  await page.getByRole("menuitem", { name: "Sign out", exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto(`${app().baseURL}/setup`);
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto(`${app().baseURL}/queues`);
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByLabel("E-mail").fill("grace@example.com");
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That e-mail and password do not match.")).toBeVisible();
  await page.getByLabel("Password").fill("a very good password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/flows$/);
  await screenshot(page, "flows-empty");
});

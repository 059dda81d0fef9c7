import { seedCallCentre } from "../fixtures/seed";
import { ADMIN, expect, screenshot, signIn, test, useApp } from "../fixtures/test";

const app = useApp({ admin: ADMIN, seed: seedCallCentre });

test.beforeEach(async ({ page }) => {
  await signIn(page, app(), ADMIN);
});

test("create a queue, fixing a validation error; edit it; see it listed", async ({ page }) => {
  await page.goto(`${app().baseURL}/queues`);
  await page.getByRole("button", { name: "New queue" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Sales");
  await dialog.getByLabel("Queue id").fill("sales team");
  await dialog.getByLabel("Max concurrent").fill("0");
  await dialog.getByRole("button", { name: "Create queue" }).click();
  await expect(dialog.getByText("At least 1")).toBeVisible();
  await expect(dialog.getByText(/Letters, digits|Use 1 to 64 letters/)).toBeVisible();
  // What was typed is kept.
  await expect(dialog.getByLabel("Name")).toHaveValue("Sales");

  await dialog.getByLabel("Queue id").fill("support");
  await dialog.getByLabel("Max concurrent").fill("3");
  await dialog.getByRole("button", { name: "Create queue" }).click();
  // The server refuses the taken id next to its field.
  await expect(dialog.getByText("That queue already exists")).toBeVisible();
  await dialog.getByLabel("Queue id").fill("sales");
  await dialog.getByRole("button", { name: "Create queue" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByText("Queue Sales created")).toBeVisible();
  const row = page.getByRole("row", { name: /Sales/ }).filter({ hasText: "sales" });
  await expect(row).toContainText("3");

  await page.getByRole("button", { name: "Edit queue Sales" }).click();
  await page.getByRole("dialog").getByLabel("Max waiting").fill("12");
  await page.getByRole("dialog").getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("row", { name: /Sales/ }).filter({ hasText: "sales" })).toContainText(
    "12",
  );
  await screenshot(page, "admin-queues");

  // The queue the live flow uses cannot be deleted; the dialog says why.
  await page.getByRole("button", { name: "Delete queue Support" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Delete" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Support line");
  await page.getByRole("alertdialog").getByRole("button", { name: "Cancel" }).click();
  await expect(page.getByRole("row", { name: /Support/ })).toBeVisible();
});

test("add agents to a group and reorder them by dragging; the order is saved", async ({ page }) => {
  await page.goto(`${app().baseURL}/agents`);
  await page.getByRole("button", { name: "New agent" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Dave");
  await dialog.getByLabel("Phone (dial string)").fill("user/1004");
  await dialog.getByRole("button", { name: "Add agent" }).click();
  await expect(page.getByRole("row", { name: /Dave/ })).toBeVisible();
  await screenshot(page, "admin-agents");

  await page.goto(`${app().baseURL}/groups`);
  await page.getByRole("link", { name: "Support", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Support" })).toBeVisible();
  const members = page.getByTestId("group-member");
  await expect(members).toHaveCount(3);

  await page.getByLabel("Add an agent").click();
  await page.getByRole("option", { name: /Dave/ }).click();
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(members).toHaveCount(4);

  // Drag Dave (last) above Alice (first) by his handle.
  const handle = page.getByRole("button", { name: "Drag Dave to reorder" });
  const target = members.first();
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("no boxes");
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2, from.y - 10, { steps: 5 });
  await page.mouse.move(to.x + 20, to.y + 4, { steps: 15 });
  await page.mouse.up();
  await expect(members.first()).toHaveAttribute("data-agent", "Dave");
  // And Carol below Bob with the arrows.
  await page.getByRole("button", { name: "Move Carol up" }).click();
  await expect(members.nth(2)).toHaveAttribute("data-agent", "Carol");
  await expect(page.getByText("Unsaved changes")).toBeVisible();
  await screenshot(page, "admin-group");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Support saved")).toBeVisible();

  await page.reload();
  await expect(members).toHaveCount(4);
  const order = await members.evaluateAll((els) => els.map((el) => el.getAttribute("data-agent")));
  expect(order).toEqual(["Dave", "Alice", "Carol", "Bob"]);
});

test("route a number to a flow", async ({ page }) => {
  await page.goto(`${app().baseURL}/numbers`);
  await page.getByRole("button", { name: "Route a number" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Number", { exact: true }).fill("70 01");
  await dialog.getByLabel("Flow").click();
  await page.getByRole("option", { name: "Support line" }).click();
  await dialog.getByRole("button", { name: "Route number" }).click();
  await expect(dialog.getByText(/digits/i)).toBeVisible();
  await dialog.getByLabel("Number", { exact: true }).fill("7001");
  await dialog.getByRole("button", { name: "Route number" }).click();
  await expect(page.getByRole("row", { name: /7001/ })).toContainText("v1");
  await screenshot(page, "admin-numbers");
  await page.goto(`${app().baseURL}/flows`);
  await expect(page.getByRole("row", { name: /Support line/ })).toContainText("7000, 7001");
  await screenshot(page, "flows");
  await page.getByRole("link", { name: "Support line" }).click();
  await expect(page.getByText("First version").first()).toBeVisible();
  await screenshot(page, "flow");
});

test("a new flow's name typed while the list is still loading is kept when the list arrives", async ({
  page,
}) => {
  // Hold the flows list back until the name is typed: its arrival re-renders the page
  // behind the dialog, which once reset the form (and a CI run's "Create flow" did nothing).
  let release = () => {};
  const held = new Promise<void>((resolve) => {
    release = resolve;
  });
  await page.route(/\/api\/trpc\/[^?]*flows\.list/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(`${app().baseURL}/flows`);
  await page.getByRole("button", { name: "New flow" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill("Night line");
  release();
  // The list renders behind the modal dialog (hidden from the accessibility tree).
  await expect(page.locator("a", { hasText: "Support line" })).toBeAttached();
  await expect(dialog.getByLabel("Name")).toHaveValue("Night line");
  await dialog.getByRole("button", { name: "Create flow" }).click();
  await page.waitForURL(/\/flows\/[^/]+$/);
  await expect(page.getByRole("heading", { name: "Night line" })).toBeVisible();
});

test("filter call history and open a call's trace", async ({ page }) => {
  await page.goto(`${app().baseURL}/calls`);
  const rows = page.getByTestId("call-row");
  await expect(rows).toHaveCount(8);
  await screenshot(page, "calls");
  await page.getByLabel("Outcome").click();
  await page.getByRole("option", { name: "Answered" }).click();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows).toHaveCount(4);
  await expect(page).toHaveURL(/outcome=answered/);
  await page.getByLabel("Agent").click();
  await page.getByRole("option", { name: "user/1001" }).click();
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows).toHaveCount(3);
  await page.getByLabel("Number", { exact: true }).fill("not a number");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page.getByText("Digits, '+', '*' or '#' only")).toBeVisible();
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(rows).toHaveCount(8);
  // The filtered view survives a reload.
  await page.getByLabel("Number", { exact: true }).fill("4420794600");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(/number=4420794600/);
  await page.reload();
  await expect(rows).toHaveCount(8);
  await expect(page.getByLabel("Number", { exact: true })).toHaveValue("4420794600");

  await page.goto(`${app().baseURL}/calls/seed-call-0`);
  await expect(page.getByTestId("trace-step")).toHaveCount(9);
  await expect(page.getByText("Left by “acquired”")).toBeVisible();
  await screenshot(page, "call");
});

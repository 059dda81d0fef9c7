import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { blank, connect, dropNode, nodeId, openNewFlow, settled } from "../fixtures/editor";
import { seedCallCentre } from "../fixtures/seed";
import { ADMIN, expect, screenshot, signIn, test, useApp } from "../fixtures/test";

const app = useApp({ admin: ADMIN, seed: seedCallCentre });

test.beforeEach(async ({ page }) => {
  await signIn(page, app(), ADMIN);
});

test("draw start → queue → ring group → bridge with voicemail, fix an error, publish, reload, roll back", async ({
  page,
}) => {
  const flowId = await openNewFlow(page, app(), "Drawn by hand");
  const start = page.getByTestId("node-start");
  const queue = await dropNode(page, "queue", 250, 200);
  const ring = await dropNode(page, "ringGroup", 250, 600);
  const bridge = await dropNode(page, "bridge", 600, 200);
  const mailbox = await dropNode(page, "voicemail", 600, 600);
  // Everything in view before wiring (a drag near the border pans the canvas).
  await page.getByRole("button", { name: "Fit the flow in view" }).click();
  await settled(page);

  await connect(page, start, "next", queue);
  await connect(page, queue, "acquired", ring);
  await connect(page, queue, "timeout", mailbox);
  await connect(page, ring, "answered", bridge);
  await connect(page, ring, "noAnswer", mailbox);
  await connect(page, bridge, "failed", mailbox);
  await expect(page.locator(".react-flow__edge")).toHaveCount(6);
  await page.getByRole("button", { name: "Tidy up (auto-layout)" }).click();
  await settled(page);
  // Away from the borders, where holding a connection pans the canvas.
  await page.getByRole("button", { name: "Zoom out" }).click();
  await settled(page);

  // Connections core refuses are refused on the canvas, with the reason shown.
  await connect(page, queue, "acquired", mailbox, async () => {
    await expect(page.getByTestId("connection-refusal")).toContainText("already leads to");
  });
  await connect(page, bridge, "completed", bridge, async () => {
    await expect(page.getByTestId("connection-refusal")).toContainText("straight back to itself");
  });
  await expect(page.getByTestId("connection-refusal")).toHaveCount(0);
  await expect(page.locator(".react-flow__edge")).toHaveCount(6);

  // The queue has no queue id yet: an error on the node, and Publish says so.
  await expect(queue).toHaveAttribute("data-problem", "error");
  await expect(page.getByTestId("publish-button")).toBeDisabled();
  await queue.click();
  await page.getByRole("combobox", { name: "Queue" }).click();
  await page.getByRole("option", { name: "Support (support)" }).click();
  await expect(queue).not.toHaveAttribute("data-problem", "error");
  // A prompt left at its default says what will be played, not "None".
  const offer = page.locator('[data-field="callbackPrompt"]');
  await expect(offer.getByRole("radio", { name: "Default" })).toHaveAttribute(
    "aria-checked",
    "true",
  );
  await expect(offer.getByTestId("variant-default")).toContainText(
    "Spoken text: “Your estimated wait is {ewt}.",
  );

  await ring.click();
  const settings = page.getByRole("form", { name: "Node settings" });
  await settings.getByRole("button", { name: "Add" }).first().click();
  await page.getByLabel("Destinations 1", { exact: true }).fill("user/1001");
  await mailbox.click();
  await page.getByLabel("Mailbox").fill("7000");
  await start.click();
  await settings.getByRole("button", { name: "Add" }).click();
  await page.getByLabel("Numbers 1", { exact: true }).fill("7400");
  await expect(page.getByTestId("publish-button")).toBeEnabled();
  await expect(page.getByTestId("problems-button")).toContainText("0 errors");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "saved");

  // Publish with a comment.
  await page.getByTestId("publish-button").click();
  const publish = page.getByRole("dialog");
  await expect(publish.getByRole("button", { name: "Publish" })).toBeDisabled();
  await publish.getByLabel("What changed, and why?").fill("First version, drawn in the browser");
  await publish.getByRole("button", { name: "Publish" }).click();
  await expect(publish).toBeHidden();
  await expect
    .poll(async () => (await app().db.versions.list(flowId)).map((v) => v.version))
    .toEqual([1]);

  // Reload: the canvas comes back exactly, viewport included.
  const zoom = await page.getByTestId("zoom-level").textContent();
  const box = await queue.boundingBox();
  await page.reload();
  await expect(page.locator(".react-flow__node")).toHaveCount(5);
  await expect(page.locator(".react-flow__edge")).toHaveCount(6);
  await expect(page.getByTestId("zoom-level")).toHaveText(zoom ?? "");
  const again = page.getByTestId(`node-${await nodeId(queue)}`);
  expect(await again.boundingBox()).toEqual(box);

  // A second version, then roll back to the first.
  await again.click();
  await page.getByLabel("Calls at once").fill("3");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "saved");
  await page.getByTestId("publish-button").click();
  await page.getByRole("dialog").getByLabel("What changed, and why?").fill("Three at once");
  await page.getByRole("dialog").getByRole("button", { name: "Publish" }).click();
  await page.getByRole("tab", { name: "Versions" }).click();
  await expect(page.getByTestId("version-2")).toContainText("Live");
  await page.getByRole("button", { name: "Roll back to version 1" }).click();
  await expect(page.getByTestId("version-3")).toContainText("Live");
  const v3 = await app().db.versions.get({ flowId, version: 3 });
  const v1 = await app().db.versions.get({ flowId, version: 1 });
  expect(v3?.graph).toEqual(v1?.graph);

  // The version opens read-only on the canvas.
  await page.getByRole("button", { name: "Open version 1" }).click();
  await expect(page.getByTestId("flow-editor")).toHaveAttribute("data-view", "version");
  await expect(page.getByTestId("publish-button")).toHaveCount(0);
  await page.getByRole("button", { name: "Back to the draft" }).first().click();
  await expect(page.getByTestId("flow-editor")).toHaveAttribute("data-view", "draft");
});

test("undo and redo a deletion; import a broken file and see every error", async ({ page }) => {
  await openNewFlow(page, app(), "Undo and import");
  const hangup = await dropNode(page, "hangup", 500, 300);
  await hangup.click();
  await page.keyboard.press("Delete");
  await expect(page.locator("[data-node-type=hangup]")).toHaveCount(0);
  await page.keyboard.press("Control+z");
  await expect(page.locator("[data-node-type=hangup]")).toHaveCount(1);
  await page.keyboard.press("Control+Shift+z");
  await expect(page.locator("[data-node-type=hangup]")).toHaveCount(0);

  const file = join(tmpdir(), `broken-flow-${Date.now()}.json`);
  await writeFile(
    file,
    JSON.stringify({
      schemaVersion: 1,
      nodes: [
        { id: "start", type: "start", position: { x: 0, y: 0 }, data: { numbers: ["7500"] } },
        { id: "q", type: "queue", position: { x: 300, y: 0 }, data: { queueId: "has spaces" } },
        { id: "x", type: "teleport", position: { x: 600, y: 0 }, data: {} },
      ],
      edges: [{ id: "e1", source: "start", sourceHandle: "next", target: "gone" }],
    }),
  );
  await page.getByRole("button", { name: "Import a flow file" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByTestId("import-file").setInputFiles(file);
  await expect(dialog.getByRole("alert")).toContainText("Nothing was imported");
  const problems = dialog.getByTestId("import-problems");
  await expect(problems).toContainText("queueId");
  await expect(problems).toContainText('unknown type "teleport"');
  await expect(problems).toContainText("missing node gone");
  await expect(dialog.getByRole("button", { name: "Replace the draft" })).toBeDisabled();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(page.locator(".react-flow__node")).toHaveCount(1);
});

test("the business-hours template, and a call's path shown on its flow", async ({ page }) => {
  const flow = await app().db.flows.create({ name: "Front desk", draftGraph: blank });
  await page.goto(`${app().baseURL}/flows/${flow.id}/edit`);
  await page.getByTestId("template-business-hours-menu").click();
  await expect(page.locator(".react-flow__node")).toHaveCount(9);
  await settled(page);
  await page.getByTestId("node-menu").click();
  await expect(page.getByTestId("problems-button")).toContainText("0 errors");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-status", "saved");
  await screenshot(page, "editor");

  await page.goto(`${app().baseURL}/calls/seed-call-0`);
  await page.getByRole("link", { name: "Show on flow" }).click();
  await expect(page.getByTestId("flow-editor")).toHaveAttribute("data-view", "execution");
  await expect(page.getByTestId("node-queue")).toContainText(/\d+(\.\d)? s|min/);
  await expect(page.getByTestId("node-bye")).toHaveClass(/opacity-40/);
});

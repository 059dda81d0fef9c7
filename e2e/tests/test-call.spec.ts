import { type RunningApp, startApp } from "../fixtures/app";
import { startTelephony, type Telephony } from "../fixtures/telephony";
import { ADMIN, expect, screenshot, signIn, test } from "../fixtures/test";

/** Greets, asks for a key, rings two agents on 1 and bridges; voicemail when nobody answers. */
const draft = {
  schemaVersion: 1,
  nodes: [
    {
      id: "start",
      type: "start",
      position: { x: 0, y: 120 },
      data: { label: "Support line", numbers: ["7000"] },
    },
    {
      id: "welcome",
      type: "announce",
      position: { x: 320, y: 120 },
      data: {
        label: "Welcome",
        message: { kind: "speech", text: "Thanks for calling {destination_number}." },
      },
    },
    {
      id: "menu",
      type: "menu",
      position: { x: 640, y: 120 },
      data: {
        label: "Main menu",
        prompt: { kind: "speech", text: "For sales, press 1." },
        options: [{ digit: "1", label: "Sales" }],
        timeoutSeconds: 20,
      },
    },
    {
      id: "sales",
      type: "ringGroup",
      position: { x: 960, y: 40 },
      data: {
        label: "Sales team",
        targets: { kind: "destinations", destinations: ["user/1001", "user/1002"] },
        mode: "parallel",
        legTimeoutSeconds: 15,
        totalTimeoutSeconds: 20,
      },
    },
    {
      id: "connect",
      type: "bridge",
      position: { x: 1280, y: 40 },
      data: { to: { kind: "answeredLeg" } },
    },
    { id: "bye", type: "hangup", position: { x: 1600, y: 40 }, data: {} },
    { id: "mailbox", type: "voicemail", position: { x: 1280, y: 260 }, data: { mailbox: "7000" } },
  ],
  edges: [
    { id: "e1", source: "start", sourceHandle: "next", target: "welcome" },
    { id: "e2", source: "welcome", sourceHandle: "next", target: "menu" },
    { id: "e3", source: "menu", sourceHandle: "1", target: "sales" },
    { id: "e4", source: "menu", sourceHandle: "timeout", target: "mailbox" },
    { id: "e5", source: "menu", sourceHandle: "invalid", target: "mailbox" },
    { id: "e6", source: "sales", sourceHandle: "answered", target: "connect" },
    { id: "e7", source: "sales", sourceHandle: "noAnswer", target: "mailbox" },
    { id: "e8", source: "connect", sourceHandle: "completed", target: "bye" },
    { id: "e9", source: "connect", sourceHandle: "failed", target: "mailbox" },
  ],
};

let telephony: Telephony;
let app: RunningApp;
let flowId: string;

test.beforeAll(async () => {
  telephony = await startTelephony({});
  app = await startApp({
    admin: ADMIN,
    env: { RINGFLOW_SIM_CONTROL_URL: telephony.controlUrl },
    seed: async (db) => {
      flowId = (await db.flows.create({ name: "Support line", draftGraph: draft })).id;
    },
  });
  await telephony.startWorker(app.databaseUrl);
});
test.afterAll(async () => {
  await app?.stop();
  await telephony?.stop();
});

test("a test call runs the unpublished draft: keys, agents' phones and the path lit up on the canvas", async ({
  page,
}) => {
  await signIn(page, app, ADMIN);
  await page.goto(`${app.baseURL}/flows/${flowId}/edit`);
  await page.getByRole("tab", { name: "Test" }).click();
  const panel = page.getByTestId("test-call-panel");
  await expect(panel.getByTestId("phone-1001")).toBeVisible();

  // 1001 is busy, 1002 answers.
  await panel.getByTestId("phone-1001").getByRole("button", { name: "Busy" }).click();
  await expect(
    panel.getByTestId("phone-1001").getByRole("button", { name: "Busy" }),
  ).toHaveAttribute("aria-pressed", "true");
  await panel.getByTestId("phone-1002").getByRole("button", { name: "Answers" }).click();

  await panel.getByRole("button", { name: "Call", exact: true }).click();
  // The canvas follows the call: it greets (the words written out) and waits in the menu.
  const editor = page.getByTestId("flow-editor");
  await expect(editor).toHaveAttribute("data-view", "execution");
  await expect(page.getByText("on the draft")).toBeVisible();
  await expect(panel.getByText("Said “Thanks for calling 7000.”")).toBeVisible();
  await expect(page.getByTestId("node-menu")).toHaveAttribute("data-current", "true");
  await expect(page.getByTestId("node-welcome")).toHaveAttribute("data-visited", "true");
  await expect(page.getByTestId("node-mailbox")).not.toHaveAttribute("data-visited", "true");

  // The caller presses 1: the sales team rings, 1002 answers and is bridged.
  await panel.getByRole("button", { name: "Press 1" }).click();
  await expect(panel.getByTestId("test-call-status")).toHaveText(/Talking to 1002/, {
    timeout: 15_000,
  });
  await expect(page.getByTestId("node-connect")).toHaveAttribute("data-current", "true");
  await expect(page.getByTestId("node-sales")).toHaveAttribute("data-visited", "true");
  await screenshot(page, "test-call");

  await panel.getByRole("button", { name: "Hang up" }).click();
  await expect(panel.getByTestId("test-call-status")).toHaveText("Call ended");
  await expect(panel.getByTestId("test-call-outcome")).toHaveText("Answered");
  await expect(page.getByTestId("node-connect")).not.toHaveAttribute("data-current", "true");

  // Nothing was published, and the call is in the history with the draft's path.
  expect(await app.db.versions.page({ flowId, limit: 5 })).toMatchObject({ items: [] });
  const calls = await app.db.calls.page({ limit: 5 });
  expect(calls.items[0]).toMatchObject({
    flowId,
    flowVersion: null,
    outcome: "answered",
    agentContact: "user/1002",
  });
});

test("a draft with errors is refused before anything rings, and says where to look", async ({
  page,
}) => {
  await app.db.flows.saveDraft({
    id: flowId,
    draftGraph: {
      ...draft,
      nodes: draft.nodes.map((n) => (n.id === "sales" ? { ...n, data: {} } : n)),
    },
  });
  await signIn(page, app, ADMIN);
  await page.goto(`${app.baseURL}/flows/${flowId}/edit`);
  await page.getByRole("tab", { name: "Test" }).click();
  const panel = page.getByTestId("test-call-panel");
  const channelsBefore = telephony.sim.channels().length;
  await panel.getByRole("button", { name: "Call", exact: true }).click();
  await expect(panel.getByRole("alert")).toHaveText(/draft has errors.*Problems/);
  expect(telephony.sim.channels().length).toBe(channelsBefore);
});

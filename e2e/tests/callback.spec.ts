import type { FsSim } from "@ringflow/fs-sim";
import { type RunningApp, startApp } from "../fixtures/app";
import { startTelephony, type Telephony, workerLogged } from "../fixtures/telephony";
import { ADMIN, expect, screenshot, signIn, test } from "../fixtures/test";

/**
 * start → queue "sales" (one slot; a callback is offered at the first
 * announcement, 10 s in) → ring the Sales team → bridge; a caller who takes
 * the callback hears a thank-you and is hung up.
 */
function callbackLineGraph(agentGroupId: string) {
  const node = (id: string, type: string, x: number, y: number, data: object) => ({
    id,
    type,
    position: { x, y },
    data,
  });
  return {
    schemaVersion: 1,
    nodes: [
      node("start", "start", 0, 0, { numbers: ["7000"] }),
      node("queue", "queue", 220, 0, {
        label: "Sales line",
        queueId: "sales",
        maxConcurrent: 1,
        timeoutSeconds: 3600,
        announceEverySeconds: 10,
        callbackOfferSeconds: 0,
        // Short prompts: the simulator speaks at 65 ms a character.
        callbackPrompt: { kind: "speech", text: "Wait {ewt}, or press 1 to be called back." },
        callbackConfirmPrompt: {
          kind: "speech",
          text: "We will call {callback_number}. Press 1 to confirm.",
        },
        callbackMaxAttempts: 3,
        callbackRetrySeconds: 10,
      }),
      node("ring", "ringGroup", 440, 0, {
        targets: { kind: "agentGroup", agentGroupId },
        mode: "parallel",
        legTimeoutSeconds: 30,
        totalTimeoutSeconds: 30,
      }),
      node("connect", "bridge", 660, 0, { to: { kind: "answeredLeg" } }),
      node("thanks", "announce", 440, 200, {
        message: { kind: "speech", text: "Thank you. Goodbye." },
      }),
      node("bye", "hangup", 880, 0, {}),
    ],
    edges: [
      { id: "e1", source: "start", sourceHandle: "next", target: "queue" },
      { id: "e2", source: "queue", sourceHandle: "acquired", target: "ring" },
      { id: "e3", source: "queue", sourceHandle: "timeout", target: "bye" },
      { id: "e4", source: "queue", sourceHandle: "callback", target: "thanks" },
      { id: "e5", source: "thanks", sourceHandle: "next", target: "bye" },
      { id: "e6", source: "ring", sourceHandle: "answered", target: "connect" },
      { id: "e7", source: "ring", sourceHandle: "noAnswer", target: "bye" },
      { id: "e8", source: "connect", sourceHandle: "completed", target: "bye" },
      { id: "e9", source: "connect", sourceHandle: "failed", target: "bye" },
    ],
  };
}

/** Waits until the caller hears a prompt containing `text` and is asked for keys, then presses `digits`. */
async function answerPrompt(sim: FsSim, uuid: string, text: string, digits: string) {
  const app = () => sim.channel(uuid)?.variables ?? {};
  await expect
    .poll(
      () =>
        app().current_application === "speak" &&
        (app().current_application_data ?? "").includes(text),
      { message: `the prompt "${text}"`, timeout: 20_000, intervals: [50] },
    )
    .toBe(true);
  await expect
    .poll(() => app().current_application, {
      message: `keys asked for after "${text}"`,
      timeout: 10_000,
      intervals: [50],
    })
    .toBe("play_and_get_digits");
  sim.sendDtmf(uuid, digits);
}

let telephony: Telephony;
let app: RunningApp;

test.beforeAll(async () => {
  telephony = await startTelephony({
    env: {
      // The customer is a phone of the simulator; a killed worker's claim runs out in 2 s;
      // a callback that finds every agent busy tries again a second later.
      CALLBACK_DIAL_TEMPLATE: "user/{number}",
      CALLBACK_LEASE_MS: "2000",
      CALLBACK_POLL_MS: "200",
      CALLBACK_NO_AGENT_RETRY_MS: "1000",
      CALLBACK_DIALS_PER_MINUTE: "60",
      // "callback request given back" is a debug line.
      LOG_LEVEL: "debug",
    },
  });
  app = await startApp({
    admin: ADMIN,
    telephony,
    seed: async (db) => {
      const alice = await db.agents.create({ contact: "user/1001", name: "Alice" });
      const team = await db.groups.create({ name: "Sales team", agentIds: [alice.id] });
      await db.queues.save({ id: "sales", name: "Sales", maxConcurrent: 1 });
      // Calls here take three minutes: the estimate the offer is made on.
      await db.queueStates.saveHandleTime("sales", { ewmaMs: 180_000, samples: 50 });
      const flow = await db.flows.create({
        name: "Sales line",
        draftGraph: callbackLineGraph(team.id),
      });
      await db.versions.publish({ flowId: flow.id, publishedBy: "seed" });
      await db.routes.set({ number: "7000", flowId: flow.id });
    },
  });
});
test.afterAll(async () => {
  await app?.stop();
  await telephony?.stop();
});

test("a caller takes a callback and hangs up; the worker is SIGKILLed and restarted; once the agent is free the caller is called back and bridged", async ({
  page,
}) => {
  test.setTimeout(90_000);
  const { sim } = telephony;
  // Alice talks until hung up; so does Ann when called back.
  sim.users.set("1001", { behaviour: { answerAfterMs: 300 } });
  sim.users.set("1010", { behaviour: { answerAfterMs: 500 } });
  await signIn(page, app, ADMIN);
  await page.goto(`${app.baseURL}/wallboard`);
  const marker = page.getByTestId("live-marker");
  await expect(marker).toHaveAttribute("data-state", "live", { timeout: 30_000 });
  const tile = page.locator('[data-testid="queue-tile"][data-queue-id="sales"]');
  // The figure, not its label.
  const pending = tile.getByTestId("callbacks-pending").locator("span").first();
  const alice = page.getByTestId("agent-row").filter({ hasText: "Alice" });

  // The first caller talks to Alice, the one agent, holding the one slot.
  const first = sim.placeCall({ from: "+442079460700", to: "7000" });
  const firstBridged = await sim.waitForChannel(
    (c) => c.uuid === first.uuid && c.bridgedTo !== undefined,
    { timeoutMs: 15_000 },
  );
  const aliceLeg = firstBridged.bridgedTo ?? "";
  await expect(tile.getByText("1 / 1")).toBeVisible({ timeout: 15_000 });
  await expect(alice).toHaveAttribute("data-bucket", "inCall");

  // Ann waits; at the first announcement she is offered a callback, takes
  // it (1) on her own number (1), is thanked and let go.
  const ann = sim.placeCall({ from: "1010", fromName: "Ann", to: "7000" });
  await expect(tile.locator(`[data-call-uuid="${ann.uuid}"]`)).toBeVisible({ timeout: 15_000 });
  await answerPrompt(sim, ann.uuid, "press 1", "1");
  await answerPrompt(sim, ann.uuid, "Press 1 to confirm", "1");
  const annCall = await ann.result;
  expect(annCall.answered).toBe(true);
  // Her call's record is closed (records go to the database in batches):
  // a worker killed sooner would leave it to the next one to close as lost.
  await expect
    .poll(async () => (await app.db.calls.get(ann.uuid))?.outcome ?? null, { timeout: 15_000 })
    .toBe("callback");
  const [request] = await app.db.callbacks.listOpen({ queueId: "sales" });
  expect(request).toMatchObject({ number: "1010", callerName: "Ann", callUuid: ann.uuid });
  const requestId = request?.id ?? "";
  // The board shows the request; it keeps Ann's place in line.
  await expect(pending).toHaveText("1", { timeout: 15_000 });
  // In line, the request shows the number it will call.
  const waitingCallback = tile.locator(`[data-call-uuid="callback:${requestId}"]`);
  await expect(waitingCallback).toContainText("1010");
  // Marked as a callback, not a caller on the line.
  await expect(waitingCallback.getByTestId("callback-mark")).toBeVisible();
  await screenshot(page, "callback-pending");

  // The worker dies without a word; Alice and the first caller talk on (the
  // switch keeps a bridge when the worker's socket goes).
  await telephony.killWorker();
  await expect(marker).not.toHaveAttribute("data-state", "live", { timeout: 15_000 });
  expect(sim.channel(first.uuid)?.bridgedTo).toBe(aliceLeg);
  const restartedAt = telephony.workerOutput.length;
  await telephony.startWorker();
  await expect(marker).toHaveAttribute("data-state", "live", { timeout: 30_000 });

  // The new worker takes the request back once the dead one's lease runs
  // out, but finds Alice still on her call: she is not rung, nor is Ann.
  await expect
    .poll(
      () => workerLogged(telephony, "took back callback requests whose lease ran out", restartedAt),
      {
        timeout: 15_000,
      },
    )
    .not.toHaveLength(0);
  await expect
    .poll(() => workerLogged(telephony, "callback request given back", restartedAt), {
      timeout: 15_000,
    })
    .not.toHaveLength(0);
  const callbackLegs = () =>
    sim.channels().filter((c) => c.variables.ringflow_callback === requestId);
  expect(callbackLegs()).toEqual([]);
  await expect(alice).toHaveAttribute("data-bucket", "inCall");
  await expect(pending).toHaveText("1");

  // Alice finishes her call: she is rung for the callback, then Ann is called and the two are bridged.
  sim.hangup(aliceLeg, "NORMAL_CLEARING");
  const agentLeg = await sim.waitForChannel(
    (c) => c.dialedUser === "1001" && c.variables.ringflow_callback === requestId,
    { timeoutMs: 15_000 },
  );
  expect(agentLeg.variables.origination_caller_id_name).toBe("Callback Ann");
  const customerLeg = await sim.waitForChannel(
    (c) =>
      c.dialedUser === "1010" &&
      c.variables.ringflow_callback === requestId &&
      c.answerState === "answered" &&
      (c.bridgedTo === agentLeg.uuid || sim.channel(agentLeg.uuid)?.bridgedTo === c.uuid),
    { timeoutMs: 15_000 },
  );
  await expect
    .poll(async () => (await app.db.callbacks.get(requestId))?.status, { timeout: 15_000 })
    .toBe("completed");
  expect(await app.db.callbacks.get(requestId)).toMatchObject({ attempts: 0, leaseOwner: null });
  // The board: nothing pending, the callback holds the slot while they talk.
  await expect(pending).toHaveText("0", { timeout: 15_000 });
  await expect(tile.getByText("1 / 1")).toBeVisible();
  await expect(alice).toHaveAttribute("data-bucket", "inCall");

  // Ann hangs up: the slot is free, nothing is left on the switch.
  sim.hangup(customerLeg.uuid, "NORMAL_CLEARING");
  await expect(tile.getByText("0 / 1")).toBeVisible({ timeout: 15_000 });
  for (const c of sim.channels()) sim.hangup(c.uuid);
  await expect.poll(() => sim.channels().length, { timeout: 15_000 }).toBe(0);

  // Call history: Ann's call ended in a callback request; the first call,
  // cut off from its worker, was closed as lost by the next one.
  await page.goto(`${app.baseURL}/calls`);
  const rows = page.getByTestId("call-row");
  await expect(rows).toHaveCount(2, { timeout: 15_000 });
  await expect(
    rows.filter({ hasText: "1010" }).filter({ hasText: "Callback requested" }),
  ).toHaveCount(1);
  await expect(
    rows.filter({ hasText: "+442079460700" }).filter({ hasText: "Worker lost" }),
  ).toHaveCount(1);

  // The Callbacks page: nobody waits; Ann's request ended called back, at the first attempt.
  await page.goto(`${app.baseURL}/callbacks`);
  await expect(page.getByText("No one is waiting for a callback")).toBeVisible();
  await page.getByRole("tab", { name: "Ended (last 24 h)" }).click();
  const ended = page.getByTestId("callback-row");
  await expect(ended).toHaveCount(1);
  await expect(ended).toContainText("1010");
  await expect(ended).toContainText("Ann");
  await expect(ended).toContainText("Called back");
  await expect(ended).toContainText("0 of 3");
  await expect(ended).toContainText("Bridged to an agent");
});

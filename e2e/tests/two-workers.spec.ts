import { randomBytes } from "node:crypto";
import { type RunningApp, startApp } from "../fixtures/app";
import { putThroughLineGraph } from "../fixtures/seed";
import { startTelephony, type Telephony } from "../fixtures/telephony";
import { ADMIN, expect, signIn, test } from "../fixtures/test";

/** One shared queue of two slots; a caller with a slot is put through to the hunt line 1001. */
const sharedLine = putThroughLineGraph({
  label: "Shared line",
  queueId: "shared",
  maxConcurrent: 2,
  timeoutSeconds: 120,
  numbers: ["7000", "7001"],
});

let telephony: Telephony;
let app: RunningApp;

test.beforeAll(async () => {
  telephony = await startTelephony({
    workers: 2,
    env: {
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_KEY_PREFIX: `e2e-${randomBytes(4).toString("hex")}:`,
      WORKER_LIVENESS_MS: "2000",
      FLOW_POLL_MS: "500",
    },
  });
  app = await startApp({
    admin: ADMIN,
    seed: async (db) => {
      const flow = await db.flows.create({ name: "Shared line", draftGraph: sharedLine });
      await db.versions.publish({ flowId: flow.id, publishedBy: "seed" });
      for (const number of ["7000", "7001"]) await db.routes.set({ number, flowId: flow.id });
    },
  });
  await telephony.startWorker(app.databaseUrl);
});
test.afterAll(async () => {
  await app?.stop();
  await telephony?.stop();
});

test("two workers share one queue; SIGKILL one with callers in its slots: the line moves on, nothing stuck, every call recorded", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const { sim } = telephony;
  sim.users.set("1001", { behaviour: { answerAfterMs: 300 } }); // talks until hung up
  // Worker 1 (even numbers) puts two callers through: both slots held.
  const held = [0, 1].map((i) => sim.placeCall({ from: `+44207946030${i}`, to: "7000" }));
  for (const call of held) {
    await sim.waitForChannel((c) => c.uuid === call.uuid && c.bridgedTo !== undefined, {
      timeoutMs: 15_000,
    });
  }
  // Worker 2 (odd numbers) has a caller waiting in the same line.
  const waiting = sim.placeCall({ from: "+442079460310", to: "7001" });
  await expect
    .poll(async () => (await app.db.calls.get(waiting.uuid))?.enqueuedAt ?? null, {
      timeout: 10_000,
    })
    .not.toBeNull();
  expect(sim.channel(waiting.uuid)?.bridgedTo).toBeUndefined();

  await telephony.killWorker(0);
  const killedAt = Date.now();
  // Its two callers stay bridged on the switch (FreeSWITCH keeps a bridge
  // when the socket closes); the live worker closes their records as
  // workerLost, and the dead worker's slots come free within the lease
  // (15 s): the live worker's caller is put through.
  for (const call of held) {
    await expect
      .poll(async () => (await app.db.calls.get(call.uuid))?.outcome ?? null, { timeout: 15_000 })
      .toBe("workerLost");
  }
  const putThrough = await sim.waitForChannel(
    (c) => c.uuid === waiting.uuid && c.bridgedTo !== undefined,
    { timeoutMs: 20_000 },
  );
  expect(Date.now() - killedAt).toBeLessThan(18_000);
  await sim.waitForChannel((c) => c.uuid === putThrough.bridgedTo && c.answerState === "answered");

  // Everyone hangs up: no channel is left on the switch, every call has a final record.
  for (const call of [...held, waiting]) if (sim.channel(call.uuid)) sim.hangup(call.uuid);
  await expect.poll(() => sim.channels().length, { timeout: 15_000 }).toBe(0);
  for (const call of [...held, waiting]) {
    await expect
      .poll(async () => (await app.db.calls.get(call.uuid))?.outcome ?? null, { timeout: 20_000 })
      .not.toBeNull();
  }
  expect((await app.db.calls.get(waiting.uuid))?.outcome).toBe("answered");

  // Call history shows all three, none still in progress.
  await signIn(page, app, ADMIN);
  await page.goto(`${app.baseURL}/calls`);
  await expect(page.getByTestId("call-row")).toHaveCount(3);
  await expect(page.getByTestId("call-row").filter({ hasText: "In progress" })).toHaveCount(0);
});

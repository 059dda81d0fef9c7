import type { FlowGraph } from "@ringflow/core/flow";
import { type Db, wholeCallRecord } from "@ringflow/db";
import { type BoardQueueSeed, seedBoard } from "../fixtures/board-seed";
import { ADMIN, expect, screenshot, signIn, test, useApp } from "../fixtures/test";

/**
 * The wall-board's pictures (docs/screenshots/wallboard.png and
 * wallboard-tv.png with RINGFLOW_DOCS_SCREENSHOTS=1): a busy afternoon —
 * the last four hours of calls are seeded as records, and what is live now
 * comes from real calls through fs-sim and the worker.
 */
let contact = 1000;
const team = (...names: string[]) => names.map((name) => ({ name, contact: `user/${++contact}` }));
const QUEUES: BoardQueueSeed[] = [
  {
    queueId: "support",
    name: "Support",
    number: "7000",
    maxConcurrent: 3,
    vipNumbers: ["+4477*"],
    agents: team("Alice Martin", "Bob Nguyen", "Carol Diaz", "Dev Patel", "Eve Kowalski"),
  },
  {
    queueId: "sales",
    name: "Sales",
    number: "7001",
    maxConcurrent: 2,
    agents: team("Farah Ali", "Gus Larsen", "Hana Sato"),
  },
  {
    queueId: "billing",
    name: "Billing",
    number: "7002",
    maxConcurrent: 1,
    agents: team("Ivan Petrov", "Jo Brennan"),
  },
];

/** Four hours of finished calls per queue, busier mid-afternoon, with each queue's own pace. */
async function seedHistory(db: Db<FlowGraph>): Promise<void> {
  const now = Date.now();
  const records = [];
  for (const [q, queue] of QUEUES.entries()) {
    const calls = [150, 90, 45][q] ?? 40;
    for (let i = 0; i < calls; i++) {
      const startedAt = now - 4 * 3_600_000 + Math.round((i / calls) * 4 * 3_600_000) + q * 3_000;
      const busy = Math.sin((i / calls) * Math.PI * 1.6 + q) + 1; // 0..2
      const waitMs = Math.round(
        3_000 + busy * ([14_000, 22_000, 9_000][q] ?? 10_000) + ((i * 7919) % 9_000),
      );
      const outcome =
        (i * 13 + q) % 17 === 0 ? "abandoned" : (i * 7) % 61 === 0 ? "timeout" : "answered";
      records.push(
        wholeCallRecord({
          callUuid: `history-${queue.queueId}-${i}`,
          numberDialled: queue.number,
          callerNumber: `+44161496${String(i).padStart(4, "0")}`,
          queueId: queue.queueId,
          startedAt: new Date(startedAt),
          enqueuedAt: new Date(startedAt + 600),
          waitMs,
          acquiredAt: outcome === "answered" ? new Date(startedAt + 600 + waitMs) : null,
          answeredAt: outcome === "answered" ? new Date(startedAt + 4_000 + waitMs) : null,
          endedAt: new Date(startedAt + waitMs + 180_000),
          outcome,
          agentContact:
            outcome === "answered"
              ? (queue.agents[i % queue.agents.length]?.contact ?? null)
              : null,
          workerId: "worker-1",
        }),
      );
    }
    // What the worker has learnt of handle times (it keeps this across restarts).
    await db.queueStates.saveHandleTime(queue.queueId, {
      ewmaMs: [210_000, 300_000, 150_000][q] ?? 200_000,
      samples: 80,
    });
  }
  await db.calls.saveBatch({ records, traces: [] });
}

const app = useApp({
  admin: ADMIN,
  worker: true,
  seed: async (db) => {
    await seedBoard(db, QUEUES);
    await seedHistory(db);
  },
});

test.use({ viewport: { width: 1680, height: 1050 } });

test("a busy wall-board, for people and on a TV", async ({ page, browser }) => {
  // It makes the docs' pictures; the board's behaviour is wallboard.spec's.
  // In the fresh-clone CI run of 2026-12-07 its scene did not come about
  // (the support callers were not left waiting) once the live engine was
  // merged: run it by hand until that is understood.
  test.skip(
    process.env.RINGFLOW_DOCS_SCREENSHOTS !== "1",
    "makes docs/screenshots/wallboard*.png: run with RINGFLOW_DOCS_SCREENSHOTS=1",
  );
  test.setTimeout(120_000);
  const running = app().worker;
  if (!running) throw new Error("no worker");
  const { sim } = running;
  for (const queue of QUEUES) running.route(queue.number);
  // Most agents answer after a few seconds and talk for minutes; the rest ring unanswered.
  for (const [i, agent] of QUEUES.flatMap((q) => q.agents).entries()) {
    const id = agent.contact.slice("user/".length);
    sim.users.set(id, {
      behaviour: i % 5 === 3 ? {} : { answerAfterMs: 1_500 + i * 300, hangupAfterMs: 600_000 },
    });
  }
  await signIn(page, app(), ADMIN);
  await page.goto(`${app().baseURL}/wallboard`);
  await expect(page.getByTestId("live-marker")).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });

  // One agent takes a break, from the board.
  await page.getByRole("button", { name: "Change Eve Kowalski's status" }).click();
  await page.getByRole("menuitem", { name: "On break" }).click();
  await expect(page.getByText(/Eve Kowalski: on break/)).toBeVisible();

  const callers = [
    ...Array.from({ length: 9 }, (_, i) => ({ to: "7000", from: `+4420794${60100 + i * 37}` })),
    { to: "7000", from: "+447700900461" },
    ...Array.from({ length: 6 }, (_, i) => ({ to: "7001", from: `+4413149${60200 + i * 53}` })),
    ...Array.from({ length: 3 }, (_, i) => ({ to: "7002", from: `+4429201${80300 + i * 71}` })),
  ];
  for (const caller of callers) {
    sim.placeCall(caller);
    await page.waitForTimeout(400);
  }
  const support = page.locator('[data-testid="queue-tile"][data-queue-id="support"]');
  await expect(support.getByTestId("vip-mark")).toBeVisible({ timeout: 20_000 });
  await page.waitForTimeout(8_000); // waits grow; agents answer
  await screenshot(page, "wallboard");

  const made = await page.request.post(`${app().baseURL}/api/trpc/wallboard.tokens.create`, {
    data: { json: { name: "Floor TV" } },
    headers: { origin: app().baseURL },
  });
  const token = ((await made.json()) as { result: { data: { json: { token: string } } } }).result
    .data.json.token;
  const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const tv = await tvContext.newPage();
  await tv.goto(`${app().baseURL}/tv?token=${token}`);
  await expect(tv.getByTestId("live-marker")).toHaveAttribute("data-state", "live", {
    timeout: 30_000,
  });
  await tv.waitForTimeout(2_000);
  await screenshot(tv, "wallboard-tv");
  await tvContext.close();
  for (const channel of sim.channels()) sim.hangup(channel.uuid);
});

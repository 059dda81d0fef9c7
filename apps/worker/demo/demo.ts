/**
 * `pnpm --filter @ringflow/worker demo`: the worker at work, on a bare
 * machine. Starts the FreeSWITCH simulator (five times faster than real
 * time) and a worker on a fresh SQLite file seeded with the demo flow
 * (7000: queue "support", two at a time → ring user/1001-1003 in parallel →
 * connect), places a few calls, and prints how each one went.
 *
 * DATABASE_URL=file:... uses that database instead (seeded if it has no demo).
 */
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createDemoFlow, type FlowGraph, parseFlowGraph } from "@ringflow/core/flow";
import { type CallRecord, createDb, DEMO_NUMBER, migrateDatabase, seedDemo } from "@ringflow/db";
import { FsSim } from "@ringflow/fs-sim";
import { createLogger } from "../src/logger.js";
import { Worker } from "../src/worker.js";

const TIME_SCALE = 5;

const CALLERS = [
  { from: "+442079460001", name: "Ada" },
  { from: "+442079460002", name: "Brian" },
  { from: "+442079460003", name: "Chen", hangupAfterMs: 8_000 },
  { from: "+442079460004", name: "Dana" },
  { from: "+442079460005", name: "Emeka", hangupAfterMs: 12_000 },
  { from: "+442079460006", name: "Fatima" },
];

async function main(): Promise<void> {
  const tempDir = process.env.DATABASE_URL
    ? undefined
    : await mkdtemp(path.join(os.tmpdir(), "ringflow-demo-"));
  const databaseUrl = process.env.DATABASE_URL ?? `file:${path.join(tempDir ?? "", "demo.db")}`;
  const say = (text: string) => process.stdout.write(`${text}\n`);

  say(`Database: ${databaseUrl}`);
  await migrateDatabase({ url: databaseUrl });
  const db = await createDb<FlowGraph>({ url: databaseUrl, parseGraph: parseFlowGraph });
  const seeded = await seedDemo(db, { graph: createDemoFlow() });
  say(
    `Demo flow ${seeded.created ? "seeded" : "already there"}: number ${DEMO_NUMBER} → queue "support"`,
  );

  const sim = await FsSim.start({ port: 0, timeScale: TIME_SCALE });
  // The agents' phones, in simulated ms: Alice and Bob answer and talk a
  // while, Carol's phone is busy.
  sim.users.set("1001", { behaviour: { answerAfterMs: 3_000, hangupAfterMs: 15_000 } });
  sim.users.set("1002", { behaviour: { answerAfterMs: 4_000, hangupAfterMs: 20_000 } });
  sim.users.set("1003", { behaviour: { busyAfterMs: 1_000 } });
  say(`FreeSWITCH simulator on 127.0.0.1:${sim.port} (${TIME_SCALE}x real time)`);

  const worker = await Worker.start(
    {
      esl: { host: "127.0.0.1", port: sim.port, password: "ClueCon" },
      listen: { host: "127.0.0.1", port: 0 },
      databaseUrl,
      redis: null,
      workerId: "demo-worker",
      http: { host: "127.0.0.1", port: 0 },
      drainTimeoutMs: 5_000,
      flowPollMs: 1_000,
      workerLivenessMs: 10_000,
      logLevel: "warn",
    },
    {
      log: createLogger({
        level: process.env.LOG_LEVEL === "info" ? "info" : "warn",
        workerId: "demo-worker",
      }),
    },
  );
  sim.dialplan.add(DEMO_NUMBER, [
    { app: "socket", arg: `127.0.0.1:${worker.callPort} async full` },
  ]);
  say(`Worker taking calls on 127.0.0.1:${worker.callPort}`);
  say(`  http://127.0.0.1:${worker.httpPort}/readyz and /metrics while the demo runs\n`);

  const placed: Array<{ uuid: string; name: string; from: string }> = [];
  for (const caller of CALLERS) {
    const call = sim.placeCall({
      from: caller.from,
      fromName: caller.name,
      to: DEMO_NUMBER,
      ...(caller.hangupAfterMs ? { hangupAfterMs: caller.hangupAfterMs } : {}),
    });
    placed.push({ uuid: call.uuid, name: caller.name, from: caller.from });
    say(
      `${caller.name} calls ${DEMO_NUMBER}` +
        (caller.hangupAfterMs ? ` (gives up after ${caller.hangupAfterMs / 1000} s)` : ""),
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000 / TIME_SCALE));
  }

  say("\nWaiting for every call to end...");
  const records = new Map<string, CallRecord>();
  const deadline = Date.now() + 120_000;
  while (records.size < placed.length && Date.now() < deadline) {
    for (const { uuid } of placed) {
      const record = await db.calls.get(uuid);
      if (record?.outcome && !records.has(uuid)) records.set(uuid, record);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  // Waits and times are the worker's real time; the switch ran TIME_SCALE times faster.
  say("\ncaller   outcome     waited   agent       hangup cause");
  for (const { uuid, name } of placed) {
    const record = records.get(uuid);
    if (!record) {
      say(`${name.padEnd(8)} (no record yet)`);
      continue;
    }
    const waited = record.waitMs === null ? "-" : `${(record.waitMs / 1000).toFixed(1)} s`;
    say(
      `${name.padEnd(8)} ${String(record.outcome).padEnd(11)} ${waited.padEnd(8)} ` +
        `${(record.agentContact ?? "-").padEnd(11)} ${record.hangupCause ?? "-"}`,
    );
  }
  const trace = await db.calls.getTrace(placed[0]?.uuid ?? "");
  say(`\n${placed[0]?.name}'s trace (${trace?.totalSteps ?? 0} steps):`);
  for (const step of trace?.steps ?? []) {
    const data = step.data as { output?: string; detail?: { event?: string } } | null;
    const what = data?.output ?? data?.detail?.event ?? "";
    say(`  ${step.kind.padEnd(6)} ${(step.nodeId ?? "").padEnd(10)} ${what}`);
  }

  await worker.stop();
  await sim.stop();
  await db.close();
  if (tempDir) await rm(tempDir, { recursive: true, force: true });
  say("\nDone.");
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

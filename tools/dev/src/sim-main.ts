/**
 * The simulator process of `pnpm dev` / `pnpm start` when no FreeSWITCH is
 * configured: fs-sim on the given ESL port, its control API, every dialled
 * number routed to the worker, and demo traffic once the worker listens.
 * Usage: sim-main.ts <eslPort> <controlPort> <workerPort> <timeScale> <callsPerMinute>
 */
import { connect } from "node:net";
import { ControlServer, FsSim } from "@ringflow/fs-sim";
import { DEMO_AGENTS, DEMO_DEV_NUMBER } from "./demo.js";
import { startDemoTraffic } from "./traffic.js";

const args = process.argv.slice(2).map(Number);
if (args.length !== 5 || args.some((v) => Number.isNaN(v))) {
  throw new Error(
    "usage: sim-main.ts <eslPort> <controlPort> <workerPort> <timeScale> <callsPerMinute>",
  );
}
const [eslPort, controlPort, workerPort, timeScale, callsPerMinute] = args as [
  number,
  number,
  number,
  number,
  number,
];

const say = (text: string) => process.stdout.write(`${text}\n`);

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

const sim = await FsSim.start({ port: eslPort, timeScale });
const control = await ControlServer.start(sim, { port: controlPort });
// Every dialled number but the agents' own extensions goes to the worker,
// which runs the flow routed to it (or refuses the number as unallocated).
const agentExtensions = DEMO_AGENTS.map((a) => a.extension).join("|");
sim.dialplan.add(`/^(?!(${agentExtensions})$)[+0-9*#]+$/`, [
  { app: "socket", arg: `127.0.0.1:${workerPort} async full` },
]);
say(
  `FreeSWITCH simulator: Event Socket on 127.0.0.1:${sim.port}, control API on http://127.0.0.1:${control.port}, time x${timeScale}`,
);

let stopTraffic = () => {};
const waitForWorker = async () => {
  // Callers placed before the worker listens would be lost: wait for it.
  while (!(await listening(workerPort))) await new Promise((resolve) => setTimeout(resolve, 250));
  if (callsPerMinute === 0) {
    say("no demo traffic (DEMO_CALLS_PER_MINUTE=0): place test calls from the editor");
    return;
  }
  say(
    `demo traffic: about ${callsPerMinute} callers a minute to ${DEMO_DEV_NUMBER}, four agents on 1001-1004`,
  );
  stopTraffic = startDemoTraffic(sim, {
    number: DEMO_DEV_NUMBER,
    callsPerMinute,
    onCall: (call) =>
      say(
        `caller ${call.from}${call.vip ? " (VIP)" : ""} dials ${DEMO_DEV_NUMBER}${call.patienceMs ? `, gives up after ${Math.round(call.patienceMs / 1000)} s` : ""}`,
      ),
  });
};
void waitForWorker();

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  stopTraffic();
  await control.close();
  await sim.stop();
  say("simulator stopped");
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());

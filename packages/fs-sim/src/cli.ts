import { parseArgs } from "node:util";
import { ControlServer } from "./control/control-server.js";
import { FsSim } from "./fs-sim.js";
import { applyScenario } from "./scripting/apply-scenario.js";
import { loadScenario } from "./scripting/scenario.js";

/**
 * `pnpm --filter @ringflow/fs-sim start [--port 8021] [--host 127.0.0.1]
 * [--password ClueCon] [--scenario file.json] [--time-scale 10] [--control-port 8022]`
 */
const { values } = parseArgs({
  options: {
    port: { type: "string", default: "8021" },
    host: { type: "string", default: "127.0.0.1" },
    password: { type: "string", default: "ClueCon" },
    scenario: { type: "string" },
    "time-scale": { type: "string", default: "1" },
    "control-port": { type: "string" },
  },
});

const scenario = values.scenario ? await loadScenario(values.scenario) : undefined;
const sim = await FsSim.start({
  port: Number.parseInt(values.port ?? "8021", 10),
  host: values.host,
  password: values.password,
  timeScale: Number.parseFloat(values["time-scale"] ?? "1"),
});
const cancel = scenario ? applyScenario(sim, scenario) : () => {};
const control = values["control-port"]
  ? await ControlServer.start(sim, {
      port: Number.parseInt(values["control-port"], 10),
      host: values.host,
    })
  : undefined;
process.stdout.write(
  `fs-sim: inbound ESL on ${values.host}:${sim.port} (password ${values.password}, time x${values["time-scale"]})` +
    (values.scenario ? `, scenario ${values.scenario}` : "") +
    (control ? `, control API on http://${values.host}:${control.port}` : "") +
    "\n",
);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  cancel();
  await control?.close();
  await sim.stop();
  process.stdout.write("fs-sim: stopped\n");
  process.exit(0);
};
process.on("SIGINT", () => void stop());
process.on("SIGTERM", () => void stop());

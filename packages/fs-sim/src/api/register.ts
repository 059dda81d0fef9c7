import type { FsSim } from "../fs-sim.js";
import { registerChannelCommands } from "./channel-commands.js";
import { evalExpr } from "./expr.js";
import { originateCommand } from "./originate-command.js";
import { statusText } from "./status.js";
import { registerUuidBridge, uuidBridgeOnSoftExecute } from "./uuid-bridge.js";
import { registerUuidCommands } from "./uuid-commands.js";

/** Registers every API command the simulator implements. */
export function registerApiCommands(sim: FsSim): void {
  const { api, core } = sim;
  api.register("status", () => statusText(core));
  api.register("version", () => "FreeSWITCH Version 1.10.12-release~64bit (-release 64bit)\n");
  api.register("expr", (arg) => evalExpr(arg ?? ""));
  api.register("global_getvar", (arg) => (arg ? (sim.globals.get(arg.trim()) ?? "") : ""));
  api.register("global_setvar", (arg) => {
    const m = /^([^=\s]+)\s*=\s*(.*)$/s.exec(arg ?? "");
    if (!m) return "-USAGE: <var>=<value>\n";
    sim.globals.set(m[1] as string, m[2] as string);
    return "+OK\n";
  });
  api.register("originate", originateCommand(core, sim.endpoints));
  registerUuidCommands(api, core);
  registerUuidBridge(api, core);
  registerChannelCommands(api, core, sim.bus.identity.hostname);
  core.stateHandlers.softExecute = uuidBridgeOnSoftExecute;
}

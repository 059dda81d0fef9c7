import { PrivateMessage } from "../core/private-message.js";
import type { SimCore } from "../core/sim-core.js";
import { isCause } from "../core/states.js";
import { FsEvent } from "../protocol/fs-event.js";
import type { ApiRegistry } from "./api-registry.js";
import { splitArgs } from "./dial-string.js";

/** Builds a queued execute message, as switch_ivr_broadcast does. */
export function executeMessage(
  app: string,
  arg: string | undefined,
  eventLock: boolean,
): PrivateMessage {
  const ev = new FsEvent("PRIVATE_COMMAND");
  ev.add("call-command", "execute");
  ev.add("execute-app-name", app);
  ev.add("execute-app-arg", arg);
  if (eventLock) ev.add("event-lock", "true");
  return new PrivateMessage(ev);
}

/** Registers uuid_kill, uuid_getvar, uuid_setvar, uuid_break, uuid_broadcast, uuid_answer, hupall. */
export function registerUuidCommands(api: ApiRegistry, core: SimCore): void {
  const args = (a: string | undefined) => (a ?? "").trim().split(/\s+/).filter(Boolean);

  api.register("uuid_kill", (arg) => {
    const [uuid, cause] = args(arg);
    if (!uuid) return "-USAGE: <uuid> [cause]\n";
    const s = core.session(uuid);
    if (!s) return "-ERR No such channel!\n";
    s.hangup(cause && isCause(cause.toUpperCase()) ? cause.toUpperCase() : "NORMAL_CLEARING");
    return "+OK\n";
  });

  api.register("uuid_getvar", (arg) => {
    const [uuid, name] = args(arg);
    if (!uuid || !name) return "-USAGE: <uuid> <var>\n";
    const s = core.session(uuid);
    if (!s) return "-ERR No such channel!\n";
    return s.channel.getVar(name) ?? "_undef_";
  });

  api.register("uuid_setvar", (arg) => {
    const m = /^(\S+)\s+(\S+)(?:\s+(.*))?$/s.exec((arg ?? "").trim());
    if (!m) return "-USAGE: <uuid> <var> [value]\n";
    const s = core.session(m[1] as string);
    if (!s) return "-ERR No such channel!\n";
    s.channel.setVar(m[2] as string, m[3] ?? null);
    return "+OK\n";
  });

  api.register("uuid_break", (arg) => {
    const [uuid, all] = args(arg);
    if (!uuid) return "-USAGE: <uuid> [all]\n";
    const s = core.session(uuid);
    if (!s) return "-ERR No such channel!\n";
    if (all === "all") s.flushMessages();
    s.breakRequested = true;
    s.kick();
    return "+OK\n";
  });

  api.register("uuid_broadcast", (arg) => {
    // As mod_commands: switch_separate_string, so a quoted path may hold spaces.
    const [uuid, path, leg] = splitArgs(arg ?? "");
    if (!uuid || !path) return "-USAGE: <uuid> <path> [aleg|bleg|both]\n";
    const s = core.session(uuid);
    if (!s) return "-ERR invalid uuid\n";
    const targets = [s];
    if ((leg === "bleg" || leg === "both") && s.partner) {
      const p = core.session(s.partner);
      if (p) targets.push(p);
      if (leg === "bleg") targets.shift();
    }
    const sep = path.indexOf("::");
    const app = sep < 0 ? "playback" : path.slice(0, sep);
    const appArg = sep < 0 ? path : path.slice(sep + 2);
    for (const t of targets) t.enqueue(executeMessage(app, appArg, true));
    return "+OK Message sent\n";
  });

  api.register("uuid_answer", (arg) => {
    const [uuid] = args(arg);
    const s = uuid ? core.session(uuid) : undefined;
    if (!s) return "-ERROR\n";
    s.hooks.onAnswer?.(s);
    s.markAnswered();
    return "+OK\n";
  });

  api.register("hupall", (arg) => {
    const [causeArg, varName, varValue] = args(arg);
    const cause =
      causeArg && isCause(causeArg.toUpperCase()) ? causeArg.toUpperCase() : "MANAGER_REQUEST";
    for (const s of core.all()) {
      if (varName && s.channel.getVar(varName) !== varValue) continue;
      s.hangup(cause);
    }
    return `+OK hangup all channels with cause ${cause}\n`;
  });
}

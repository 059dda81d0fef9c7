import type { EslConnection } from "./connection.js";
import { EVENT_NAMES } from "./event-names.js";
import { MYEVENTS } from "./subscription.js";

/**
 * The subscription commands (event, nixevent, noevents, filter, myevents,
 * linger without a session, log, nolog) with mod_event_socket's exact
 * Reply-Text; anything unknown is `-ERR command not found`.
 */
export function handleEventCommand(conn: EslConnection, line: string, lower: string): string {
  const sub = conn.sub;
  if (lower.startsWith("filter ")) return filter(conn, line.slice(7));
  if (lower.startsWith("myevents")) {
    if (sub.myevents) return "-ERR aready enabled.";
    const [uuid, fmt] = line.slice(9).trim().split(/\s+/);
    const target = uuid ? conn.host.session(uuid) : undefined;
    if (!target && fmt) return "-ERR invalid uuid";
    sub.myUuid = target?.uuid;
    enableMyEvents(conn, line);
    return "+OK Events Enabled";
  }
  if (lower.startsWith("linger") || lower.startsWith("nolinger"))
    return "-ERR not controlling a session";
  if (lower.startsWith("divert_events")) return "-ERR not controlling a session.";
  if (lower.startsWith("nolog")) return "-ERR not loging";
  if (lower.startsWith("log")) {
    const level = line.slice(3).trim().split(" ")[0] || "debug";
    const n = LOG_LEVELS[level.toLowerCase()];
    if (n === undefined) return "-ERR invalid log level";
    return `+OK log level ${level} [${n}]`;
  }
  if (lower.startsWith("event")) return event(conn, line);
  if (lower.startsWith("nixevent")) return nixevent(conn, line);
  if (lower.startsWith("noevents")) {
    if (!sub.active) return "-ERR not listening for events";
    sub.clear();
    conn.dropPending();
    return "+OK no longer listening for events";
  }
  return "-ERR command not found";
}

const LOG_LEVELS: Record<string, number> = {
  console: 0,
  alert: 1,
  crit: 2,
  err: 3,
  error: 3,
  warning: 4,
  notice: 5,
  info: 6,
  debug: 7,
};

/** Applies `myevents [fmt]` to a connection. */
export function enableMyEvents(conn: EslConnection, line: string): void {
  const sub = conn.sub;
  for (const n of MYEVENTS) sub.names.add(n);
  sub.myevents = true;
  if (sub.myUuid) conn.host.bus.scope(conn, sub.myUuid);
  if (/xml/i.test(line)) sub.format = "xml";
  if (/json/i.test(line)) sub.format = "json";
}

function event(conn: EslConnection, line: string): string {
  const sub = conn.sub;
  const words = line.split(" ").slice(1);
  let keys = 0;
  let custom = false;
  words.forEach((w, i) => {
    if (i === 0) {
      const f = w.toLowerCase();
      if (f === "xml" || f === "plain" || f === "json") {
        sub.format = f;
        return;
      }
    }
    if (custom) {
      sub.subclasses.add(w);
      return;
    }
    const name = w.toUpperCase();
    if (name === "ALL") {
      keys++;
      sub.all = true;
      return;
    }
    if (!EVENT_NAMES.has(name)) return;
    keys++;
    sub.names.add(name);
    if (name === "CUSTOM") custom = true;
  });
  if (!keys) return "-ERR no keywords supplied";
  return `+OK event listener enabled ${sub.format}`;
}

function nixevent(conn: EslConnection, line: string): string {
  const sub = conn.sub;
  let keys = 0;
  let custom = false;
  for (const w of line.split(" ").slice(1)) {
    if (custom) {
      sub.subclasses.delete(w);
      continue;
    }
    const name = w.toUpperCase();
    if (name === "ALL") {
      keys++;
      sub.clear();
      continue;
    }
    if (!EVENT_NAMES.has(name)) continue;
    keys++;
    if (name === "CUSTOM") {
      custom = true;
      continue;
    }
    if (sub.all) {
      sub.all = false;
      for (const n of EVENT_NAMES) sub.names.add(n);
    }
    sub.names.delete(name);
  }
  if (!keys) return "-ERR no keywords supplied";
  return "+OK events nixed";
}

function filter(conn: EslConnection, rest: string): string {
  const sub = conn.sub;
  let text = rest.replace(/^ +/, "");
  let sp = text.indexOf(" ");
  let name = sp < 0 ? text : text.slice(0, sp);
  let value: string | undefined = sp < 0 ? undefined : text.slice(sp + 1);
  if (name.toLowerCase() === "delete" && value !== undefined) {
    text = value;
    sp = text.indexOf(" ");
    name = sp < 0 ? text : text.slice(0, sp);
    value = sp < 0 ? undefined : text.slice(sp + 1);
    if (name.toLowerCase() === "all") sub.filters = [];
    else {
      sub.filters = sub.filters.filter(
        (f) =>
          !(
            f.header.toLowerCase() === name.toLowerCase() &&
            (value === undefined || f.value === value)
          ),
      );
    }
    return `+OK filter deleted. [${name}][${value ?? ""}]`;
  }
  if (value === undefined) return "-ERR invalid syntax";
  if (name.toLowerCase() === "add") {
    text = value;
    sp = text.indexOf(" ");
    name = sp < 0 ? text : text.slice(0, sp);
    value = sp < 0 ? undefined : text.slice(sp + 1);
    if (value === undefined) return "-ERR invalid syntax";
  }
  sub.filters.push({ header: name, value });
  return `+OK filter added. [${name}]=[${value}]`;
}

import type { EventFormat } from "../protocol/frames.js";
import type { FsEvent } from "../protocol/fs-event.js";

/** The events `myevents` subscribes a session-bound socket to (mod_event_socket). */
export const MYEVENTS = [
  "CHANNEL_ANSWER",
  "CHANNEL_APPLICATION",
  "CHANNEL_BRIDGE",
  "CHANNEL_CREATE",
  "CHANNEL_DATA",
  "CHANNEL_DESTROY",
  "CHANNEL_EXECUTE",
  "CHANNEL_EXECUTE_COMPLETE",
  "CHANNEL_HANGUP",
  "CHANNEL_HANGUP_COMPLETE",
  "CHANNEL_ORIGINATE",
  "CHANNEL_UUID",
  "CHANNEL_OUTGOING",
  "CHANNEL_PARK",
  "CHANNEL_PROGRESS",
  "CHANNEL_PROGRESS_MEDIA",
  "CHANNEL_STATE",
  "CHANNEL_UNBRIDGE",
  "CHANNEL_UNPARK",
  "DETECTED_SPEECH",
  "DTMF",
  "NOTALK",
  "TALK",
];

/** One `filter` line: header, value (with its +/- and /regex/ syntax kept). */
interface Filter {
  header: string;
  value: string;
}

/**
 * What one connection receives: the `event` list (additive, ALL, CUSTOM
 * subclasses), one format for all of them, filters, and myevents scoping —
 * FreeSWITCH's `event_handler` decision, header for header.
 */
export class Subscription {
  format: EventFormat = "plain";
  all = false;
  readonly names = new Set<string>();
  readonly subclasses = new Set<string>();
  filters: Filter[] = [];
  /** Set by `myevents`: only this channel's events (and its bgapi jobs). */
  myUuid: string | undefined;
  myevents = false;

  get active(): boolean {
    return this.all || this.names.size > 0;
  }

  clear(): void {
    this.all = false;
    this.names.clear();
    this.subclasses.clear();
  }

  /** True when `ev` goes to this connection. */
  wants(ev: FsEvent): boolean {
    if (!this.active) return false;
    let send = false;
    if (this.all) send = true;
    else if (this.names.has(ev.name)) {
      send = ev.name !== "CUSTOM" || !ev.subclass || this.subclasses.has(ev.subclass);
    }
    if (send && this.filters.length > 0) send = this.passesFilters(ev);
    if (send && this.myevents) {
      const uuid = ev.uniqueId ?? ev.get("Unique-ID");
      if (!uuid || (this.myUuid && uuid !== this.myUuid)) send = false;
      if (this.myUuid && ev.get("Job-Owner-UUID") === this.myUuid) send = true;
    }
    return send;
  }

  private passesFilters(ev: FsEvent): boolean {
    let send = false;
    for (const f of this.filters) {
      const hval = ev.get(f.header);
      if (hval === undefined) continue;
      let pos = true;
      let i = 0;
      const v = f.value;
      while (i < v.length) {
        const c = v[i];
        if (c === "+") pos = true;
        else if (c === "-") pos = false;
        else if (c !== " ") break;
        i++;
      }
      if (send && pos) continue;
      const comp = v.slice(i);
      let cmp: boolean;
      if (v.startsWith("/")) {
        cmp = matchRegex(hval, comp);
      } else {
        cmp = hval.toLowerCase() === comp.toLowerCase();
      }
      if (cmp) {
        if (pos) send = true;
        else return false;
      }
    }
    return send;
  }
}

const regexCache = new Map<string, RegExp | null>();

/** `switch_regex` on a `/pattern/` filter value. */
function matchRegex(value: string, pattern: string): boolean {
  let re = regexCache.get(pattern);
  if (re === undefined) {
    const body = pattern.replace(/^\//, "").replace(/\/$/, "");
    try {
      re = new RegExp(body);
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re ? re.test(value) : false;
}

import type { SimClock } from "../clock/clock.js";
import { FsEvent } from "../protocol/fs-event.js";

/** Where an event claims to come from (Event-Calling-File/Function/Line-Number). */
export interface EventSource {
  readonly file: string;
  readonly func: string;
  readonly line: number;
}

/** The switch's identity, as every event's standard headers show it. */
export interface SwitchIdentity {
  readonly coreUuid: string;
  readonly hostname: string;
  readonly ipv4: string;
  readonly ipv6: string;
}

/** Receives every fired event; connections decide what they keep. */
export interface EventSink {
  deliver(event: FsEvent): void;
}

/**
 * Creates events with FreeSWITCH's standard headers and a global, strictly
 * increasing Event-Sequence (assigned at creation, as FS does, so an event
 * fired late can carry a lower number than ones before it), and fans fired
 * events out to every sink.
 */
export class EventBus {
  private seq: number;
  private readonly sinks = new Set<EventSink>();
  /** Sinks that only take one channel's events (myevents), by that channel's uuid. */
  private readonly scoped = new Map<string, Set<EventSink>>();
  private readonly scopeOf = new Map<EventSink, string>();

  constructor(
    private readonly clock: SimClock,
    readonly identity: SwitchIdentity,
    firstSequence = 1000,
  ) {
    this.seq = firstSequence;
  }

  /** A new event whose standard headers are already in place. */
  create(name: string, source: EventSource, subclass?: string): FsEvent {
    const ev = new FsEvent(name, subclass);
    this.stamp(ev, source);
    if (subclass) ev.add("Event-Subclass", subclass);
    return ev;
  }

  /** Appends the standard headers to an event built elsewhere (PRIVATE_COMMAND). */
  stamp(ev: FsEvent, source: EventSource): void {
    const nowMs = this.clock.now();
    const id = this.identity;
    ev.add("Event-Name", ev.name);
    ev.add("Core-UUID", id.coreUuid);
    ev.add("FreeSWITCH-Hostname", id.hostname);
    ev.add("FreeSWITCH-Switchname", id.hostname);
    ev.add("FreeSWITCH-IPv4", id.ipv4);
    ev.add("FreeSWITCH-IPv6", id.ipv6);
    ev.add("Event-Date-Local", formatLocal(nowMs));
    ev.add("Event-Date-GMT", new Date(nowMs).toUTCString());
    ev.add("Event-Date-Timestamp", String(Math.floor(nowMs * 1000)));
    ev.add("Event-Calling-File", source.file);
    ev.add("Event-Calling-Function", source.func);
    ev.add("Event-Calling-Line-Number", String(source.line));
    ev.add("Event-Sequence", String(++this.seq));
  }

  /**
   * Hands an event to every sink that may want it: all unscoped sinks, and
   * the scoped ones of its Unique-ID (or, for a bgapi job, its Job-Owner-UUID).
   */
  fire(ev: FsEvent): void {
    for (const s of this.sinks) s.deliver(ev);
    if (this.scoped.size === 0) return;
    const uid = ev.uniqueId ?? ev.get("Unique-ID");
    const owner = ev.name === "BACKGROUND_JOB" ? ev.get("Job-Owner-UUID") : undefined;
    for (const key of [uid, owner]) {
      if (!key) continue;
      const set = this.scoped.get(key);
      if (set) for (const s of set) s.deliver(ev);
    }
  }

  /** Every current sink (connections). */
  allSinks(): EventSink[] {
    return [...this.sinks, ...this.scopeOf.keys()];
  }

  subscribe(sink: EventSink): () => void {
    this.sinks.add(sink);
    return () => {
      this.sinks.delete(sink);
      this.unscope(sink);
    };
  }

  /** From now on `sink` only sees events of channel `uuid` (myevents). */
  scope(sink: EventSink, uuid: string): void {
    this.sinks.delete(sink);
    this.unscope(sink);
    let set = this.scoped.get(uuid);
    if (!set) {
      set = new Set();
      this.scoped.set(uuid, set);
    }
    set.add(sink);
    this.scopeOf.set(sink, uuid);
  }

  private unscope(sink: EventSink): void {
    const uuid = this.scopeOf.get(sink);
    if (uuid === undefined) return;
    this.scopeOf.delete(sink);
    const set = this.scoped.get(uuid);
    set?.delete(sink);
    if (set && set.size === 0) this.scoped.delete(uuid);
  }
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** `YYYY-MM-DD HH:MM:SS` in the host's time zone, as Event-Date-Local. */
export function formatLocal(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

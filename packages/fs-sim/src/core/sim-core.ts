import { randomUUID } from "node:crypto";
import type { SimClock } from "../clock/clock.js";
import { exchangeMedia } from "./bridge.js";
import { type CallerProfile, newTimes } from "./caller-profile.js";
import { Channel, type Codec } from "./channel.js";
import type { EventBus } from "./event-bus.js";
import {
  type AppFunction,
  type CoreStateHandlers,
  type EndpointHooks,
  Session,
  type SessionHost,
} from "./session.js";

/** A dialplan: what an inbound leg runs, by destination number and context. */
export type RouteFn = (
  session: Session,
) => ReadonlyArray<{ app: string; arg?: string }> | undefined;

/** Options for {@link SimCore.newSession}. */
export interface NewSessionOptions {
  name: string;
  direction: "inbound" | "outbound";
  hooks?: EndpointHooks;
  codec?: Codec;
}

/**
 * The switch: the session registry, applications, the dialplan hook, uuid
 * and session-id counters, and the statistics `status` reports.
 */
export class SimCore implements SessionHost {
  private readonly sessions = new Map<string, Session>();
  private readonly apps = new Map<string, AppFunction>();
  private sessionCounter = 0;
  peakSessions = 0;
  readonly startedAt: number;
  router: RouteFn = () => undefined;
  /** CS_SOFT_EXECUTE / CS_EXCHANGE_MEDIA behaviour (uuid_bridge, bridge). */
  stateHandlers: CoreStateHandlers = {
    softExecute: async () => {},
    exchangeMedia,
    park: async () => {},
  };
  /** Listeners told when a session is created or destroyed (tests watch the world with them). */
  private readonly watchers = new Set<(s: Session, what: "created" | "destroyed") => void>();

  constructor(
    readonly bus: EventBus,
    readonly clock: SimClock,
    firstSessionId = 1,
  ) {
    this.startedAt = clock.now();
    this.sessionCounter = firstSessionId - 1;
  }

  newUuid(): string {
    return randomUUID();
  }

  registerApp(name: string, fn: AppFunction): void {
    this.apps.set(name, fn);
  }

  app(name: string): AppFunction | undefined {
    return this.apps.get(name);
  }

  route(session: Session): ReadonlyArray<{ app: string; arg?: string }> | undefined {
    return this.router(session);
  }

  session(uuid: string): Session | undefined {
    return this.sessions.get(uuid);
  }

  /** Live sessions, oldest first. */
  all(): Session[] {
    return [...this.sessions.values()];
  }

  get count(): number {
    return this.sessions.size;
  }

  /** Sessions created since start. */
  get totalSessions(): number {
    return this.sessionCounter;
  }

  watch(fn: (s: Session, what: "created" | "destroyed") => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** Creates a channel in CS_NEW with no profile (the endpoint fills it in). */
  newSession(opts: NewSessionOptions): Session {
    const uuid = this.newUuid();
    const ch = new Channel(this.bus, {
      uuid,
      name: opts.name,
      direction: opts.direction,
      sessionId: ++this.sessionCounter,
    });
    const s = new Session(this, ch, opts.hooks);
    this.sessions.set(uuid, s);
    this.peakSessions = Math.max(this.peakSessions, this.sessions.size);
    for (const w of this.watchers) w(s, "created");
    return s;
  }

  /** `switch_core_session_set_uuid`: re-keys a session (origination_uuid). */
  rekey(session: Session, uuid: string): boolean {
    if (this.sessions.has(uuid)) return false;
    this.sessions.delete(session.uuid);
    session.channel.uuid = uuid;
    if (session.channel.profile) session.channel.profile.uuid = uuid;
    this.sessions.set(uuid, session);
    return true;
  }

  /** Starts the session thread. */
  launch(session: Session): void {
    // A new session thread starts after its creator's current step, as in FS.
    setImmediate(() => void session.run());
  }

  released(session: Session): void {
    this.sessions.delete(session.uuid);
    for (const w of this.watchers) w(session, "destroyed");
  }

  /** A caller profile with FreeSWITCH's defaults for an originated or routed leg. */
  newProfile(
    session: Session,
    fields: Partial<CallerProfile> & Pick<CallerProfile, "direction">,
  ): CallerProfile {
    const now = Math.floor(this.clock.now() * 1000);
    return {
      logicalDirection: fields.direction,
      uuid: session.uuid,
      chanName: session.channel.name,
      context: "default",
      profileIndex: "1",
      times: newTimes(now),
      ...fields,
    };
  }
}

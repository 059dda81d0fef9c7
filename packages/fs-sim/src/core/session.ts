import type { SimClock } from "../clock/clock.js";
import { markAnswered, markPreAnswered, markRingReady, receiveDtmf } from "./call-progress.js";
import { type Channel, SRC } from "./channel.js";
import type { EventBus } from "./event-bus.js";
import { isTrue, type PrivateMessage } from "./private-message.js";
import { runSession } from "./state-machine.js";
import { type ChannelState, CS } from "./states.js";

/** An application as the dialplan, originate or sendmsg names it. */
export type AppFunction = (session: Session, arg: string | undefined) => Promise<void>;

/** The switch services a session needs. */
export interface SessionHost {
  readonly bus: EventBus;
  readonly clock: SimClock;
  newUuid(): string;
  app(name: string): AppFunction | undefined;
  /** Looks up the dialplan for an inbound leg; undefined = no route. */
  route(session: Session): ReadonlyArray<{ app: string; arg?: string }> | undefined;
  /** Called once the channel is destroyed. */
  released(session: Session): void;
  session(uuid: string): Session | undefined;
  readonly stateHandlers: CoreStateHandlers;
}

/** Per-endpoint state handlers (loopback, null, sofia-like legs). */
export interface EndpointHooks {
  onInit?(s: Session): void;
  /** Called when an app answers the channel (answer/bridge), before it is marked answered. */
  onAnswer?(s: Session): void;
  onPreAnswer?(s: Session): void;
  /** Runs in the hangup state (after CALLSTATE HANGUP). */
  onHangup?(s: Session): void;
  onReporting?(s: Session): void;
  /** Runs when an originated leg starts waiting for its far end (CS_CONSUME_MEDIA). */
  onConsumeMedia?(s: Session): void;
  /**
   * Runs when the switch starts playing audio to this leg (a playback
   * begins at simulated instant `at`); the returned function, if any, runs
   * when that audio stops.
   */
  onMediaStart?(s: Session, at: number): (() => void) | undefined;
}

/** Handlers for the bridge states, provided by the switch (keeps session.ts free of bridge code). */
export interface CoreStateHandlers {
  softExecute(s: Session): Promise<void>;
  exchangeMedia(s: Session): Promise<void>;
  /** CS_PARK (`switch_core_standard_on_park`): park until told otherwise. */
  park(s: Session): Promise<void>;
}

/** One media frame: how often a session thread polls its message queue. */
export const FRAME_MS = 20;

/** Why a media wait ended. */
export type WaitResult = "timeout" | "down" | "break";

/**
 * The behaviour of one channel over time: FreeSWITCH's session thread. It
 * runs the state machine (`switch_core_session_run`), executes applications
 * with CHANNEL_EXECUTE / EXECUTE_COMPLETE around them, and services the
 * channel's private message queue (sendmsg) from its media loops, so that a
 * message without `event-lock` runs nested inside the current application.
 */
export class Session {
  /** Apps the CS_EXECUTE state runs (dialplan extension or originate's `&app()`). */
  extension: Array<{ app: string; arg?: string }> = [];
  private readonly queue: PrivateMessage[] = [];
  private eventLock = 0;
  /** CF_BREAK: the current media operation should stop (uuid_break). */
  breakRequested = false;
  /** CF_PARK: cleared to leave park (bridge, transfer). */
  parked = false;
  /** Read locks that keep the channel from being destroyed (an outbound socket). */
  private holds = 0;
  private kickers: Array<() => void> = [];
  private readonly doneResolvers: Array<() => void> = [];
  private destroyedFlag = false;
  /** The uuid of the leg this one is bridged to. */
  partner: string | undefined;
  /**
   * The simulated instant the far end hung up (a scripted BYE's due time).
   * Audio played to the leg is counted up to it, not up to whenever a busy
   * event loop got round to the BYE, so a scripted hangup "after 2 s of
   * hold music" yields the same playback figures on a loaded machine.
   */
  farEndHangupAt: number | undefined;
  /** Arbitrary per-session state for endpoints and apps. */
  readonly data = new Map<string, unknown>();

  constructor(
    readonly host: SessionHost,
    readonly channel: Channel,
    readonly hooks: EndpointHooks = {},
  ) {}

  get uuid(): string {
    return this.channel.uuid;
  }

  get clock(): SimClock {
    return this.host.clock;
  }

  get destroyed(): boolean {
    return this.destroyedFlag;
  }

  /** Resolves once CHANNEL_DESTROY has fired. */
  whenDestroyed(): Promise<void> {
    if (this.destroyedFlag) return Promise.resolve();
    return new Promise((r) => this.doneResolvers.push(r));
  }

  /** `switch_channel_ready`: up and not hung up. */
  get ready(): boolean {
    return !this.channel.down;
  }

  /** `switch_channel_perform_set_state`: asks the state machine to move on. */
  setState(s: ChannelState): void {
    const ch = this.channel;
    if (ch.state >= CS.HANGUP && s < CS.HANGUP) return;
    if (ch.state !== s) this.parked = false;
    ch.state = s;
    this.kick();
  }

  /** Wakes whatever this session's thread is waiting on. */
  kick(): void {
    const k = this.kickers;
    this.kickers = [];
    for (const f of k) f();
    for (const o of this.observers) o();
  }

  /** Calls `fn` whenever something happens to this session (answer, hangup, ...). */
  observe(fn: () => void): () => void {
    this.observers.add(fn);
    return () => this.observers.delete(fn);
  }
  private readonly observers = new Set<() => void>();

  /**
   * Waits until `ms` pass (forever when undefined), the channel goes down, a
   * break is requested, or something kicks the session. Returns what ended it;
   * a kick that is none of those returns "timeout" only once time is up.
   */
  private waitOnce(ms: number | undefined): Promise<"timeout" | "kick"> {
    return new Promise((resolve) => {
      let timer: { cancel(): void } | undefined;
      const onKick = () => {
        timer?.cancel();
        resolve("kick");
      };
      this.kickers.push(onKick);
      if (ms !== undefined) {
        timer = this.clock.setTimeout(() => {
          this.kickers = this.kickers.filter((f) => f !== onKick);
          resolve("timeout");
        }, ms);
      }
    });
  }

  /**
   * A media loop: waits `ms` (forever when undefined) while running queued
   * messages (unless `parse` is false), and stops early when the channel goes
   * down, a break is requested, or `until` becomes true.
   */
  async mediaWait(
    ms: number | undefined,
    opts: { parse?: boolean; until?: () => boolean } = {},
  ): Promise<WaitResult> {
    const parse = opts.parse ?? true;
    let remaining = ms;
    for (;;) {
      if (this.channel.down) return "down";
      if (this.breakRequested) return "break";
      if (opts.until?.()) return "break";
      if (parse && this.pendingMessages() > 0) {
        await this.parseAllEvents();
        continue;
      }
      if (remaining !== undefined && remaining <= 0) return "timeout";
      const start = this.clock.now();
      const r = await this.waitOnce(remaining);
      if (remaining !== undefined) remaining -= this.clock.now() - start;
      if (r === "timeout") {
        if (this.channel.down) return "down";
        return "timeout";
      }
    }
  }

  /** Queues a message (sendmsg, uuid_broadcast) and wakes the session. */
  enqueue(msg: PrivateMessage): void {
    this.queue.push(msg);
    // The session thread looks at its queue once per 20 ms frame (or park poll).
    this.clock.setTimeout(() => this.kick(), FRAME_MS);
  }

  /** Messages that may run now (an event-locked app holds them back). */
  pendingMessages(): number {
    return this.eventLock > 0 ? 0 : this.queue.length;
  }

  /** Drops queued messages (uuid_break all). */
  flushMessages(): void {
    this.queue.length = 0;
  }

  /** `switch_ivr_parse_all_events`. */
  async parseAllEvents(): Promise<void> {
    while (await this.parseNextEvent()) {
      /* keep going */
    }
  }

  /** `switch_ivr_parse_next_event`: runs one message, then fires it as PRIVATE_COMMAND. */
  async parseNextEvent(): Promise<boolean> {
    if (this.pendingMessages() === 0) return false;
    const msg = this.queue.shift() as PrivateMessage;
    await this.runMessage(msg);
    const ev = msg.event;
    this.host.bus.stamp(ev, SRC.privateCommand);
    this.channel.addData(ev);
    this.host.bus.fire(ev);
    return true;
  }

  /** Dequeues and runs one message without re-firing it (switch_ivr_park without media). */
  async runNextMessageQuietly(): Promise<void> {
    if (this.pendingMessages() === 0) return;
    await this.runMessage(this.queue.shift() as PrivateMessage);
  }

  /** `switch_ivr_parse_event`: execute, hangup, ... */
  async runMessage(msg: PrivateMessage): Promise<void> {
    const cmd = msg.command?.toLowerCase();
    if (!cmd) return;
    const el = msg.eventLock;
    if (el) this.eventLock++;
    try {
      if (cmd === "execute") {
        const app = msg.header("execute-app-name");
        let arg = msg.header("execute-app-arg");
        const ct = msg.header("content-type");
        if (!arg && ct?.toLowerCase() === "text/plain") arg = msg.event.body;
        const loopsH = msg.header("loops");
        const loops = loopsH ? Number.parseInt(loopsH, 10) || 0 : 1;
        if (!app) return;
        const eventUuid = msg.header("event-uuid");
        for (let x = 0; x < loops || loops < 0; x++) {
          const before = this.clock.now();
          this.channel.setVar("current_loop", x + 1);
          this.channel.setVar("total_loops", loops);
          const ok = await this.exec(app, arg, eventUuid);
          if (!ok) break;
          if (!this.ready || this.clock.now() - before < 500) break;
        }
        this.channel.setVar("current_loop", null);
        this.channel.setVar("total_loops", null);
      } else if (cmd === "hangup") {
        this.hangup(msg.header("hangup-cause") || "NORMAL_CLEARING");
      }
    } finally {
      if (el) this.eventLock--;
    }
  }

  /** `switch_core_session_exec`: runs one application with its events. */
  async exec(appName: string, arg: string | undefined, appUuid?: string): Promise<boolean> {
    const fn = this.host.app(appName);
    if (!fn) return false;
    const ch = this.channel;
    const uuid = appUuid ?? this.host.newUuid();
    const expanded = arg === undefined ? undefined : this.expand(arg);
    ch.lastApp = { app: appName, arg: expanded };
    ch.setVar("current_application", appName);
    ch.setVar("current_application_data", expanded);
    ch.setVar("current_application_response", null);
    const start = ch.event("CHANNEL_EXECUTE", SRC.execute);
    start.add("Application", appName);
    start.add("Application-Data", expanded);
    start.add("Application-UUID", uuid);
    this.host.bus.fire(start);
    this.breakRequested = false;
    ch.setVar("current_application", appName);
    await fn(this, expanded);
    const resp = ch.getVar("current_application_response") ?? "_none_";
    const done = ch.event("CHANNEL_EXECUTE_COMPLETE", SRC.executeComplete);
    done.add("Application", appName);
    done.add("Application-Data", expanded);
    done.add("Application-Response", resp);
    done.add("Application-UUID", uuid);
    this.host.bus.fire(done);
    return true;
  }

  /** `${var}` expansion, as switch_channel_expand_variables does for simple names. */
  expand(s: string): string {
    if (!s.includes("${")) return s;
    return s.replace(/\$\{([^}]+)\}/g, (_, name: string) => this.channel.getVar(name) ?? "");
  }

  /** `switch_channel_perform_hangup`. */
  hangup(cause: string): void {
    const ch = this.channel;
    if (ch.hangupCause !== undefined || ch.state >= CS.HANGUP) return;
    ch.state = CS.HANGUP;
    ch.hangupCause = cause;
    const partner = this.partner ? this.host.session(this.partner) : undefined;
    partner?.channel.setVar("last_bridge_hangup_cause", cause);
    const proto = ch.getVar("proto_specific_hangup_cause");
    if (proto) partner?.channel.setVar("last_bridge_proto_specific_hangup_cause", proto);
    if (ch.bridgeOriginator) ch.setVar("last_bridge_role", "originator");
    else if (ch.bridged) ch.setVar("last_bridge_role", "originatee");
    ch.fire("CHANNEL_HANGUP", SRC.hangup);
    this.kick();
  }

  /** DTMF digits received and not yet consumed by an application. */
  readonly dtmf: string[] = [];

  /** Digits from the far end: a DTMF event each, queued for the running application. */
  receiveDtmf(digits: string): void {
    receiveDtmf(this, digits);
  }

  /** Keeps the channel from being destroyed until {@link release}. */
  hold(): void {
    this.holds++;
  }

  release(): void {
    this.holds--;
    this.kick();
  }

  /** The session thread: `switch_core_session_run` (see state-machine.ts). */
  run(): Promise<void> {
    return runSession(this);
  }

  /** True while an outbound socket (or anything else) holds the channel. */
  get held(): boolean {
    return this.holds > 0;
  }

  /** Waits for a kick (or `ms`); the state machine's idle wait. */
  waitKick(ms?: number): Promise<"timeout" | "kick"> {
    return this.waitOnce(ms);
  }

  /** Called once CHANNEL_DESTROY has fired. */
  markDestroyed(): void {
    this.destroyedFlag = true;
    this.host.released(this);
    this.kick();
    for (const r of this.doneResolvers.splice(0)) r();
  }

  /** `switch_channel_perform_mark_answered`. */
  markAnswered(): boolean {
    return markAnswered(this);
  }

  /** `switch_channel_perform_mark_pre_answered`: early media. */
  markPreAnswered(): boolean {
    return markPreAnswered(this);
  }

  /** `switch_channel_perform_mark_ring_ready`: 180 Ringing. */
  markRingReady(): boolean {
    return markRingReady(this);
  }

  /** True if a channel variable is set to a true value. */
  varTrue(name: string): boolean {
    return isTrue(this.channel.getVar(name));
  }
}

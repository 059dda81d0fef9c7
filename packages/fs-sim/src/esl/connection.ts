import type { Socket } from "node:net";
import type { ApiRegistry } from "../api/api-registry.js";
import { SRC } from "../core/channel.js";
import type { EventBus, EventSink } from "../core/event-bus.js";
import type { Session } from "../core/session.js";
import { CommandParser, type EslCommand, EslFramingError } from "../protocol/command-parser.js";
import { apiResponse, commandReply, disconnectNotice, eventFrame } from "../protocol/frames.js";
import type { FsEvent } from "../protocol/fs-event.js";
import { handleEventCommand } from "./event-commands.js";
import { Subscription } from "./subscription.js";

/** What a connection needs from the switch. */
export interface ConnectionHost {
  readonly bus: EventBus;
  readonly api: ApiRegistry;
  readonly password: string;
  session(uuid: string): Session | undefined;
  newUuid(): string;
  /**
   * `userauth user@domain:pass`: the user's allowed events and API when the
   * directory has `esl-password` = pass for them, else undefined.
   */
  userAuth(user: string, domain: string, pass: string): { events: string; api: string } | undefined;
  /** Builds the message a sendmsg queues (also used by uuid_broadcast). */
  makeMessage(cmd: EslCommand): import("../core/private-message.js").PrivateMessage;
}

/**
 * One ESL socket, inbound or outbound: reassembles commands, runs them one
 * at a time in order, and writes events only between replies — so an `api`
 * that takes seconds keeps everything else on this socket waiting, exactly
 * as mod_event_socket's listener thread does.
 */
export class EslConnection implements EventSink {
  readonly sub = new Subscription();
  authed: boolean;
  private readonly parser = new CommandParser();
  private readonly commands: EslCommand[] = [];
  private running = false;
  private pending: string[] = [];
  private flushScheduled = false;
  private closed = false;
  private finished = false;
  private readonly unsubscribe: () => void;
  /** Called when the socket is gone (after the final notice). */
  onClose: (() => void) | undefined;
  /** Extra command handling for outbound sockets; returns a reply, or undefined to fall through. */
  outbound: OutboundHandler | undefined;

  constructor(
    readonly host: ConnectionHost,
    readonly socket: Socket,
    mode: "inbound" | "outbound",
  ) {
    this.authed = mode === "outbound";
    socket.setNoDelay(true);
    socket.on("data", (chunk) => this.onData(chunk));
    socket.on("close", () => this.finish());
    socket.on("error", () => this.finish());
    this.unsubscribe = host.bus.subscribe(this);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Writes raw bytes now (replies, notices). */
  write(data: string): void {
    if (this.closed || this.socket.destroyed) return;
    this.socket.write(data);
  }

  deliver(ev: FsEvent): void {
    if (this.closed || !this.sub.wants(ev)) return;
    this.pending.push(eventFrame(ev, this.sub.format));
    if (!this.running) this.scheduleFlush();
  }

  /** Drops queued events (noevents). */
  dropPending(): void {
    this.pending = [];
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (!this.running) this.flushEvents();
    });
  }

  /** Writes every queued event. */
  flushEvents(): void {
    if (this.pending.length === 0) return;
    const out = this.pending.join("");
    this.pending = [];
    this.write(out);
  }

  private onData(chunk: Buffer): void {
    try {
      this.commands.push(...this.parser.feed(chunk));
    } catch (e) {
      if (e instanceof EslFramingError) {
        this.close();
        return;
      }
      throw e;
    }
    void this.pump();
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.commands.length > 0 && !this.closed) {
        const cmd = this.commands.shift() as EslCommand;
        await this.handle(cmd);
        this.outbound?.afterCommand();
        this.flushEvents();
      }
    } finally {
      this.running = false;
    }
    if (this.pending.length > 0) this.scheduleFlush();
  }

  private async handle(cmd: EslCommand): Promise<void> {
    const line = cmd.line.trim();
    const lower = line.toLowerCase();
    if (lower.startsWith("exit") || lower.startsWith("...")) {
      this.write(commandReply("+OK bye"));
      this.close();
      return;
    }
    if (!this.authed) {
      if (lower.startsWith("auth ")) {
        if (line.slice(5).trim() === this.host.password) {
          this.authed = true;
          this.write(commandReply("+OK accepted"));
        } else {
          this.write(commandReply("-ERR invalid"));
          this.close();
        }
        return;
      }
      if (lower.startsWith("userauth ")) {
        this.userauth(line.slice(9).trim());
        return;
      }
      this.write(commandReply("-ERR command not found"));
      return;
    }
    if (lower.startsWith("filter ")) {
      this.write(commandReply(handleEventCommand(this, line, lower)));
      return;
    }
    if (this.outbound) {
      const r = await this.outbound.handle(cmd, line, lower);
      if (r === "handled") return;
    }
    if (lower.startsWith("sendmsg")) {
      this.write(commandReply(this.sendmsg(cmd, line)));
      return;
    }
    if (this.outbound && !this.outbound.full) {
      this.write(commandReply("-ERR command not found"));
      return;
    }
    if (lower.startsWith("api ")) {
      this.write(apiResponse(await this.runApi(line.slice(4), false)));
      return;
    }
    if (lower.startsWith("bgapi ")) {
      this.bgapi(cmd, line.slice(6));
      return;
    }
    if (lower.startsWith("sendevent")) {
      this.write(commandReply(this.sendevent(cmd, line)));
      return;
    }
    this.write(commandReply(handleEventCommand(this, line, lower)));
  }

  private userauth(spec: string): void {
    const m = /^([^@:]+)@([^:]+):(.*)$/.exec(spec);
    const allowed = m
      ? this.host.userAuth(m[1] as string, m[2] as string, m[3] as string)
      : undefined;
    if (!allowed) {
      this.write(commandReply("-ERR invalid"));
      this.close();
      return;
    }
    this.authed = true;
    this.write(
      commandReply("+OK accepted", [
        ["Allowed-Events", allowed.events],
        ["Allowed-API", allowed.api],
        ["Allowed-LOG", "true"],
      ]),
    );
  }

  /** Runs an API command as api_exec does; returns its output. */
  async runApi(text: string, background: boolean): Promise<string> {
    const sp = text.indexOf(" ");
    const name = sp < 0 ? text : text.slice(0, sp);
    const arg = sp < 0 ? undefined : text.slice(sp + 1);
    const fn = this.host.api.get(name);
    const apiEv = this.host.bus.create("API", {
      file: "switch_loadable_module.c",
      func: "switch_api_execute",
      line: 2954,
    });
    apiEv.add("API-Command", name);
    apiEv.add("API-Command-Argument", arg);
    if (!fn) return `-ERR ${name} Command not found!\n`;
    const out = await fn(arg, { session: this.outbound?.session });
    this.host.bus.fire(apiEv);
    if (out === "" && !background) return "-ERR no reply\n";
    return out;
  }

  private bgapi(cmd: EslCommand, text: string): void {
    const jobHeader = cmd.headers.find(([n]) => n.toLowerCase() === "job-uuid");
    const job = jobHeader?.[1] || this.host.newUuid();
    this.write(commandReply(`+OK Job-UUID: ${job}`, [["Job-UUID", job]]));
    const sp = text.indexOf(" ");
    const name = sp < 0 ? text : text.slice(0, sp);
    const arg = sp < 0 ? undefined : text.slice(sp + 1);
    const owner = this.outbound?.session?.uuid;
    void this.runApi(text, true).then((out) => {
      const ev = this.host.bus.create("BACKGROUND_JOB", {
        file: "mod_event_socket.c",
        func: "api_exec",
        line: 1572,
      });
      ev.add("Job-UUID", job);
      ev.add("Job-Owner-UUID", owner);
      ev.add("Job-Command", name);
      ev.add("Job-Command-Arg", arg);
      ev.body = out || "Command returned no output!";
      this.host.bus.fire(ev);
    });
  }

  private sendmsg(cmd: EslCommand, line: string): string {
    let uuid: string | undefined = line.slice(7).trim() || undefined;
    if (!uuid) uuid = cmd.headers.find(([n]) => n.toLowerCase() === "session-id")?.[1];
    const own = this.outbound?.session;
    if (uuid && own && uuid === own.uuid) uuid = undefined;
    const target = uuid ? this.host.session(uuid) : own;
    if (!target) return `-ERR invalid session id [${uuid ?? ""}]`;
    target.enqueue(this.host.makeMessage(cmd));
    return "+OK";
  }

  private sendevent(cmd: EslCommand, line: string): string {
    const name = line.slice(9).trim().toUpperCase() || "CUSTOM";
    const uuid = this.host.newUuid();
    const sub = cmd.headers.find(([n]) => n.toLowerCase() === "event-subclass")?.[1];
    const ev = this.host.bus.create(name, SRC.channelData, name === "CUSTOM" ? sub : undefined);
    for (const [n, v] of cmd.headers) if (n.toLowerCase() !== "event-subclass") ev.add(n, v);
    ev.add("Event-UUID", uuid);
    if (cmd.body !== undefined) ev.body = cmd.body;
    this.host.bus.fire(ev);
    return `+OK ${uuid}`;
  }

  /** Sends the final notice and closes (exit, wrong password, hangup without linger). */
  close(sessionUuid?: string): void {
    if (this.closed) return;
    this.flushEvents();
    this.write(disconnectNotice(sessionUuid ?? this.outbound?.session?.uuid));
    this.closed = true;
    this.socket.end();
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.closed = true;
    this.unsubscribe();
    this.onClose?.();
  }
}

/** Outbound-socket behaviour plugged into a connection. */
export interface OutboundHandler {
  readonly session: Session;
  readonly full: boolean;
  /**
   * Handles connect/getvar/myevents/linger/resume and sendmsg to the socket's
   * own channel; "pass" lets the generic code run.
   */
  handle(cmd: EslCommand, line: string, lower: string): Promise<"handled" | "pass">;
  /** Runs after each reply, before queued events are written (static-mode disconnect check). */
  afterCommand(): void;
}

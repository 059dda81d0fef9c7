import { connect, type Socket } from "node:net";
import { park } from "../apps/basic-apps.js";
import { addProfileHeaders } from "../core/caller-profile.js";
import { SRC } from "../core/channel.js";
import type { Session } from "../core/session.js";
import type { EslCommand } from "../protocol/command-parser.js";
import { commandReply, connectReply, lingerNotice } from "../protocol/frames.js";
import { type ConnectionHost, EslConnection, type OutboundHandler } from "./connection.js";
import { enableMyEvents } from "./event-commands.js";

/** How often FreeSWITCH's listener loop polls (read timeout, ms). */
const POLL_MS = 20;

/**
 * The session side of an outbound socket: `connect`, `getvar`, `myevents`,
 * `linger`, `resume`, sendmsg to the socket's own channel (inline when the
 * socket is static, queued when async), and the hangup → linger notice →
 * final notice sequence of mod_event_socket's listener loop.
 */
export class OutboundListener implements OutboundHandler {
  readonly conn: EslConnection;
  connected = false;
  private lingerSec: number | undefined;
  private discoHandled = false;
  private finishedFlag = false;
  private readonly finishResolvers: Array<() => void> = [];
  private readonly connectResolvers: Array<() => void> = [];
  private readonly unobserve: () => void;

  constructor(
    host: ConnectionHost,
    socket: Socket,
    readonly session: Session,
    readonly asyncMode: boolean,
    readonly full: boolean,
  ) {
    this.conn = new EslConnection(host, socket, "outbound");
    this.conn.outbound = this;
    session.hold();
    this.conn.onClose = () => this.finish();
    this.unobserve = session.observe(() => this.checkDown());
  }

  get finished(): boolean {
    return this.finishedFlag;
  }

  whenFinished(): Promise<void> {
    if (this.finishedFlag) return Promise.resolve();
    return new Promise((r) => this.finishResolvers.push(r));
  }

  whenConnected(): Promise<void> {
    if (this.connected || this.finishedFlag) return Promise.resolve();
    return new Promise((r) => this.connectResolvers.push(r));
  }

  async handle(cmd: EslCommand, line: string, lower: string): Promise<"handled" | "pass"> {
    const ch = this.session.channel;
    if (lower.startsWith("connect")) {
      const ev = this.session.host.bus.create("CHANNEL_DATA", SRC.channelData);
      if (ch.profile) addProfileHeaders(ev, ch.profile, "Channel");
      ch.addData(ev);
      this.conn.write(connectReply(ev, this.asyncMode, this.full));
      this.connected = true;
      for (const r of this.connectResolvers.splice(0)) r();
      return "handled";
    }
    if (lower.startsWith("getvar")) {
      const name = line.slice(6).trim();
      const v = name ? ch.getVar(name) : undefined;
      this.conn.write(commandReply(v ? v : "-ERR command not found"));
      return "handled";
    }
    if (lower.startsWith("myevents")) {
      if (this.conn.sub.myevents) {
        this.conn.write(commandReply("-ERR aready enabled."));
        return "handled";
      }
      this.conn.sub.myUuid = this.session.uuid;
      enableMyEvents(this.conn, line);
      this.conn.write(commandReply("+OK Events Enabled"));
      return "handled";
    }
    if (lower.startsWith("resume")) {
      ch.setVar("socket_resume", "true");
      this.conn.write(commandReply("+OK"));
      return "handled";
    }
    if (lower.startsWith("divert_events")) {
      const v = line.slice(13).trim();
      this.conn.write(
        commandReply(
          !v
            ? "-ERR missing value."
            : v === "on"
              ? "+OK events diverted"
              : "+OK events not diverted",
        ),
      );
      return "handled";
    }
    if (lower.startsWith("sendmsg")) {
      const uuid = line.slice(7).trim();
      if (uuid && uuid !== this.session.uuid) return "pass";
      const msg = this.conn.host.makeMessage(cmd);
      if (this.asyncMode || msg.async) {
        this.session.enqueue(msg);
      } else {
        await this.session.runMessage(msg);
      }
      this.conn.write(commandReply("+OK"));
      return "handled";
    }
    if (this.full && (lower.startsWith("linger") || lower.startsWith("nolinger"))) {
      if (lower.startsWith("nolinger")) {
        this.lingerSec = undefined;
        this.conn.write(commandReply("+OK will not linger"));
        return "handled";
      }
      const arg = line.slice(6).trim();
      const n = arg ? Number.parseInt(arg, 10) || 0 : -1;
      this.lingerSec = n;
      this.conn.write(commandReply(n === -1 ? "+OK will linger" : `+OK will linger ${n} seconds`));
      return "handled";
    }
    return "pass";
  }

  /** Static sockets notice the hangup right after the command that caused it. */
  afterCommand(): void {
    if (!this.asyncMode) this.handleDisco();
  }

  private checkDown(): void {
    if (this.discoHandled || !this.session.channel.down) return;
    // The listener thread polls every 20 ms: events queued by then go out before the notice.
    this.session.clock.setTimeout(() => this.handleDisco(), POLL_MS);
  }

  private handleDisco(): void {
    if (this.discoHandled || this.finishedFlag || !this.session.channel.down) return;
    this.discoHandled = true;
    if (this.lingerSec === undefined) {
      this.conn.close(this.session.uuid);
      return;
    }
    // An async listener writes what its queue holds first; a static one is still on the
    // channel thread, so the hangup's own events reach it only after the notice.
    if (this.asyncMode) this.conn.flushEvents();
    this.conn.write(lingerNotice(this.session.uuid, this.session.channel.name, this.lingerSec));
    if (this.lingerSec >= 0) {
      // FS compares whole epoch seconds: a 1 s linger ends 1-2 s later.
      const now = this.session.clock.now();
      const deadline = (Math.floor(now / 1000) + this.lingerSec + 1) * 1000 + 1;
      this.session.clock.setTimeout(() => this.conn.close(this.session.uuid), deadline - now);
    }
  }

  private finish(): void {
    if (this.finishedFlag) return;
    this.finishedFlag = true;
    this.unobserve();
    // The listener drops CF_CONTROLLED: a parked socket channel leaves park.
    // It never hangs up: the socket app returns and the dialplan goes on. An
    // application the socket started (endless hold music) is broken off, so
    // the app returns at once in async mode (as checked on a 1.10.12 switch).
    this.session.parked = false;
    if (this.asyncMode && !this.session.channel.down) this.session.breakRequested = true;
    this.session.release();
    for (const r of this.connectResolvers.splice(0)) r();
    for (const r of this.finishResolvers.splice(0)) r();
  }
}

/** Parses `host[:port] [async] [full]`. */
export function parseSocketArg(arg: string): {
  host: string;
  port: number;
  async: boolean;
  full: boolean;
} {
  const [target = "", ...flags] = arg.trim().split(/\s+/);
  const hostPart = target.split("|")[0] ?? "";
  const [host = "127.0.0.1", port = "8084"] = hostPart.split("/")[0]?.split(":") ?? [];
  return {
    host,
    port: Number.parseInt(port, 10) || 8084,
    async: flags.some((f) => f.toLowerCase() === "async"),
    full: flags.some((f) => f.toLowerCase() === "full"),
  };
}

/**
 * The `socket` dialplan application. `redirect` maps a `host:port` the
 * dialplan names to where the simulator really connects (see
 * `FsSimOptions.socketRedirects`); the channel still reports the address
 * the dialplan named.
 */
export function socketApp(host: ConnectionHost, redirect: ReadonlyMap<string, number> = new Map()) {
  return async (session: Session, arg: string | undefined): Promise<void> => {
    const opts = parseSocketArg(arg ?? "");
    session.channel.setVar("socket_host", opts.host);
    const port = redirect.get(`${opts.host}:${opts.port}`) ?? opts.port;
    const socket = await new Promise<Socket | undefined>((resolve) => {
      const s = connect({ host: opts.host, port });
      s.once("connect", () => resolve(s));
      s.once("error", () => resolve(undefined));
    });
    if (!socket) return;
    const listener = new OutboundListener(host, socket, session, opts.async, opts.full);
    if (opts.async) {
      await listener.whenConnected();
      if (!listener.finished && session.ready) await parkForSocket(session, listener);
      await session.parseAllEvents();
      return;
    }
    await listener.whenFinished();
  };
}

async function parkForSocket(session: Session, listener: OutboundListener): Promise<void> {
  if (listener.finished) return;
  await park(session);
}

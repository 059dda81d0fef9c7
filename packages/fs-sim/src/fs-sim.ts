import { randomUUID } from "node:crypto";
import { ApiRegistry } from "./api/api-registry.js";
import { registerApiCommands } from "./api/register.js";
import { registerBasicApps } from "./apps/basic-apps.js";
import { bridgeApp } from "./apps/bridge.js";
import { registerMediaApps } from "./apps/media-apps.js";
import { ScaledClock, type SimClock } from "./clock/clock.js";
import { EventBus } from "./core/event-bus.js";
import { PrivateMessage } from "./core/private-message.js";
import type { Session } from "./core/session.js";
import { SimCore } from "./core/sim-core.js";
import { Dialplan } from "./dialplan/dialplan.js";
import type { Endpoint } from "./endpoints/endpoint.js";
import { loopbackEndpoint } from "./endpoints/loopback.js";
import { nullEndpoint } from "./endpoints/null.js";
import { type CallerSpec, placeSofiaCall } from "./endpoints/sofia-caller.js";
import { userEndpoint } from "./endpoints/user.js";
import { type ConnectionHost, EslConnection } from "./esl/connection.js";
import { InboundServer } from "./esl/inbound-server.js";
import { socketApp } from "./esl/outbound-socket.js";
import type { EslCommand } from "./protocol/command-parser.js";
import { FsEvent } from "./protocol/fs-event.js";
import { type CallResult, type ChannelInfo, describe, resultOf } from "./scripting/channel-view.js";
import { Directory } from "./scripting/directory.js";

/** A call placed with {@link FsSim.placeCall}. */
export interface PlacedCall {
  /** The caller's channel uuid. */
  uuid: string;
  /** Resolves when the caller's channel is gone. */
  result: Promise<CallResult>;
}

/** Options for {@link FsSim.start}. */
export interface FsSimOptions {
  /** Inbound ESL port (0 = any free port). Default 8021. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1. */
  host?: string;
  /** ESL password. Default ClueCon. */
  password?: string;
  /** Time source; default the host clock sped up by `timeScale`. */
  clock?: SimClock;
  /** Speed-up of the default clock (10 = ten times faster). Default 1. */
  timeScale?: number;
  /**
   * Where the `socket` application really connects, by the `host:port` the
   * dialplan names (e.g. `{ "127.0.0.1:9000": 51234 }`): lets the
   * recordings' fixed dialplan run beside something else on 9000. The
   * channel still reports the address named.
   */
  socketRedirects?: Readonly<Record<string, number>>;
  /** FreeSWITCH-Hostname of the events. Default "fs-sim". */
  hostname?: string;
}

/**
 * A FreeSWITCH simulator: inbound ESL, channels and their events, originate,
 * dialplan, outbound sockets, scripted endpoints.
 */
export class FsSim {
  /** The simulator's time: drive it in tests by passing a {@link ManualClock}. */
  readonly clock: SimClock;
  /** @internal The event bus (sequence numbers, fan-out to connections). */
  readonly bus: EventBus;
  /** @internal Sessions, applications and the state machine. */
  readonly core: SimCore;
  /** @internal The API commands (`api` / `bgapi`). */
  readonly api = new ApiRegistry();
  /** Destination numbers → applications; 7000 → `socket 127.0.0.1:8084 async full` (the worker's default) by default. */
  readonly dialplan = new Dialplan();
  /** @internal Endpoint modules by name (loopback, null, user). */
  readonly endpoints = new Map<string, Endpoint>();
  /** Global variables, as `global_getvar` / `global_setvar` see them. */
  readonly globals = new Map<string, string>();
  /** Directory users and their phones' scripted behaviour. */
  readonly directory = new Directory();
  private readonly server: InboundServer;
  private boundPort = 0;

  private constructor(readonly options: FsSimOptions) {
    this.clock = options.clock ?? new ScaledClock(options.timeScale ?? 1);
    this.bus = new EventBus(this.clock, {
      coreUuid: randomUUID(),
      hostname: options.hostname ?? "fs-sim",
      ipv4: "127.0.0.1",
      ipv6: "::1",
    });
    this.core = new SimCore(this.bus, this.clock);
    this.core.router = (s) => this.dialplan.route(s);
    for (const ep of [loopbackEndpoint, nullEndpoint, userEndpoint(this.directory)]) {
      this.endpoints.set(ep.name, ep);
    }
    registerBasicApps(this.core);
    registerMediaApps(this.core);
    registerApiCommands(this);
    const host: ConnectionHost = {
      bus: this.bus,
      api: this.api,
      password: options.password ?? "ClueCon",
      session: (uuid) => this.core.session(uuid),
      newUuid: () => randomUUID(),
      makeMessage: (cmd) => messageFromCommand(cmd),
      userAuth: (user, domain, pass) => {
        const u = this.directory.get(user);
        const pw = u?.variables["esl-password"];
        if (!u || !pw || pw !== pass || domain !== this.directory.domain) return undefined;
        return {
          events: u.variables["esl-allowed-events"] ?? "all",
          api: u.variables["esl-allowed-api"] ?? "all",
        };
      },
    };
    this.connectionHost = host;
    this.core.registerApp(
      "socket",
      socketApp(host, new Map(Object.entries(options.socketRedirects ?? {}))),
    );
    this.core.registerApp("bridge", bridgeApp(this.core, this.endpoints));
    this.server = new InboundServer(host);
  }

  /** What ESL connections (inbound and outbound) use. */
  readonly connectionHost: ConnectionHost;

  /** Starts a simulator listening for inbound ESL. */
  static async start(options: FsSimOptions = {}): Promise<FsSim> {
    const sim = new FsSim(options);
    sim.boundPort = await sim.server.listen(options.port ?? 8021, options.host ?? "127.0.0.1");
    return sim;
  }

  /** The inbound ESL port actually bound. */
  get port(): number {
    return this.boundPort;
  }

  /** The directory: add users and script their phones (`sim.users.set("1001", {...})`). */
  get users(): Directory {
    return this.directory;
  }

  /**
   * A SIP caller dials `spec.to`: its channel is created and runs the
   * dialplan (by default 7000 → the outbound socket on 127.0.0.1:8084, where a worker listens by default).
   */
  placeCall(spec: CallerSpec): PlacedCall {
    const s = placeSofiaCall(this.core, spec);
    return { uuid: s.uuid, result: resultOf(s) };
  }

  /** Every live channel. */
  channels(): ChannelInfo[] {
    return this.core.all().map(describe);
  }

  /** One live channel by uuid. */
  channel(uuid: string): ChannelInfo | undefined {
    const s = this.core.session(uuid);
    return s ? describe(s) : undefined;
  }

  /**
   * Resolves with the first channel (live now or later) that satisfies
   * `match`; a channel is re-checked whenever something happens to it.
   */
  waitForChannel(
    match: (c: ChannelInfo) => boolean,
    opts: { timeoutMs?: number } = {},
  ): Promise<ChannelInfo> {
    return new Promise((resolve, reject) => {
      const offs: Array<() => void> = [];
      let settled = false;
      const finish = (info?: ChannelInfo, err?: Error) => {
        if (settled) return;
        settled = true;
        for (const o of offs.splice(0)) o();
        clearTimeout(timer);
        if (info) resolve(info);
        else reject(err);
      };
      const check = (s: Session) => {
        if (settled || s.destroyed) return;
        const info = describe(s);
        if (match(info)) finish(info);
      };
      const watch = (s: Session) => {
        offs.push(s.observe(() => check(s)));
        check(s);
      };
      const timer = setTimeout(
        () => finish(undefined, new Error("waitForChannel: timed out")),
        opts.timeoutMs ?? 10_000,
      );
      for (const s of this.core.all()) watch(s);
      offs.push(
        this.core.watch((s, what) => {
          if (what === "created") watch(s);
        }),
      );
    });
  }

  /** Hangs a channel up, as `uuid_kill` does. Returns false if there is no such channel. */
  hangup(uuid: string, cause = "NORMAL_CLEARING"): boolean {
    const s = this.core.session(uuid);
    if (!s) return false;
    s.hangup(cause);
    return true;
  }

  /** The far end of a channel presses DTMF digits. */
  sendDtmf(uuid: string, digits: string): boolean {
    const s = this.core.session(uuid);
    if (!s) return false;
    s.receiveDtmf(digits);
    return true;
  }

  /**
   * Stops listening, hangs up every channel (SYSTEM_SHUTDOWN), closes every
   * ESL socket and cancels the simulator's timers.
   */
  async stop(): Promise<void> {
    for (const s of this.core.all()) s.hangup("SYSTEM_SHUTDOWN");
    await this.server.close();
    for (const sink of this.bus.allSinks()) {
      if (sink instanceof EslConnection) sink.socket.destroy();
    }
    if (this.clock instanceof ScaledClock) this.clock.dispose();
  }
}

/** A sendmsg's headers and body as the message the channel will run. */
export function messageFromCommand(cmd: EslCommand): PrivateMessage {
  const ev = new FsEvent("PRIVATE_COMMAND");
  let raw = `${cmd.line}\n`;
  for (const [n, v] of cmd.headers) raw += `${n}: ${v}\n`;
  raw += "\n";
  ev.add("Command", raw);
  for (const [n, v] of cmd.headers) ev.add(n, v);
  if (cmd.body !== undefined) ev.body = cmd.body;
  return new PrivateMessage(ev);
}

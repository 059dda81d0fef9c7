import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * The switch's end of an Event Socket TCP connection, scripted by a test:
 * it sends exact bytes (split and merged into arbitrary TCP writes) and
 * reads the client's commands one by one.
 */

/** A command the client sent. */
export interface ClientCommand {
  /** The first line, e.g. `api status` or `sendmsg <uuid>`. */
  readonly line: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** Whether the switch had already written everything queued when this command arrived. */
  readonly sentAfterReply: boolean;
}

let seedCounter = Number(process.env.ESL_TEST_SEED ?? 1);

/** Small deterministic PRNG (mulberry32), so a failing split can be replayed with ESL_TEST_SEED. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class SwitchPeer {
  /** Seed of this peer's write splitting. */
  readonly seed = seedCounter++;
  /** Resolves when the TCP connection has closed. */
  readonly closed: Promise<void>;
  /** Every command received so far. */
  readonly received: ClientCommand[] = [];
  private readonly random = prng(this.seed);
  private inbound = "";
  private outbound = "";
  private writing = false;
  private readonly waiters: Array<(command: ClientCommand) => void> = [];
  private readonly backlog: ClientCommand[] = [];
  private flushWaiters: Array<() => void> = [];

  constructor(readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("error", () => undefined);
    this.closed = new Promise((resolve) => socket.once("close", () => resolve()));
    socket.on("data", (chunk) => {
      this.inbound += chunk.toString("utf8");
      this.parse();
    });
  }

  /** Queues bytes; they go out in random-sized writes, several messages sometimes in one. */
  send(data: string): void {
    this.outbound += data;
    if (!this.writing) {
      this.writing = true;
      setImmediate(() => this.writeSome());
    }
  }

  /** Resolves once everything queued has been handed to the socket. */
  flushed(): Promise<void> {
    if (!this.writing) return Promise.resolve();
    return new Promise((resolve) => this.flushWaiters.push(resolve));
  }

  /** The next command the client sends (or already sent). */
  nextCommand(): Promise<ClientCommand> {
    const queued = this.backlog.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The next command, which must start with `prefix`. */
  async expect(prefix: string): Promise<ClientCommand> {
    const command = await this.nextCommand();
    if (!command.line.startsWith(prefix)) {
      throw new Error(`expected a command starting with "${prefix}", got "${command.line}"`);
    }
    return command;
  }

  /** Closes with a FIN after the queued bytes went out. */
  async end(): Promise<void> {
    await this.flushed();
    this.socket.end();
  }

  /** Drops the connection with an RST. */
  reset(): void {
    this.socket.resetAndDestroy();
  }

  private writeSome(): void {
    if (this.socket.destroyed) {
      this.outbound = "";
    }
    if (this.outbound === "") {
      this.writing = false;
      const waiters = this.flushWaiters;
      this.flushWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    const r = this.random();
    // Tiny pieces split "\n\n" and Content-Length bodies; big ones merge messages.
    const size =
      r < 0.3
        ? 1 + Math.floor(this.random() * 3)
        : r < 0.7
          ? 1 + Math.floor(this.random() * 200)
          : 1 + Math.floor(this.random() * 8192);
    this.socket.write(this.outbound.slice(0, size));
    this.outbound = this.outbound.slice(size);
    setImmediate(() => this.writeSome());
  }

  private parse(): void {
    for (;;) {
      const end = this.inbound.indexOf("\n\n");
      if (end < 0) return;
      const lines = this.inbound.slice(0, end).split("\n");
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(": ");
        headers[line.slice(0, colon)] = line.slice(colon + 2);
      }
      const length = Number(headers["Content-Length"] ?? 0);
      if (this.inbound.length < end + 2 + length) return;
      const body = this.inbound.slice(end + 2, end + 2 + length);
      this.inbound = this.inbound.slice(end + 2 + length);
      const command: ClientCommand = {
        line: lines[0] ?? "",
        headers,
        body,
        sentAfterReply: !this.writing,
      };
      this.received.push(command);
      const waiter = this.waiters.shift();
      if (waiter) waiter(command);
      else this.backlog.push(command);
    }
  }
}

/** A fake switch listening for inbound clients on a free port. */
export class FakeSwitch {
  private readonly peers: SwitchPeer[] = [];
  private readonly waiting: Array<(peer: SwitchPeer) => void> = [];
  private readonly accepted: SwitchPeer[] = [];

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {
    server.on("connection", (socket) => {
      const peer = new SwitchPeer(socket);
      this.peers.push(peer);
      const waiter = this.waiting.shift();
      if (waiter) waiter(peer);
      else this.accepted.push(peer);
    });
  }

  static async start(): Promise<FakeSwitch> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address !== "object" || !address) throw new Error("no address");
    return new FakeSwitch(server, address.port);
  }

  /** The next client connection. */
  nextPeer(): Promise<SwitchPeer> {
    const peer = this.accepted.shift();
    if (peer) return Promise.resolve(peer);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  async close(): Promise<void> {
    for (const peer of this.peers) peer.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Opens a connection to an outbound-socket server, as the `socket` app does. */
export async function dialOutbound(port: number): Promise<SwitchPeer> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return new SwitchPeer(socket);
}

/** A port nobody listens on. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || !address) throw new Error("no address");
  return address.port;
}

/** FreeSWITCH's command/reply, byte for byte. */
export function commandReply(text: string): string {
  return `Content-Type: command/reply\nReply-Text: ${text}\n\n`;
}

/** FreeSWITCH's api/response, byte for byte. */
export function apiResponse(body: string): string {
  return `Content-Type: api/response\nContent-Length: ${Buffer.byteLength(body)}\n\n${body}`;
}

/**
 * Plays FreeSWITCH's side of an inbound handshake as recorded (01, 02):
 * auth/request, `+OK accepted`, then the client's subscription.
 */
export async function acceptInbound(peer: SwitchPeer, password = "ClueCon"): Promise<void> {
  peer.send("Content-Type: auth/request\n\n");
  const auth = await peer.expect("auth ");
  if (auth.line !== `auth ${password}`) throw new Error(`unexpected ${auth.line}`);
  peer.send(commandReply("+OK accepted"));
  await peer.expect("event plain BACKGROUND_JOB");
  peer.send(commandReply("+OK event listener enabled plain"));
}

/**
 * Plays FreeSWITCH's side of an outbound session's set-up: the recorded
 * CHANNEL_DATA reply to `connect`, `+OK Events Enabled`, then the linger
 * reply in the form FreeSWITCH gives it (`+OK will linger 1 seconds` in 11).
 */
export async function acceptOutbound(peer: SwitchPeer, connectReply: string): Promise<void> {
  await peer.expect("connect");
  peer.send(connectReply);
  await peer.expect("myevents");
  peer.send(commandReply("+OK Events Enabled"));
  const linger = await peer.expect("linger ");
  peer.send(commandReply(`+OK will linger ${linger.line.slice("linger ".length)} seconds`));
}

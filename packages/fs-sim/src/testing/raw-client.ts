import { once } from "node:events";
import { createConnection, createServer, type Server, type Socket } from "node:net";

/** One message as a client reads it: envelope headers and body. */
export interface RawMessage {
  headers: Record<string, string>;
  body: string;
  /** The exact bytes of the message. */
  raw: string;
}

/**
 * A deliberately dumb ESL peer for conformance tests: it writes exactly the
 * bytes it is given (in as many or as few TCP writes as asked) and parses
 * what comes back with its own minimal reader, keeping the raw bytes.
 */
export class RawClient {
  private buf = "";
  private readonly queue: RawMessage[] = [];
  private waiters: Array<() => void> = [];
  closed = false;
  /** Everything received, byte for byte. */
  received = "";

  constructor(readonly socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      this.received += d;
      this.buf += d;
      this.parse();
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  static async connect(port: number): Promise<RawClient> {
    const s = createConnection({ host: "127.0.0.1", port });
    await once(s, "connect");
    return new RawClient(s);
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private parse(): void {
    for (;;) {
      const end = this.buf.indexOf("\n\n");
      if (end < 0) return;
      const head = this.buf.slice(0, end);
      const headers: Record<string, string> = {};
      for (const line of head.split("\n")) {
        const i = line.indexOf(": ");
        if (i > 0) headers[line.slice(0, i)] = line.slice(i + 2);
      }
      const len = Number.parseInt(headers["Content-Length"] ?? "0", 10);
      const bytes = Buffer.from(this.buf, "utf8");
      const headBytes = Buffer.byteLength(head) + 2;
      if (bytes.length < headBytes + len) return;
      const body = bytes.subarray(headBytes, headBytes + len).toString("utf8");
      const raw = bytes.subarray(0, headBytes + len).toString("utf8");
      this.buf = bytes.subarray(headBytes + len).toString("utf8");
      this.queue.push({ headers, body, raw });
    }
  }

  /** Writes `data` in one write, or split into the given chunk sizes. */
  async send(data: string, chunks?: number[]): Promise<void> {
    if (!chunks) {
      this.socket.write(data);
      return;
    }
    const bytes = Buffer.from(data, "utf8");
    let at = 0;
    for (const n of chunks) {
      this.socket.write(bytes.subarray(at, at + n));
      at += n;
      await new Promise((r) => setTimeout(r, 2));
    }
    if (at < bytes.length) this.socket.write(bytes.subarray(at));
  }

  /** The next message (waits up to `timeoutMs` of real time). */
  async next(timeoutMs = 3000): Promise<RawMessage> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error("connection closed");
      const left = deadline - Date.now();
      if (left <= 0) throw new Error("timed out waiting for a message");
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return this.queue.shift() as RawMessage;
  }

  /** Reads messages until one satisfies `pred`; returns it and the ones skipped. */
  async until(
    pred: (m: RawMessage) => boolean,
    timeoutMs = 3000,
  ): Promise<{ hit: RawMessage; skipped: RawMessage[] }> {
    const skipped: RawMessage[] = [];
    for (;;) {
      const m = await this.next(timeoutMs);
      if (pred(m)) return { hit: m, skipped };
      skipped.push(m);
    }
  }

  /** Messages already received and not read yet. */
  pending(): RawMessage[] {
    return [...this.queue];
  }

  /** Resolves once the server closed the socket. */
  async waitClosed(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error("socket not closed");
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Sends a command and returns the reply, waiting up to `timeoutMs` for each message. */
export async function command(c: RawClient, text: string, timeoutMs = 3000): Promise<RawMessage> {
  await c.send(text.endsWith("\n\n") ? text : `${text}\n\n`);
  return c
    .until(
      (m) =>
        m.headers["Content-Type"] !== "text/event-plain" &&
        m.headers["Content-Type"] !== "text/event-json",
      timeoutMs,
    )
    .then((r) => r.hit);
}

/** Logs in: reads auth/request, sends auth. */
export async function login(port: number, password = "ClueCon"): Promise<RawClient> {
  const c = await RawClient.connect(port);
  await c.next();
  await c.send(`auth ${password}\n\n`);
  const r = await c.next();
  if (r.headers["Reply-Text"] !== "+OK accepted") throw new Error(`auth failed: ${r.raw}`);
  return c;
}

/** Parses a plain event body into (name, decoded value) pairs, in order. */
export function plainHeaders(body: string): Array<[string, string]> {
  const head = body.split("\n\n")[0] ?? "";
  return head
    .split("\n")
    .filter(Boolean)
    .map((l) => {
      const i = l.indexOf(": ");
      return [l.slice(0, i), decodeURIComponent(l.slice(i + 2))] as [string, string];
    });
}

/** A plain event's first value of `name`. */
export function header(m: RawMessage, name: string): string | undefined {
  return plainHeaders(m.body).find(([n]) => n === name)?.[1];
}

/** An outbound-socket app server for tests: hands each accepted socket to `onClient`. */
export async function appServer(
  onClient: (c: RawClient) => void,
): Promise<{ port: number; server: Server }> {
  const server = createServer((s) => onClient(new RawClient(s)));
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const a = server.address();
  return { port: typeof a === "object" && a ? a.port : 0, server };
}

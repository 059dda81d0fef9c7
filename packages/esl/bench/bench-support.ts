import { readFileSync } from "node:fs";
import { connect as connectTcp, type Socket } from "node:net";
import { availableParallelism, loadavg } from "node:os";

/** The `p`-th percentile of ascending `sorted` samples (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] as number;
}

/** The median of `values`. */
export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** One line naming the machine: CPU model (/proc/cpuinfo), cores, Node, load. */
export function machine(): string {
  let cpu = "unknown CPU";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8")
      .split("\n")
      .find((l) => l.startsWith("model name"));
    if (line) cpu = line.slice(line.indexOf(":") + 1).trim();
  } catch {
    // Not Linux: leave it unknown.
  }
  const load = loadavg()
    .map((l) => l.toFixed(1))
    .join(" / ");
  return `${cpu}, ${availableParallelism()} cores, Node ${process.version}, load average ${load} (1/5/15 min)`;
}

/** A message as it came off the wire: envelope headers and body, nothing decoded. */
export interface RawMessage {
  readonly contentType: string;
  readonly body: string;
}

/**
 * The least an Event Socket client can do: frame messages (blank line, then
 * Content-Length bytes) and keep them in order, decoding nothing. The
 * baseline the typed layer is compared with in the same run. It shares no
 * code with the package (nor with fs-sim's test client).
 */
export class RawEslClient {
  private buffer: Buffer = Buffer.alloc(0);
  private readonly messages: RawMessage[] = [];
  private wake: (() => void) | undefined;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on("data", (chunk: Buffer) => this.read(chunk));
  }

  /** Connects and authenticates. */
  static async open(port: number, password = "ClueCon"): Promise<RawEslClient> {
    const socket = connectTcp({ host: "127.0.0.1", port });
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", resolve);
      socket.once("error", reject);
    });
    const client = new RawEslClient(socket);
    await client.next(); // auth/request
    const reply = await client.command(`auth ${password}`);
    if (!reply.startsWith("+OK")) throw new Error(`auth refused: ${reply}`);
    return client;
  }

  /** Writes a command (with optional headers) without waiting for anything. */
  send(line: string, headers: Readonly<Record<string, string>> = {}): void {
    const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\n`);
    this.socket.write(`${line}\n${lines.join("")}\n`);
  }

  /** Sends a command and resolves with its reply text (Reply-Text or the api body), skipping events. */
  async command(line: string): Promise<string> {
    this.send(line);
    for (;;) {
      const message = await this.next();
      if (message.contentType === "command/reply" || message.contentType === "api/response")
        return message.body;
    }
  }

  /** The next message, whatever it is. */
  async next(): Promise<RawMessage> {
    for (;;) {
      const message = this.messages.shift();
      if (message) return message;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  close(): void {
    this.socket.destroy();
  }

  private read(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const end = this.buffer.indexOf("\n\n");
      if (end < 0) break;
      const head = this.buffer.toString("latin1", 0, end);
      const length = Number(/^Content-Length: (\d+)$/m.exec(head)?.[1] ?? 0);
      if (this.buffer.length < end + 2 + length) break;
      const contentType = /^Content-Type: (.*)$/m.exec(head)?.[1] ?? "";
      const reply = /^Reply-Text: (.*)$/m.exec(head)?.[1];
      const body = this.buffer.toString("utf8", end + 2, end + 2 + length);
      this.buffer = this.buffer.subarray(end + 2 + length);
      this.messages.push({
        contentType,
        body: contentType === "command/reply" ? (reply ?? "") : body,
      });
    }
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Formats milliseconds for a table. */
export function ms(value: number): string {
  return value < 1 ? value.toFixed(3) : value.toFixed(2);
}

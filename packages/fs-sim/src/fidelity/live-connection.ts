import type { Socket } from "node:net";
import { MessageCounter, type ReplayConnection, type TranscriptRow } from "./transcript.js";

/** Records a whole live conversation in the transcript format. */
export class Recorder {
  readonly rows: TranscriptRow[] = [];
  private readonly t0 = performance.now();

  log(conn: string, dir: "to_fs" | "from_fs", data: string, eof = false): void {
    const row: TranscriptRow = {
      t_ms: Math.round((performance.now() - this.t0) * 1000) / 1000,
      conn,
      dir,
      data,
    };
    if (eof) row.eof = true;
    this.rows.push(row);
  }

  toJsonl(): string {
    return `${this.rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Replays one recorded client connection over a live socket: before each
 * step it waits until as many server messages arrived as the recording had
 * (or a timeout), reproduces the recorded pause, then sends.
 */
export class LiveConnection {
  private readonly counter: MessageCounter;
  private eof = false;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly rec: Recorder,
    readonly name: string,
    private readonly socket: Socket,
  ) {
    this.counter = new MessageCounter(name.startsWith("outbound"));
    socket.setEncoding("utf8");
    socket.on("data", (d: string) => {
      rec.log(name, "from_fs", d);
      this.counter.feed(d);
      this.wake();
    });
    socket.on("end", () => this.closed());
    socket.on("close", () => this.closed());
    socket.on("error", () => this.closed());
  }

  private closed(): void {
    if (this.eof) return;
    this.eof = true;
    this.rec.log(this.name, "from_fs", "", true);
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  private async until(cond: () => boolean, timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (!cond()) {
      const left = deadline - performance.now();
      if (left <= 0 || this.eof) return cond();
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.min(left, 100));
        this.waiters.push(() => {
          clearTimeout(t);
          r();
        });
      });
    }
    return true;
  }

  /** Replays the recorded steps of `trace`, then waits for the server's close if it closed. */
  async replay(
    trace: ReplayConnection,
    opts: { timeoutMs: number; maxPauseMs: number },
  ): Promise<void> {
    for (const step of trace.steps) {
      await this.until(() => this.counter.count >= step.expectBefore, opts.timeoutMs);
      if (this.eof) break;
      // Let the messages that follow the expected ones settle, as a client reading them would.
      if (step.quietMs > 20) await sleep(Math.min(step.quietMs, opts.maxPauseMs));
      if (step.eof) {
        this.rec.log(this.name, "to_fs", "", true);
        this.socket.end();
        continue;
      }
      this.rec.log(this.name, "to_fs", step.data);
      this.socket.write(step.data);
    }
    await this.until(() => this.counter.count >= trace.totalMessages, opts.timeoutMs);
    if (trace.serverClosed) await this.until(() => this.eof, opts.timeoutMs);
    else await sleep(300);
    this.socket.destroy();
  }
}

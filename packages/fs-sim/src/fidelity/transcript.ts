import { readFile } from "node:fs/promises";

/** One row of a recorded ESL conversation (reference/transcripts format). */
export interface TranscriptRow {
  t_ms: number;
  conn: string;
  dir: "to_fs" | "from_fs";
  data: string;
  eof?: boolean;
}

/** A client step to replay: what to send, after how many server messages. */
export interface ReplayStep {
  data: string;
  eof: boolean;
  /** Server messages the recording shows on this connection before the step. */
  expectBefore: number;
  /** Pause in the recording between the previous row on this connection and the step. */
  quietMs: number;
}

/** One connection of a recording, ready to replay. */
export interface ReplayConnection {
  name: string;
  kind: "inbound" | "outbound";
  firstMs: number;
  lastMs: number;
  steps: ReplayStep[];
  /** Server messages in the whole recording of this connection. */
  totalMessages: number;
  serverClosed: boolean;
}

/**
 * Counts complete ESL messages in a byte stream from the server: a header
 * block ended by an empty line, then Content-Length bytes.
 */
export class MessageCounter {
  private buf = "";
  count = 0;

  /** `skipPark`: CHANNEL_PARK on an outbound socket is a known race; it is not counted. */
  constructor(private readonly skipPark = false) {}

  feed(text: string): number {
    this.buf += text;
    for (;;) {
      while (this.buf.startsWith("\n")) this.buf = this.buf.slice(1);
      const end = this.buf.indexOf("\n\n");
      if (end < 0) return this.count;
      const head = this.buf.slice(0, end);
      const m = /^Content-Length:\s*(\d+)/im.exec(head);
      const len = m ? Number.parseInt(m[1] as string, 10) : 0;
      if (Buffer.byteLength(this.buf) < end + 2 + len) return this.count;
      // Recordings are ASCII: characters are bytes.
      const body = this.buf.slice(end + 2, end + 2 + len);
      this.buf = this.buf.slice(end + 2 + len);
      if (this.skipPark && /Event-Name(": "|: )CHANNEL_PARK\b/.test(body.slice(0, 40))) continue;
      this.count++;
    }
  }
}

/** Loads a recording and turns each connection's client side into replay steps. */
export async function loadTranscript(path: string): Promise<ReplayConnection[]> {
  const rows = (await readFile(path, "utf8"))
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as TranscriptRow);
  const conns = new Map<string, ReplayConnection & { counter: MessageCounter; lastRow: number }>();
  for (const r of rows) {
    let c = conns.get(r.conn);
    if (!c) {
      c = {
        name: r.conn,
        kind: r.conn.startsWith("outbound") ? "outbound" : "inbound",
        firstMs: r.t_ms,
        lastMs: r.t_ms,
        steps: [],
        totalMessages: 0,
        serverClosed: false,
        counter: new MessageCounter(r.conn.startsWith("outbound")),
        lastRow: r.t_ms,
      };
      conns.set(r.conn, c);
    }
    if (r.dir === "to_fs") {
      c.steps.push({
        data: r.data,
        eof: r.eof === true,
        expectBefore: c.counter.count,
        quietMs: Math.max(0, r.t_ms - c.lastRow),
      });
    } else if (r.eof) {
      c.serverClosed = true;
    } else {
      c.totalMessages = c.counter.feed(r.data);
    }
    c.lastRow = r.t_ms;
    c.lastMs = r.t_ms;
  }
  return [...conns.values()].map(({ counter: _c, lastRow: _l, ...rest }) => rest);
}

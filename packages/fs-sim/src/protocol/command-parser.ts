/**
 * Reassembles what an ESL client writes into commands, as mod_event_socket's
 * `read_packet` does: a command line, optional `Name: value` lines, an empty
 * line, then exactly `Content-Length` body bytes when that header is present.
 * CR is ignored (so `\r\n\r\n` terminates like `\n\n`) and blank lines before
 * a command are skipped.
 */

/** One command as the client sent it. */
export interface EslCommand {
  /** The first line, e.g. `api status` or `sendmsg <uuid>`. */
  readonly line: string;
  /** The following `Name: value` lines, in order. */
  readonly headers: ReadonlyArray<readonly [string, string]>;
  /** The body, when a Content-Length header announced one. */
  readonly body?: string;
}

/** Largest body FreeSWITCH accepts (current master drops the connection beyond it). */
export const MAX_CONTENT_LENGTH = 16 * 1024 * 1024;

/** Thrown for a Content-Length that FreeSWITCH would answer by closing the socket. */
export class EslFramingError extends Error {
  readonly code = "ESL_FRAMING";
}

/** Incremental parser; feed it chunks as TCP delivers them. */
export class CommandParser {
  private buf: Buffer = Buffer.alloc(0);

  /** Adds a chunk and returns every command it completed. */
  feed(chunk: Buffer): EslCommand[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: EslCommand[] = [];
    for (;;) {
      const cmd = this.next();
      if (!cmd) return out;
      out.push(cmd);
    }
  }

  private next(): EslCommand | undefined {
    // Skip leading blank lines (LF, optionally preceded by CR).
    let start = 0;
    while (start < this.buf.length) {
      const c = this.buf[start];
      if (c === 0x0a || c === 0x0d) start++;
      else break;
    }
    if (start > 0) this.buf = this.buf.subarray(start);
    const end = findHeaderEnd(this.buf);
    if (end < 0) return undefined;
    const text = this.buf.subarray(0, end).toString("utf8").replace(/\r/g, "");
    const lines = text.split("\n").filter((l) => l.length > 0);
    const line = lines.shift() ?? "";
    const headers: [string, string][] = [];
    let contentLength: number | undefined;
    for (const l of lines) {
      const i = l.indexOf(":");
      if (i < 0) continue;
      const name = l.slice(0, i).trim();
      const value = l.slice(i + 1).replace(/^ +/, "");
      headers.push([name, value]);
      if (name.toLowerCase() === "content-length") contentLength = Number.parseInt(value, 10);
    }
    const headerBytes = end + 1;
    if (
      contentLength !== undefined &&
      !(contentLength >= 0 && contentLength <= MAX_CONTENT_LENGTH)
    ) {
      throw new EslFramingError(`bad Content-Length ${contentLength}`);
    }
    if (contentLength !== undefined && contentLength > 0) {
      if (this.buf.length < headerBytes + contentLength) return undefined;
      const body = this.buf.subarray(headerBytes, headerBytes + contentLength).toString("utf8");
      this.buf = this.buf.subarray(headerBytes + contentLength);
      return { line, headers, body };
    }
    this.buf = this.buf.subarray(headerBytes);
    return { line, headers };
  }
}

/**
 * Index of the LF that ends the header block (the second LF of a run of two,
 * CRs between them ignored), or -1.
 */
function findHeaderEnd(buf: Buffer): number {
  let lastLf = -1;
  for (let i = 0; i < buf.length; i++) {
    const c = buf[i];
    if (c === 0x0d) continue;
    if (c === 0x0a) {
      if (lastLf >= 0) return i;
      lastLf = i;
    } else {
      lastLf = -1;
    }
  }
  return -1;
}

// modesl 1.2.1 ships no types (and @types/modesl is not published here). Only
// the two pieces this package uses are declared: the wire parser and its
// event objects. Values are `unknown` on purpose: modesl stores strings,
// numbers (Content-Length) and arrays (multi-value JSON headers) alike.
declare module "modesl" {
  import type { Socket } from "node:net";

  interface ModeslHeader {
    name: string;
    value: unknown;
  }

  class Event {
    headers: ModeslHeader[];
    body: string;
    getHeader(name: string): unknown;
    getBody(): string;
  }

  // Connection and Server are only driven by the tests that show modesl's
  // own defects; the package itself never uses them.
  class Connection {
    constructor(host: string, port: number, password: string, onReady?: () => void);
    on(event: string, listener: (...args: unknown[]) => void): this;
    api(command: string, callback: (event: Event) => void): void;
    execute(app: string, arg: string, callback: (event: Event) => void): string;
    sendRecv(command: string, callback: (event: Event) => void): void;
    disconnect(): void;
  }

  class Server {
    constructor(
      options: { server: import("node:net").Server; myevents?: boolean },
      onReady?: () => void,
    );
    on(event: "connection::ready", listener: (connection: Connection, id: string) => void): this;
  }

  class Parser {
    constructor(socket: Socket);
    /** What has been read and not yet framed. */
    protected buffer: Buffer;
    /** The Content-Length of the message whose body is being read; 0 between messages. */
    protected bodyLen: number;
    /** The socket it reads. */
    protected socket: Socket;
    /** The socket's `data` handler: appends, then frames what it can. */
    protected _onData(data: Buffer): void;
    /** Where the envelope in `buffer` ends (its blank line), or -1. */
    protected _indexOfHeaderEnd(): number;
    /** Frames the envelope at the start of `buffer`, if it is all there, and what follows. */
    protected _parseHeaders(): void;
    /** Frames the body of `bodyLen` bytes once it is all there, and what follows. */
    protected _parseBody(): void;
    /** Decodes one framed message and emits it as `esl::event`. */
    protected _parseEvent(envelope: Record<string, unknown>, body?: string): void;
    on(
      event: "esl::event",
      listener: (event: Event, headers: Record<string, unknown>, body: unknown) => void,
    ): this;
    on(event: "error", listener: (error: unknown) => void): this;
  }

  const modesl: {
    Parser: typeof Parser;
    Event: typeof Event;
    Connection: typeof Connection;
    Server: typeof Server;
  };
  export default modesl;
}

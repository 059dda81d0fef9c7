import {
  LIVE_HTTP_PATHS,
  type LiveCommand,
  type LiveCommandSender,
  type LiveEvent,
  type LiveFeed,
  type LiveFeedStatus,
  type LiveSnapshot,
  type LiveSubscribeOptions,
  liveEventSchema,
  liveSnapshotSchema,
} from "../live/index.js";

/** Options of {@link HttpLiveFeed} and {@link HttpLiveCommands}. */
export interface HttpLiveOptions {
  /** The worker's HTTP address, e.g. `http://127.0.0.1:9464` (its `HTTP_PORT`). */
  readonly url: string;
  /**
   * The worker's `LIVE_TOKEN`, sent as `Authorization: Bearer …`; a worker
   * without one answers only loopback requests.
   */
  readonly token?: string;
  /** Wait before connecting again after the stream drops (default 1 s). */
  readonly retryMs?: number;
  /** Receives connection failures and malformed events (default: none). */
  readonly onError?: (error: unknown) => void;
  readonly now?: () => number;
}

/**
 * The {@link LiveFeed} of a worker without Redis, read over its HTTP server:
 * `GET /live/snapshot` and the server-sent events of `GET /live/events`
 * (one {@link LiveEvent} JSON per `data:` line). Every subscription keeps
 * its own stream, reconnecting after `retryMs` whenever it drops.
 */
export class HttpLiveFeed implements LiveFeed {
  private readonly closed = new AbortController();
  private readonly now: () => number;

  constructor(private readonly options: HttpLiveOptions) {
    this.now = options.now ?? Date.now;
  }

  async snapshot(): Promise<LiveSnapshot> {
    const response = await fetch(this.address(LIVE_HTTP_PATHS.snapshot), {
      headers: this.headers(),
      signal: this.closed.signal,
    });
    if (!response.ok) throw new Error(`live snapshot: HTTP ${response.status}`);
    return liveSnapshotSchema.parse(await response.json());
  }

  async subscribe(
    listener: (event: LiveEvent) => void,
    options: LiveSubscribeOptions = {},
  ): Promise<() => void> {
    const stop = new AbortController();
    const signal = AbortSignal.any([stop.signal, this.closed.signal]);
    let state: LiveFeedStatus["state"] | null = null;
    const tell = (next: LiveFeedStatus["state"]) => {
      if (state === next) return;
      state = next;
      options.onStatus?.({ state: next, since: this.now() } as LiveFeedStatus);
    };
    const first = await this.open(signal).catch((error: unknown) => {
      this.options.onError?.(error);
      return null;
    });
    tell(first ? "live" : "reconnecting");
    void (async () => {
      let body = first;
      while (!signal.aborted) {
        if (body) {
          tell("live");
          try {
            await readEvents(body, (data) => {
              let event: LiveEvent;
              try {
                event = liveEventSchema.parse(JSON.parse(data));
              } catch (error) {
                this.options.onError?.(error);
                return;
              }
              listener(event);
            });
          } catch (error) {
            if (!signal.aborted) this.options.onError?.(error);
          }
        }
        if (signal.aborted) return;
        tell("reconnecting");
        await delay(this.options.retryMs ?? 1_000, signal);
        body = await this.open(signal).catch((error: unknown) => {
          if (!signal.aborted) this.options.onError?.(error);
          return null;
        });
      }
    })();
    return () => stop.abort();
  }

  async close(): Promise<void> {
    this.closed.abort();
  }

  private async open(signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const response = await fetch(this.address(LIVE_HTTP_PATHS.events), {
      headers: { ...this.headers(), accept: "text/event-stream" },
      signal,
    });
    if (!response.ok || !response.body) throw new Error(`live events: HTTP ${response.status}`);
    return response.body;
  }

  private address(path: string): string {
    return new URL(path, this.options.url).toString();
  }

  private headers(): Record<string, string> {
    return this.options.token ? { authorization: `Bearer ${this.options.token}` } : {};
  }
}

/** Sends {@link LiveCommand}s to a worker without Redis: `POST /live/commands`. */
export class HttpLiveCommands implements LiveCommandSender {
  constructor(private readonly options: HttpLiveOptions) {}

  async send(command: LiveCommand): Promise<void> {
    const response = await fetch(new URL(LIVE_HTTP_PATHS.commands, this.options.url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      },
      body: JSON.stringify(command),
    });
    if (!response.ok) throw new Error(`live command: HTTP ${response.status}`);
  }

  async close(): Promise<void> {}
}

/** Calls `onData` with the `data` of every server-sent event of `body` until it ends. */
async function readEvents(
  body: ReadableStream<Uint8Array>,
  onData: (data: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).trimStart())
        .join("\n");
      if (data !== "") onData(data);
      end = buffer.indexOf("\n\n");
    }
  }
}

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

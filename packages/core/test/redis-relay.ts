import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";
import { redisUrl } from "./redis.js";

/**
 * A TCP relay to Redis that a test can cut and restore ("Redis went away")
 * or pause and resume ("Redis stalled": connected, but nothing answers, as
 * when its process is stopped with SIGSTOP).
 */
export class RedisRelay {
  private server: Server | undefined;
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private paused = false;
  port = 0;

  constructor(private readonly target = redisUrl) {}

  async start(): Promise<void> {
    const target = new URL(this.target);
    const server = createServer((client) => {
      const upstream = tcpConnect(Number(target.port || 6379), target.hostname);
      const pair = { client, upstream };
      this.pairs.add(pair);
      for (const socket of [client, upstream]) {
        socket.on("error", () => {});
        socket.on("close", () => {
          this.pairs.delete(pair);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
      if (this.paused) this.hold(pair);
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    const address = server.address();
    if (address && typeof address === "object") this.port = address.port;
    this.server = server;
  }

  /** Cuts every connection and stops listening (connections are refused). */
  async stop(): Promise<void> {
    for (const { client, upstream } of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }

  /** Stops relaying bytes either way; connections stay open, so commands just time out. */
  pause(): void {
    this.paused = true;
    for (const pair of this.pairs) this.hold(pair);
  }

  /** Relays again whatever was held back, and what follows. */
  resume(): void {
    this.paused = false;
    for (const { client, upstream } of this.pairs) {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
      upstream.resume();
    }
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  private hold({ client, upstream }: { client: Socket; upstream: Socket }): void {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  }
}

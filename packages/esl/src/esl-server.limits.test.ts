import { once } from "node:events";
import { connect, type Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { EslMalformedMessageError } from "./errors.js";
import { type EslServer, listen } from "./esl-server.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function startServer(): Promise<{ server: EslServer; errors: unknown[] }> {
  const server = await listen({ port: 0 }, () => undefined);
  const errors: unknown[] = [];
  server.onError((error) => errors.push(error));
  cleanups.push(() => server.close({ force: true }));
  return { server, errors };
}

/** A client on the call port that reads and discards what the server sends. */
async function dial(port: number): Promise<Socket> {
  const socket = connect(port, "127.0.0.1");
  socket.on("error", () => {});
  socket.resume();
  cleanups.push(() => void socket.destroy());
  await once(socket, "connect");
  return socket;
}

/** Resolves with how long the server took to close `socket`, or "open" after `ms`. */
async function closedWithin(socket: Socket, ms: number): Promise<number | "open"> {
  const started = Date.now();
  return Promise.race([
    new Promise<number>((resolve) => socket.once("close", () => resolve(Date.now() - started))),
    new Promise<"open">((resolve) => setTimeout(() => resolve("open"), ms)),
  ]);
}

describe("the call port's limits", () => {
  it("closes a connection whose message would exceed 1 MiB, with a reason, without buffering it", async () => {
    const { server, errors } = await startServer();
    const socket = await dial(server.port);
    socket.write("Content-Type: command/reply\nContent-Length: 999999999\n\n");
    const chunk = Buffer.alloc(64 * 1024, "x");
    for (let i = 0; i < 4; i++) socket.write(chunk);
    expect(await closedWithin(socket, 2_000)).not.toBe("open");
    expect(errors).toEqual([expect.any(EslMalformedMessageError)]);
    expect(errors[0]).toMatchObject({ reason: "tooLarge" });
  });

  it("closes a connection sending headers without end past 1 MiB", async () => {
    const { server, errors } = await startServer();
    const socket = await dial(server.port);
    const line = Buffer.from(`Variable-X: ${"y".repeat(1000)}\n`);
    for (let i = 0; i < 1100; i++) socket.write(line);
    expect(await closedWithin(socket, 5_000)).not.toBe("open");
    expect(errors[0]).toMatchObject({ reason: "tooLarge" });
  });

  it("closes a connection at once when its bytes cannot be ESL", async () => {
    const { server, errors } = await startServer();
    const socket = await dial(server.port);
    socket.write(Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03]));
    expect(await closedWithin(socket, 1_000)).not.toBe("open");
    expect(errors[0]).toMatchObject({ reason: "notEsl" });
    const text = await dial(server.port);
    text.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(await closedWithin(text, 1_000)).not.toBe("open");
  });
});

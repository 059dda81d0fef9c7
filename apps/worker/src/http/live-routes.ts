import type { IncomingMessage, ServerResponse } from "node:http";
import {
  LIVE_HTTP_PATHS,
  type LiveCommand,
  type LiveFeed,
  liveCommandSchema,
} from "@ringflow/core/live";

/** Largest `POST /live/commands` body accepted. */
const MAX_COMMAND_BYTES = 4_096;
/** Comment lines keep idle event streams open through proxies. */
const KEEPALIVE_MS = 15_000;

/** What the worker's live endpoints serve. */
export interface LiveRoutes {
  readonly feed: LiveFeed;
  /** Applies a supervisor's command (the database already holds the setting). */
  readonly command: (command: LiveCommand) => Promise<void>;
  /** `LIVE_TOKEN`: with it, requests must carry `Authorization: Bearer <token>`; without, only loopback is served. */
  readonly token: string | null;
}

/**
 * Serves `/live/*` if `path` is one of them: `GET /live/snapshot` (the
 * LiveSnapshot JSON), `GET /live/events` (server-sent events: one LiveEvent
 * JSON per `data:` line), `POST /live/commands` (a LiveCommand JSON → 204).
 * Returns false for other paths. Callers' numbers are personal data: with
 * no `LIVE_TOKEN` only loopback clients are answered.
 */
export async function serveLive(
  request: IncomingMessage,
  response: ServerResponse,
  path: string,
  routes: LiveRoutes,
): Promise<boolean> {
  const paths: readonly string[] = Object.values(LIVE_HTTP_PATHS);
  if (!paths.includes(path)) return false;
  if (!allowed(request, routes.token)) {
    send(response, 403, { error: "forbidden" });
    return true;
  }
  const method = request.method ?? "GET";
  if (path === LIVE_HTTP_PATHS.commands) {
    if (method !== "POST") return methodNotAllowed(response, "POST");
    const body = await readBody(request);
    if (body === null) {
      send(response, 413, { error: "body too large" });
      return true;
    }
    let command: LiveCommand;
    try {
      command = liveCommandSchema.parse(JSON.parse(body));
    } catch (error) {
      send(response, 400, { error: error instanceof Error ? error.message : "invalid command" });
      return true;
    }
    await routes.command(command);
    response.writeHead(204, { "cache-control": "no-store" });
    response.end();
    return true;
  }
  if (method !== "GET" && method !== "HEAD") return methodNotAllowed(response, "GET, HEAD");
  if (path === LIVE_HTTP_PATHS.snapshot) {
    send(response, 200, await routes.feed.snapshot());
    return true;
  }
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-store",
    connection: "keep-alive",
  });
  response.write(": live\n\n");
  const unsubscribe = await routes.feed.subscribe((event) => {
    response.write(`data: ${JSON.stringify(event)}\n\n`);
  });
  const keepalive = setInterval(() => response.write(": keepalive\n\n"), KEEPALIVE_MS);
  const end = () => {
    clearInterval(keepalive);
    unsubscribe();
  };
  request.on("close", end);
  response.on("close", end);
  return true;
}

function allowed(request: IncomingMessage, token: string | null): boolean {
  if (token !== null) return request.headers.authorization === `Bearer ${token}`;
  const address = request.socket.remoteAddress ?? "";
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}

function methodNotAllowed(response: ServerResponse, allow: string): true {
  response.writeHead(405, { allow, "content-type": "text/plain" });
  response.end("method not allowed\n");
  return true;
}

async function readBody(request: IncomingMessage): Promise<string | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_COMMAND_BYTES) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";
import { type LiveRoutes, serveLive } from "./live-routes.js";

/** One readiness check's verdict. */
export interface CheckResult {
  readonly ok: boolean;
  /** Why not, or what was seen (e.g. `connected`). */
  readonly detail?: string;
}

/** A named readiness check; it should settle quickly (give it its own timeout). */
export type ReadinessCheck = () => Promise<CheckResult> | CheckResult;

/** What the HTTP server serves. */
export interface HttpRoutes {
  /** Every check must pass for `/readyz` to answer 200. */
  readonly readiness: () => Readonly<Record<string, ReadinessCheck>>;
  /** Serves `/metrics`. */
  readonly metrics: (request: IncomingMessage, response: ServerResponse) => void;
  /** The wall-board's `/live/*` endpoints, once the worker has them. */
  readonly live?: () => LiveRoutes | undefined;
}

/** The worker's HTTP endpoints: `/healthz`, `/readyz`, `/metrics`, and the wall-board's `/live/*`. */
export class HttpServer {
  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(options: {
    readonly host: string;
    readonly port: number;
    readonly routes: HttpRoutes;
    readonly log: Logger;
  }): Promise<HttpServer> {
    const server = createServer((request, response) => {
      route(request, response, options.routes).catch((error: unknown) => {
        options.log.error({ err: error, url: request.url }, "HTTP request failed");
        if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
        response.end("internal error\n");
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port, options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    server.on("error", (error) => options.log.error({ err: error }, "HTTP server error"));
    const { port } = server.address() as AddressInfo;
    return new HttpServer(server, port);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}

async function route(
  request: IncomingMessage,
  response: ServerResponse,
  routes: HttpRoutes,
): Promise<void> {
  const path = new URL(request.url ?? "/", "http://worker").pathname;
  const live = routes.live?.();
  if (path.startsWith("/live/")) {
    if (live && (await serveLive(request, response, path, live))) return;
    response.writeHead(404, { "content-type": "text/plain" });
    response.end("not found\n");
    return;
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain" });
    response.end("method not allowed\n");
    return;
  }
  switch (path) {
    case "/healthz":
      // The process is alive and its event loop turns.
      sendJson(response, 200, { status: "ok" });
      return;
    case "/readyz": {
      const checks = routes.readiness();
      const names = Object.keys(checks);
      const results = await Promise.all(
        names.map(async (name) => {
          try {
            return await checks[name]?.();
          } catch (error) {
            return { ok: false, detail: error instanceof Error ? error.message : String(error) };
          }
        }),
      );
      const report: Record<string, CheckResult> = {};
      names.forEach((name, i) => {
        report[name] = results[i] ?? { ok: false, detail: "no result" };
      });
      const failed = names.filter((name) => !report[name]?.ok);
      sendJson(response, failed.length === 0 ? 200 : 503, {
        status: failed.length === 0 ? "ready" : "unavailable",
        ...(failed.length > 0 ? { failed } : {}),
        checks: report,
      });
      return;
    }
    case "/metrics":
      routes.metrics(request, response);
      return;
    default:
      response.writeHead(404, { "content-type": "text/plain" });
      response.end("not found\n");
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
}

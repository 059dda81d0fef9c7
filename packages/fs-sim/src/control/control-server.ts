import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import type { FsSim } from "../fs-sim.js";

const behaviourSchema = z
  .object({
    ringAfterMs: z.number().nonnegative().nullable().optional(),
    answerAfterMs: z.number().nonnegative().optional(),
    earlyMediaAfterMs: z.number().nonnegative().optional(),
    busyAfterMs: z.number().nonnegative().optional(),
    rejectAfterMs: z.number().nonnegative().optional(),
    hangupAfterMs: z.number().nonnegative().optional(),
  })
  .strict();

const placeCallSchema = z
  .object({
    from: z
      .string()
      .regex(/^\+?[0-9*#]{1,32}$/, "a caller number: digits, optionally starting with +"),
    fromName: z.string().max(80).optional(),
    to: z
      .string()
      .regex(/^\+?[0-9*#]{1,32}$/, "a dialled number: digits, * or #, optionally starting with +"),
    hangupAfterMs: z.number().nonnegative().optional(),
    headers: z
      .record(
        z.string().regex(/^X-[A-Za-z0-9-]{1,64}$/, "a custom SIP header name: X-…"),
        z.string().max(256),
      )
      .optional(),
  })
  .strict();

const userSchema = z
  .object({
    registered: z.boolean().optional(),
    behaviour: z.union([behaviourSchema, z.array(behaviourSchema).min(1)]).optional(),
  })
  .strict();

const digitsSchema = z
  .object({ digits: z.string().regex(/^[0-9*#A-D]{1,32}$/, "DTMF digits") })
  .strict();
const hangupSchema = z
  .object({
    cause: z
      .string()
      .regex(/^[A-Z_]{1,64}$/)
      .optional(),
  })
  .strict();

/** A request the control server refuses, with the HTTP status to answer. */
class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_BODY = 64 * 1024;

async function readJson(request: IncomingMessage): Promise<unknown> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new Refusal(413, "body too large");
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  try {
    return JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new Refusal(400, "body is not JSON");
  }
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new Refusal(
      400,
      result.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; "),
    );
  }
  return result.data;
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

/**
 * The simulator's control API over HTTP, for tools that drive it from
 * another process (the product's test-call panel, the development
 * supervisor). JSON in and out:
 *
 * | request | does |
 * | --- | --- |
 * | `GET /channels` | every live channel (`ChannelInfo[]`) |
 * | `POST /calls` `{ from, fromName?, to, hangupAfterMs?, headers? }` | places a call (`headers`: the INVITE's `X-` headers); `201 { uuid }` |
 * | `POST /calls/:uuid/dtmf` `{ digits }` | the caller presses keys |
 * | `POST /calls/:uuid/hangup` `{ cause? }` | hangs the channel up |
 * | `GET /users` | the directory's users and their scripted behaviour |
 * | `PUT /users/:id` `{ registered?, behaviour? }` | scripts a phone (answer, busy, never answer…) |
 *
 * Bad input gets `400 { error }` naming each bad field; an unknown channel
 * `404`. It listens on loopback only unless told otherwise: it can place
 * calls.
 */
export class ControlServer {
  private constructor(
    private readonly server: Server,
    /** The port actually bound. */
    readonly port: number,
  ) {}

  /** Starts the control API for `sim` on `port` (0: any free port). */
  static async start(
    sim: FsSim,
    options: { port?: number; host?: string } = {},
  ): Promise<ControlServer> {
    const server = createServer((request, response) => {
      handle(sim, request)
        .then(({ status, body }) => send(response, status, body))
        .catch((error: unknown) => {
          if (error instanceof Refusal) send(response, error.status, { error: error.message });
          else
            send(response, 500, { error: error instanceof Error ? error.message : String(error) });
        });
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
    });
    return new ControlServer(server, (server.address() as AddressInfo).port);
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function handle(
  sim: FsSim,
  request: IncomingMessage,
): Promise<{ status: number; body: unknown }> {
  const url = new URL(request.url ?? "/", "http://sim");
  const parts = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
  const method = request.method ?? "GET";
  const route = `${method} /${parts.map((p, i) => (i % 2 === 1 ? ":" : p)).join("/")}`;
  switch (route) {
    case "GET /channels":
      return { status: 200, body: sim.channels() };
    case "POST /calls": {
      const spec = parse(placeCallSchema, await readJson(request));
      const call = sim.placeCall(spec);
      call.result.catch(() => {});
      return { status: 201, body: { uuid: call.uuid } };
    }
    case "POST /calls/:/dtmf": {
      const { digits } = parse(digitsSchema, await readJson(request));
      if (!sim.sendDtmf(parts[1] ?? "", digits)) throw new Refusal(404, "no such channel");
      return { status: 200, body: { ok: true } };
    }
    case "POST /calls/:/hangup": {
      const { cause } = parse(hangupSchema, await readJson(request));
      if (!sim.hangup(parts[1] ?? "", cause)) throw new Refusal(404, "no such channel");
      return { status: 200, body: { ok: true } };
    }
    case "GET /users":
      return {
        status: 200,
        body: sim.users
          .list()
          .map((u) => ({ id: u.id, registered: u.registered, behaviours: u.behaviours })),
      };
    case "PUT /users/:": {
      const options = parse(userSchema, await readJson(request));
      const user = sim.users.set(parts[1] ?? "", options);
      return {
        status: 200,
        body: { id: user.id, registered: user.registered, behaviours: user.behaviours },
      };
    }
    default:
      throw new Refusal(404, `no route ${method} ${url.pathname}`);
  }
}

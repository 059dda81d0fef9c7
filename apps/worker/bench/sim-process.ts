/**
 * The FreeSWITCH simulator for the worker benchmark, in a process of its
 * own so the worker's CPU and memory are measured alone. Driven over IPC
 * by worker-bench.ts (messages below); replies carry the request's `id`.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { FsSim } from "@ringflow/fs-sim";

type Request =
  | { id: number; cmd: "users"; users: Record<string, Record<string, number>> }
  | { id: number; cmd: "route"; number: string; port: number }
  | {
      id: number;
      cmd: "place";
      to: string;
      count: number;
      perSecond: number;
      hangupAfterMs?: number;
    }
  | { id: number; cmd: "results"; uuids: string[] }
  | { id: number; cmd: "forget" }
  | { id: number; cmd: "stats" }
  /** This process's event-loop delay since the last `loop` (ms): p50, p95, p99, max. */
  | { id: number; cmd: "loop" }
  | { id: number; cmd: "hupall" }
  | { id: number; cmd: "stop" };

const sim = await FsSim.start({ port: 0 });
const loopDelay = monitorEventLoopDelay({ resolution: 5 });
loopDelay.enable();
let serial = 0;
/**
 * How each call placed ended, as the caller saw it: answered or not, the
 * cause, and the ms from the call being placed to its hang-up, by this
 * process's clock (so a refused call's refusal latency is measured on the
 * switch's side: socket app connected, refused, channel hung up).
 */
const ended = new Map<
  string,
  { answered: boolean; cause: string; ms: number; toSocketMs?: number; socketMs?: number }
>();
/**
 * When the `socket` app began and ended on each channel (this process's
 * clock), from the switch's own CHANNEL_EXECUTE / _COMPLETE events: splits
 * a refused call's time into the switch's routing before it connects, the
 * app's time (connect, the worker accepting and closing the socket, the
 * switch seeing it close) and the hang-up after.
 */
const socketApp = new Map<string, { start: number; end?: number }>();
sim.bus.subscribe({
  deliver(event) {
    if (event.get("Application") !== "socket") return;
    const uuid = event.uniqueId ?? event.get("Unique-ID");
    if (uuid === undefined) return;
    const name = event.name;
    if (name === "CHANNEL_EXECUTE") socketApp.set(uuid, { start: performance.now() });
    else if (name === "CHANNEL_EXECUTE_COMPLETE") {
      const app = socketApp.get(uuid);
      if (app) app.end = performance.now();
    }
  },
});

function reply(id: number, body: Record<string, unknown>): void {
  process.send?.({ id, ...body });
}

/** Places `count` calls at `perSecond`, in 10 ms batches; resolves with their uuids once all are placed. */
async function place(request: Extract<Request, { cmd: "place" }>): Promise<string[]> {
  const uuids: string[] = [];
  const started = performance.now();
  while (uuids.length < request.count) {
    const due = Math.min(
      request.count,
      Math.floor(((performance.now() - started) / 1000) * request.perSecond) + 1,
    );
    while (uuids.length < due) {
      serial += 1;
      const call = sim.placeCall({
        from: String(5_000_000 + serial),
        to: request.to,
        ...(request.hangupAfterMs ? { hangupAfterMs: request.hangupAfterMs } : {}),
      });
      uuids.push(call.uuid);
      const placedAt = performance.now();
      void call.result.then(
        (result) => {
          const app = socketApp.get(call.uuid);
          socketApp.delete(call.uuid);
          ended.set(call.uuid, {
            answered: result.answered,
            cause: result.hangupCause,
            ms: performance.now() - placedAt,
            ...(app ? { toSocketMs: app.start - placedAt } : {}),
            ...(app?.end !== undefined ? { socketMs: app.end - app.start } : {}),
          });
        },
        () => undefined,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return uuids;
}

process.on("message", (message: Request) => {
  void (async () => {
    switch (message.cmd) {
      case "users":
        for (const [id, behaviour] of Object.entries(message.users))
          sim.users.set(id, { behaviour });
        reply(message.id, {});
        return;
      case "route":
        sim.dialplan.add(message.number, [
          { app: "socket", arg: `127.0.0.1:${message.port} async full` },
        ]);
        reply(message.id, {});
        return;
      case "place":
        reply(message.id, { uuids: await place(message) });
        return;
      case "results":
        reply(message.id, {
          results: message.uuids.map((uuid) =>
            ended.has(uuid) ? { uuid, ...ended.get(uuid) } : null,
          ),
        });
        return;
      case "forget":
        ended.clear();
        socketApp.clear();
        reply(message.id, {});
        return;
      case "stats": {
        const channels = sim.channels();
        reply(message.id, {
          channels: channels.length,
          bridged: channels.filter((c) => c.bridgedTo !== undefined).length,
          callers: channels.filter((c) => c.direction === "inbound" && c.answerState === "answered")
            .length,
        });
        return;
      }
      case "loop": {
        const ms = (ns: number) => Math.round(ns / 1e5) / 10;
        reply(message.id, {
          p50: ms(loopDelay.percentile(50)),
          p95: ms(loopDelay.percentile(95)),
          p99: ms(loopDelay.percentile(99)),
          max: ms(loopDelay.max),
        });
        loopDelay.reset();
        return;
      }
      case "hupall":
        for (const channel of sim.channels()) sim.hangup(channel.uuid, "NORMAL_CLEARING");
        reply(message.id, {});
        return;
      case "stop":
        await sim.stop();
        reply(message.id, {});
        process.exit(0);
    }
  })();
});

process.send?.({ id: 0, port: sim.port });

import { randomUUID } from "node:crypto";
import type { Clock, TimerHandle } from "@ringflow/core";
import { ManualClock } from "@ringflow/core/testing";
import { afterEach, describe, expect, it } from "vitest";
import {
  acceptInbound,
  apiResponse,
  commandReply,
  FakeSwitch,
  freePort,
  type SwitchPeer,
} from "../test/fake-switch.js";
import { bytes, Recording, substitute } from "../test/transcripts.js";
import {
  EslAccessDeniedError,
  EslAuthError,
  EslChannelGoneError,
  EslCommandError,
  EslConnectionError,
  EslDisconnectedError,
  EslHandlerError,
  EslInvalidArgumentError,
  EslTimeoutError,
} from "./errors.js";
import { type ConnectionState, connect, type EslConnection } from "./esl-connection.js";
import type { EslEvent } from "./esl-event.js";

const auth = new Recording("01-auth.jsonl");
const bgapi = new Recording("02-bgapi-events.jsonl");
const answered = new Recording("06-user-answer.jsonl");
const LEG = "06a00000-0000-4000-8000-000000000006";

/** The api/response FreeSWITCH gave to `api status` once authenticated (01). */
function statusReply(): string {
  const reply = auth.messages("inbound-2")[3];
  if (reply?.contentType !== "api/response") throw new Error("01 changed");
  return reply.raw;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  // In order: the fake switch goes first, so clients see their socket close at once.
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function fakeSwitch(): Promise<FakeSwitch> {
  const fake = await FakeSwitch.start();
  cleanups.push(() => fake.close());
  return fake;
}

/** Connects a client to `fake` and plays the handshake; returns both ends. */
async function connected(
  fake: FakeSwitch,
  options: {
    clock?: Clock;
    reconnect?: false | { initialDelayMs: number };
    random?: () => number;
    maxCommandsInFlight?: number;
  } = {},
): Promise<{ connection: EslConnection; peer: SwitchPeer }> {
  const connecting = connect({
    port: fake.port,
    password: "ClueCon",
    reconnect: false,
    ...options,
  });
  const peer = await fake.nextPeer();
  await acceptInbound(peer);
  const connection = await connecting;
  cleanups.push(async () => {
    connection.onError(() => undefined);
    await connection.disconnect().catch(() => undefined);
  });
  return { connection, peer };
}

/** Attaches a handler at once (so a rejection is never "unhandled") and returns the error. */
function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

function stateChanges(connection: EslConnection): ConnectionState[] {
  const states: ConnectionState[] = [];
  connection.onStateChange((state) => states.push(state));
  return states;
}

function nextState(connection: EslConnection, wanted: ConnectionState): Promise<void> {
  return new Promise((resolve) => {
    const stop = connection.onStateChange((state) => {
      if (state === wanted) {
        stop();
        resolve();
      }
    });
  });
}

describe("connect", () => {
  it("authenticates, runs api commands and exits, byte for byte as FreeSWITCH answered", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);

    const status = connection.api("status");
    await peer.expect("api status");
    peer.send(statusReply());
    expect(await status).toMatch(/^UP 0 years.*\nFreeSWITCH \(Version 1\.10\.12/s);

    const unknown = connection.api("nosuchcmd");
    await peer.expect("api nosuchcmd");
    peer.send(auth.replyTo("inbound-2", "api nosuchcmd"));
    expect(await unknown).toBe("-ERR nosuchcmd Command not found!\n");

    const states = stateChanges(connection);
    const closing = connection.disconnect();
    await peer.expect("exit");
    peer.send(auth.replyTo("inbound-2", "exit"));
    await peer.end();
    await closing;
    expect(states).toEqual(["closed"]);
    await expect(connection.api("status")).rejects.toBeInstanceOf(EslDisconnectedError);
  });

  it("rejects a wrong password with EslAuthError", async () => {
    const fake = await fakeSwitch();
    const connecting = failure(connect({ port: fake.port, password: "WrongPassword" }));
    const peer = await fake.nextPeer();
    peer.send(auth.messages("inbound-1")[0]?.raw ?? "");
    await peer.expect("auth WrongPassword");
    // -ERR invalid, the disconnect notice, then FreeSWITCH closes.
    peer.send(bytes(auth.messages("inbound-1").slice(1)));
    await peer.end();
    const error = await connecting;
    expect(error).toBeInstanceOf(EslAuthError);
    expect(String(error)).not.toContain("WrongPassword");
  });

  it("rejects an ACL refusal with EslAccessDeniedError", async () => {
    const fake = await fakeSwitch();
    const connecting = failure(connect({ port: fake.port, password: "ClueCon" }));
    const peer = await fake.nextPeer();
    peer.send("Content-Type: text/rude-rejection\nContent-Length: 24\n\nAccess Denied, go away.\n");
    await peer.end();
    expect(await connecting).toBeInstanceOf(EslAccessDeniedError);
  });

  it("turns ECONNREFUSED into EslConnectionError instead of crashing (defect d)", async () => {
    const port = await freePort();
    const error = await connect({ port, password: "ClueCon" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EslConnectionError);
    expect((error as EslConnectionError).cause).toMatchObject({ code: "ECONNREFUSED" });
  });
});

describe("commands", () => {
  it("hands an api refused at the ESL level its own command/reply, and the next api its api/response (defect b)", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const refused = failure(connection.api("status"));
    const next = connection.api("status");
    await peer.expect("api status");
    // What FreeSWITCH answers an api it will not run (here: 01, before auth).
    peer.send(auth.replyTo("inbound-2", "api status"));
    const second = await peer.expect("api status");
    expect(second.sentAfterReply).toBe(true);
    peer.send(statusReply());
    const error = await refused;
    expect(error).toBeInstanceOf(EslCommandError);
    expect((error as EslCommandError).reply).toBe("-ERR command not found");
    expect(await next).toMatch(/^UP 0 years/);
  });

  it("keeps one command in flight and matches replies in order, whatever their type", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const results = Promise.all([
      connection.api("global_getvar no_such_global_variable"),
      connection.subscribe(["CHANNEL_CREATE"]),
      connection.api("uuid_getvar 01b00000-0000-4000-8000-000000000001 x"),
    ]);
    await peer.expect("api global_getvar");
    peer.send(auth.replyTo("inbound-2", "api global_getvar"));
    const event = await peer.expect("event plain");
    expect(event.sentAfterReply).toBe(true);
    expect(event.line).toBe("event plain BACKGROUND_JOB CHANNEL_CREATE");
    peer.send(commandReply("+OK event listener enabled plain"));
    const third = await peer.expect("api uuid_getvar");
    expect(third.sentAfterReply).toBe(true);
    peer.send(auth.replyTo("inbound-2", "api uuid_getvar"));
    expect(await results).toEqual(["-ERR no reply\n", undefined, "-ERR No such channel!\n"]);
  });

  it("times out a command with EslTimeoutError and drops its late reply instead of shifting it onto the next", async () => {
    const clock = new ManualClock();
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake, { clock });
    const slow = failure(connection.api("status", { timeoutMs: 1_000 }));
    const next = connection.api("nosuchcmd");
    await peer.expect("api status");
    await clock.advance(1_000);
    const error = await slow;
    expect(error).toBeInstanceOf(EslTimeoutError);
    expect(error).toMatchObject({ command: "api status", timeoutMs: 1_000 });
    expect(peer.received.map((c) => c.line)).not.toContain("api nosuchcmd");
    peer.send(statusReply());
    await peer.expect("api nosuchcmd");
    peer.send(auth.replyTo("inbound-2", "api nosuchcmd"));
    expect(await next).toBe("-ERR nosuchcmd Command not found!\n");
  });

  it("pipelines up to maxCommandsInFlight commands and still matches replies in order; a timed-out one keeps its slot", async () => {
    const clock = new ManualClock();
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake, { clock, maxCommandsInFlight: 2 });
    const slow = failure(connection.api("status", { timeoutMs: 1_000 }));
    const second = connection.api("global_getvar no_such_global_variable");
    const third = connection.api("nosuchcmd");
    await peer.expect("api status");
    await peer.expect("api global_getvar"); // written before any reply
    await clock.advance(1_000);
    expect(await slow).toBeInstanceOf(EslTimeoutError);
    peer.send(statusReply()); // the late reply: dropped, and it frees the slot
    const last = await peer.expect("api nosuchcmd");
    expect(last.sentAfterReply).toBe(true);
    expect(peer.received.map((c) => c.line).slice(-3)).toEqual([
      "api status",
      "api global_getvar no_such_global_variable",
      "api nosuchcmd",
    ]);
    peer.send(auth.replyTo("inbound-2", "api global_getvar"));
    peer.send(auth.replyTo("inbound-2", "api nosuchcmd"));
    expect(await second).toBe("-ERR no reply\n");
    expect(await third).toBe("-ERR nosuchcmd Command not found!\n");
  });

  it("refuses a maxCommandsInFlight below one before connecting", async () => {
    await expect(
      connect({ port: 1, password: "ClueCon", reconnect: false, maxCommandsInFlight: 0 }),
    ).rejects.toThrow(EslInvalidArgumentError);
  });

  it("resolves bgapi with the BACKGROUND_JOB body, honouring a chosen Job-UUID", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const job = connection.bgapi("expr 1+1", { jobUuid: "02b00000-0000-4000-8000-000000000002" });
    const sent = await peer.expect("bgapi expr 1+1");
    expect(sent.headers["Job-UUID"]).toBe("02b00000-0000-4000-8000-000000000002");
    // Reply and BACKGROUND_JOB, as FreeSWITCH wrote them (one recv() in 02).
    peer.send(bgapi.replyTo("inbound-1", "bgapi expr 1+1"));
    peer.send(bgapi.events("inbound-1", { names: ["BACKGROUND_JOB"] })[1]?.raw ?? "");
    expect(await job).toBe("2");
  });

  it("runs an app on a channel and resolves with its own CHANNEL_EXECUTE_COMPLETE", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const done = connection.execute("park", undefined, { uuid: LEG });
    await peer.expect(
      "event plain BACKGROUND_JOB CHANNEL_EXECUTE_COMPLETE CHANNEL_HANGUP_COMPLETE",
    );
    peer.send(commandReply("+OK event listener enabled plain"));
    const sendmsg = await peer.expect(`sendmsg ${LEG}`);
    expect(sendmsg.headers).toMatchObject({
      "call-command": "execute",
      "execute-app-name": "park",
    });
    peer.send(commandReply("+OK"));
    const recorded = answered.event("inbound-1", { names: ["CHANNEL_EXECUTE_COMPLETE"] });
    const appUuid = recorded.event?.get("Application-UUID") ?? "";
    // Someone else's app first: it must not settle ours.
    peer.send(substitute(recorded.raw, appUuid, randomUUID()));
    peer.send(substitute(recorded.raw, appUuid, sendmsg.headers["Event-UUID"] ?? ""));
    const complete = await done;
    expect(complete.applicationUuid).toBe(sendmsg.headers["Event-UUID"]);

    const orphan = failure(connection.execute("park", undefined, { uuid: LEG }));
    await peer.expect(`sendmsg ${LEG}`);
    peer.send(commandReply("+OK"));
    peer.send(answered.event("inbound-1", { names: ["CHANNEL_HANGUP_COMPLETE"] }).raw);
    expect(await orphan).toBeInstanceOf(EslChannelGoneError);
  });

  it("rejects everything pending with EslDisconnectedError when the switch resets the connection (defects d, e)", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const states = stateChanges(connection);
    const api = failure(connection.api("status"));
    const queued = failure(connection.api("version"));
    await peer.expect("api status");
    peer.reset();
    expect(await api).toBeInstanceOf(EslDisconnectedError);
    expect(await queued).toBeInstanceOf(EslDisconnectedError);
    await expect(connection.bgapi("status")).rejects.toBeInstanceOf(EslDisconnectedError);
    expect(states).toEqual(["closed"]);
  });

  it("rejects a job still running when the switch closes the connection", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const job = failure(
      connection.bgapi("status", { jobUuid: "29ac3e1e-b42e-4540-845f-f2735595b1f1" }),
    );
    await peer.expect("bgapi status");
    peer.send(bgapi.replyTo("inbound-1", "bgapi status"));
    await peer.end();
    expect(await job).toBeInstanceOf(EslDisconnectedError);
  });
});

describe("events", () => {
  it("routes events by Unique-ID and to general listeners; a throwing handler does not stop the others", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const errors: unknown[] = [];
    connection.onError((error) => errors.push(error));
    const subscribing = connection.subscribe([
      "CHANNEL_CREATE",
      "CHANNEL_ANSWER",
      "CHANNEL_HANGUP_COMPLETE",
    ]);
    await peer.expect("event plain");
    peer.send(commandReply("+OK event listener enabled plain"));
    await subscribing;

    const legEvents: string[] = [];
    const allEvents: EslEvent[] = [];
    const stopLeg = connection.onChannelEvent(LEG, (event) => legEvents.push(event.name));
    connection.onChannelEvent(LEG, () => {
      throw new Error("handler bug");
    });
    const other: string[] = [];
    connection.onChannelEvent(randomUUID(), (event) => other.push(event.name));
    connection.onEvent((event) => allEvents.push(event));

    const received = (count: number) =>
      new Promise<void>((resolve) => {
        if (allEvents.length >= count) resolve();
        else connection.onEvent(() => allEvents.length >= count && resolve());
      });
    const leg = answered.events("inbound-1", { uniqueId: LEG });
    const hangupComplete = leg.findIndex(
      (m) => m.event?.get("Event-Name") === "CHANNEL_HANGUP_COMPLETE",
    );
    peer.send(bytes(leg.slice(0, hangupComplete)));
    await received(hangupComplete);
    stopLeg();
    peer.send(bytes(leg.slice(hangupComplete)));
    await received(leg.length);

    const expected = leg.slice(0, hangupComplete).map((m) => m.event?.get("Event-Name"));
    expect(legEvents).toEqual(expected);
    expect(allEvents.map((e) => e.name)).toEqual(leg.map((m) => m.event?.get("Event-Name")));
    expect(allEvents[0]?.uniqueId).toBe(LEG);
    expect(allEvents.find((e) => e.name === "CHANNEL_ANSWER")?.answerState).toBe("answered");
    expect(other).toEqual([]);
    expect(errors).toHaveLength(leg.length);
    expect(errors[0]).toBeInstanceOf(EslHandlerError);
  });
});

describe("filters", () => {
  it("adds a BACKGROUND_JOB filter with the first filter, and removes it with the last", async () => {
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake);
    const adding = connection.filter("Unique-ID", LEG);
    expect((await peer.nextCommand()).line).toBe("filter Event-Name BACKGROUND_JOB");
    peer.send(commandReply("+OK filter added. [Event-Name]=[BACKGROUND_JOB]"));
    expect((await peer.nextCommand()).line).toBe(`filter Unique-ID ${LEG}`);
    peer.send(commandReply(`+OK filter added. [Unique-ID]=[${LEG}]`));
    await adding;
    const deleting = connection.filterDelete("Unique-ID", LEG);
    expect((await peer.nextCommand()).line).toBe(`filter delete Unique-ID ${LEG}`);
    peer.send(commandReply(`+OK filter deleted. [Unique-ID][${LEG}]`));
    expect((await peer.nextCommand()).line).toBe("filter delete Event-Name BACKGROUND_JOB");
    peer.send(commandReply("+OK filter deleted. [Event-Name][BACKGROUND_JOB]"));
    await deleting;
  });
});

/** A ManualClock that remembers the delay of every timer it was asked for. */
class RecordingClock extends ManualClock {
  readonly delays: number[] = [];
  override setTimeout(callback: () => void, ms: number): TimerHandle {
    this.delays.push(ms);
    return super.setTimeout(callback, ms);
  }
}

describe("reconnection", () => {
  it("reconnects with capped, jittered backoff, restores subscriptions and filters, and fails fast meanwhile", async () => {
    const clock = new RecordingClock();
    const fake = await fakeSwitch();
    const { connection, peer } = await connected(fake, {
      clock,
      reconnect: { initialDelayMs: 100 },
      random: () => 0,
    });
    const errors: unknown[] = [];
    connection.onError((error) => errors.push(error));
    const subscribing = connection.subscribe(["CHANNEL_ANSWER", "CHANNEL_HANGUP_COMPLETE"]);
    await peer.expect("event plain");
    peer.send(commandReply("+OK event listener enabled plain"));
    await subscribing;
    const filtering = connection.filter("Unique-ID", LEG);
    await peer.expect("filter Event-Name");
    peer.send(commandReply("+OK filter added. [Event-Name]=[BACKGROUND_JOB]"));
    await peer.expect("filter Unique-ID");
    peer.send(commandReply(`+OK filter added. [Unique-ID]=[${LEG}]`));
    await filtering;

    const reconnecting = nextState(connection, "reconnecting");
    peer.reset();
    await reconnecting;
    await expect(connection.api("status")).rejects.toBeInstanceOf(EslDisconnectedError);

    // Attempt 0 (after 100/2 ms with no jitter) is refused by a reset...
    clock.delays.length = 0;
    await clock.advance(50);
    const refused = await fake.nextPeer();
    refused.reset();
    await refused.closed;
    await new Promise<void>((resolve) => {
      const poll = () => (clock.delays.some((d) => d === 100) ? resolve() : setTimeout(poll, 5));
      poll();
    });
    // ...so attempt 1 waits for the doubled ceiling's lower half: 100 ms.
    const back = nextState(connection, "connected");
    await clock.advance(100);
    const again = await fake.nextPeer();
    again.send("Content-Type: auth/request\n\n");
    await again.expect("auth ClueCon");
    again.send(commandReply("+OK accepted"));
    expect((await again.nextCommand()).line).toBe(
      "event plain BACKGROUND_JOB CHANNEL_ANSWER CHANNEL_HANGUP_COMPLETE",
    );
    again.send(commandReply("+OK event listener enabled plain"));
    expect((await again.nextCommand()).line).toBe("filter Event-Name BACKGROUND_JOB");
    again.send(commandReply("+OK filter added. [Event-Name]=[BACKGROUND_JOB]"));
    expect((await again.nextCommand()).line).toBe(`filter Unique-ID ${LEG}`);
    again.send(commandReply(`+OK filter added. [Unique-ID]=[${LEG}]`));
    await back;

    expect(errors).toEqual([expect.any(EslConnectionError)]);
    const status = connection.api("status");
    await again.expect("api status");
    again.send(apiResponse("+OK\n"));
    expect(await status).toBe("+OK\n");
  });
});

/**
 * `pnpm bench:ring-group`: how long a 20-agent parallel `RingGroup` takes to
 * get every leg going, through `FreeswitchCallControl` against fs-sim in the
 * same process:
 *
 * - from `RingGroup.run()` to the last originate accepted by the switch
 *   (every `bgapi originate` answered `+OK Job-UUID`): target ≤ 50 ms;
 * - from `RingGroup.run()` to the CHANNEL_CREATE of the last leg reaching
 *   the connection;
 *
 * p50/p99 over repeated rings (the agents never answer; each ring is then
 * cancelled and its legs torn down before the next). In the same run, a raw
 * client writes the same 20 `bgapi originate` commands at once: the floor
 * the ring group is compared with.
 */
import { randomUUID } from "node:crypto";
import type { CallControl, HangupCause, OriginateRequest, OutboundLeg } from "@ringflow/core";
import { RingGroup, RingMode } from "@ringflow/core/ring-group";
import { FsSim } from "@ringflow/fs-sim";
import { connect } from "../src/esl-connection.js";
import { FreeswitchCallControl } from "../src/freeswitch-call-control.js";
import { machine, ms, percentile, RawEslClient } from "./bench-support.js";

const AGENTS = 20;
const RINGS = 200;
const WARM_UP = 20;
const TARGET_MS = 50;

/** Marks when each originate of the current ring was accepted by the switch. */
class TimedCallControl implements CallControl {
  accepted: number[] = [];
  uuids = new Set<string>();
  private allAccepted: (() => void) | undefined;

  constructor(private readonly inner: CallControl) {}

  /** Resolves once `count` originates of this ring were accepted. */
  whenAccepted(count: number): Promise<void> {
    return new Promise((resolve) => {
      this.allAccepted = () => {
        if (this.accepted.length === count) resolve();
      };
    });
  }

  reset(): void {
    this.accepted = [];
    this.uuids = new Set();
  }

  async originate(request: OriginateRequest): Promise<OutboundLeg> {
    this.uuids.add(request.uuid);
    const leg = await this.inner.originate(request);
    this.accepted.push(performance.now());
    this.allAccepted?.();
    return leg;
  }

  bridge(aUuid: string, bUuid: string): Promise<void> {
    return this.inner.bridge(aUuid, bUuid);
  }

  hangup(uuid: string, cause?: HangupCause): Promise<void> {
    return this.inner.hangup(uuid, cause);
  }
}

const pause = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

const sim = await FsSim.start({ port: 0 });
const agents = Array.from({ length: AGENTS }, (_, i) => String(2000 + i));
for (const id of agents) sim.users.set(id, { behaviour: { ringAfterMs: 0 } }); // never answer
const destinations = agents.map((id) => `user/${id}`);
const connection = await connect({ port: sim.port, password: "ClueCon" });
const control = new TimedCallControl(new FreeswitchCallControl(connection));
const created = new Map<string, number>();
connection.onEvent((event) => {
  if (event.name === "CHANNEL_CREATE" && event.uniqueId && control.uuids.has(event.uniqueId))
    created.set(event.uniqueId, performance.now());
});
const raw = await RawEslClient.open(sim.port);

/** One ring of the group: times to all accepted and to the last CHANNEL_CREATE. */
async function ringOnce(): Promise<{ accepted: number; lastCreate: number }> {
  control.reset();
  created.clear();
  const cancel = new AbortController();
  const accepted = control.whenAccepted(AGENTS);
  const start = performance.now();
  const run = RingGroup.run(control, destinations, RingMode.Parallel, {
    timeoutMs: 60_000,
    signal: cancel.signal,
  });
  await accepted;
  while (created.size < AGENTS) await pause(0);
  const acceptedMs = Math.max(...control.accepted) - start;
  const lastCreate = Math.max(...created.values()) - start;
  cancel.abort();
  const result = await run;
  if (result.result !== "cancelled") throw new Error(`unexpected ${result.result}`);
  while (sim.channels().length > 0) await pause(1);
  await connection.api("expr 1+1"); // its reply follows the hang-up events: all handled
  return { accepted: acceptedMs, lastCreate };
}

/** The same 20 originates from a raw client, written at once. */
async function rawOnce(): Promise<{ accepted: number; lastCreate: number }> {
  await raw.command("event plain CHANNEL_CREATE");
  const uuids = new Set<string>();
  const start = performance.now();
  for (const destination of destinations) {
    const uuid = randomUUID();
    uuids.add(uuid);
    raw.send(
      `bgapi originate {origination_uuid=${uuid},originate_timeout=60,ignore_early_media=true}${destination} &park()`,
    );
  }
  let replies = 0;
  let creates = 0;
  let accepted = 0;
  let lastCreate = 0;
  while (replies < AGENTS || creates < AGENTS) {
    const message = await raw.next();
    if (message.contentType === "command/reply") {
      if (!message.body.startsWith("+OK Job-UUID")) throw new Error(message.body);
      if (++replies === AGENTS) accepted = performance.now() - start;
    } else if (message.body.startsWith("Event-Name: CHANNEL_CREATE")) {
      const uuid = /^Unique-ID: (\S+)$/m.exec(message.body)?.[1];
      if (uuid && uuids.has(uuid) && ++creates === AGENTS) lastCreate = performance.now() - start;
    }
  }
  await raw.command("noevents");
  await raw.command("api hupall ORIGINATOR_CANCEL");
  while (sim.channels().length > 0) await pause(1);
  await connection.api("expr 1+1"); // the call control's connection has seen them go
  return { accepted, lastCreate };
}

try {
  for (let i = 0; i < WARM_UP; i++) {
    await ringOnce();
    await rawOnce();
  }
  const group: Array<{ accepted: number; lastCreate: number }> = [];
  const floor: Array<{ accepted: number; lastCreate: number }> = [];
  for (let i = 0; i < RINGS; i++) {
    group.push(await ringOnce());
    floor.push(await rawOnce());
  }
  const column = (runs: typeof group, key: "accepted" | "lastCreate") =>
    runs.map((r) => r[key]).sort((a, b) => a - b);
  const row = (label: string, key: "accepted" | "lastCreate") => {
    const g = column(group, key);
    const f = column(floor, key);
    return `| ${label} | ${ms(percentile(g, 50))} | ${ms(percentile(g, 99))} | ${ms(percentile(f, 50))} | ${ms(percentile(f, 99))} | ${(percentile(g, 50) / percentile(f, 50)).toFixed(2)}× |`;
  };
  const accepted = column(group, "accepted");
  process.stdout.write(
    [
      machine(),
      `${RINGS} rings of ${AGENTS} agents (after ${WARM_UP} warm-up rings), alternating with the raw client`,
      "",
      "| from `RingGroup.run()` to ... | ring group p50 (ms) | p99 (ms) | raw 20 × bgapi p50 (ms) | p99 (ms) | ratio at p50 |",
      "| --- | ---: | ---: | ---: | ---: | ---: |",
      row("every originate accepted by the switch", "accepted"),
      row("the last leg's CHANNEL_CREATE received", "lastCreate"),
      "",
      `target ≤ ${TARGET_MS} ms to every originate accepted: ${accepted.filter((v) => v <= TARGET_MS).length} of ${RINGS} rings within it`,
      "",
    ].join("\n"),
  );
} finally {
  raw.close();
  await connection.disconnect();
  await sim.stop();
}

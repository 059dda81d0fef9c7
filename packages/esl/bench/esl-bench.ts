/**
 * `pnpm bench:esl`: what this package's typed layer costs on top of the
 * bare Event Socket, against fs-sim in the same process:
 *
 * - `api expr 1+1` round trip, p50/p99, through `EslConnection.api` and
 *   through a raw client that only frames messages;
 * - sustained originates per second, keeping 50 outstanding, of `null/`
 *   legs (they answer at once): `FreeswitchCallControl.originate` until each
 *   leg's outcome is known, against raw `bgapi originate` until each
 *   BACKGROUND_JOB, the raw client subscribed either to BACKGROUND_JOB only
 *   (fs-sim's own bench) or to the same channel events the call control
 *   needs (the same traffic on the wire).
 *
 * The measurements alternate, five rounds each, and the medians are
 * printed as a Markdown table for docs/benchmarks.md.
 */
import { randomUUID } from "node:crypto";
import type { OutboundLeg } from "@ringflow/core";
import { FsSim } from "@ringflow/fs-sim";
import { connect, type EslConnection } from "../src/esl-connection.js";
import { FreeswitchCallControl } from "../src/freeswitch-call-control.js";
import { machine, median, ms, percentile, RawEslClient } from "./bench-support.js";

const ROUNDS = 5;
const ROUND_TRIPS = 5000;
const ORIGINATES = 2000;
const WINDOW = 50;
const LEG_EVENTS = "CHANNEL_CREATE CHANNEL_ANSWER CHANNEL_HANGUP CHANNEL_HANGUP_COMPLETE";

async function timed(count: number, once: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  return samples.sort((a, b) => a - b);
}

/**
 * Raw `bgapi originate`, `WINDOW` outstanding, until every one of its own
 * BACKGROUND_JOBs (matched by the Job-UUID it chose) says +OK. Subscribed to
 * `events` only for the run.
 */
async function rawOriginates(
  client: RawEslClient,
  events: string,
  legVariables: boolean,
): Promise<number> {
  await client.command(`event plain ${events}`);
  const mine = new Set<string>();
  let sent = 0;
  let done = 0;
  const send = () => {
    const vars = legVariables
      ? `{origination_uuid=${randomUUID()},originate_timeout=10,ignore_early_media=true}`
      : "";
    const job = randomUUID();
    mine.add(job);
    client.send(`bgapi originate ${vars}null/bench &park()`, { "Job-UUID": job });
    sent++;
  };
  const start = performance.now();
  while (sent < Math.min(WINDOW, ORIGINATES)) send();
  while (done < ORIGINATES) {
    const message = await client.next();
    if (message.contentType !== "text/event-plain") continue;
    if (!message.body.startsWith("Event-Name: BACKGROUND_JOB")) continue;
    const job = /^Job-UUID: (\S+)$/m.exec(message.body)?.[1];
    if (job === undefined || !mine.delete(job)) continue;
    if (!message.body.includes("\n\n+OK ")) throw new Error(`originate failed: ${message.body}`);
    done++;
    if (sent < ORIGINATES) send();
  }
  const rate = ORIGINATES / ((performance.now() - start) / 1000);
  await client.command("noevents"); // its reply comes after whatever was still queued
  return rate;
}

/**
 * `FreeswitchCallControl.originate`, `WINDOW` outstanding, until every leg
 * has answered. Resolves with the rate and the legs.
 */
function layerOriginates(
  control: FreeswitchCallControl,
): Promise<{ rate: number; legs: Array<Promise<OutboundLeg>> }> {
  const legs: Array<Promise<OutboundLeg>> = [];
  let done = 0;
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const launch = () => {
      while (legs.length < ORIGINATES && legs.length - done < WINDOW) {
        const leg = control.originate({
          uuid: randomUUID(),
          destination: "null/bench",
          timeoutMs: 10_000,
        });
        legs.push(leg);
        leg
          .then((l) => l.outcome)
          .then((outcome) => {
            if (!outcome.answered) throw new Error(`originate failed: ${outcome.cause}`);
            done++;
            if (done < ORIGINATES) launch();
            else resolve({ rate: ORIGINATES / ((performance.now() - start) / 1000), legs });
          })
          .catch(reject);
      }
    };
    launch();
  });
}

/** Resolves once every leg's channel is gone, as the layer saw it. */
async function allEnded(legs: Array<Promise<OutboundLeg>>): Promise<void> {
  await Promise.all(legs.map(async (leg) => (await leg).ended));
}

const pause = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

/** Hangs every channel up and waits until the switch has let them go. */
async function clear(sim: FsSim, raw: RawEslClient): Promise<void> {
  await raw.command("api hupall NORMAL_CLEARING");
  while (sim.channels().length > 0) await pause(5);
}

/**
 * Each measurement opens what it uses and closes it afterwards, so no
 * connection parses events while another one is measured (all share this
 * process with the simulator).
 */
async function withConnection<T>(port: number, work: (c: EslConnection) => Promise<T>): Promise<T> {
  const connection = await connect({ port, password: "ClueCon" });
  try {
    return await work(connection);
  } finally {
    await connection.disconnect();
  }
}

const sim = await FsSim.start({ port: 0 });
const raw = await RawEslClient.open(sim.port);
try {
  // Warm-up (JIT) of every path measured below.
  await timed(1000, () => raw.command("api expr 1+1"));
  await withConnection(sim.port, (c) => timed(1000, () => c.api("expr 1+1")));
  await rawOriginates(raw, `BACKGROUND_JOB ${LEG_EVENTS}`, true);
  await clear(sim, raw);
  await withConnection(sim.port, async (c) => {
    const { legs } = await layerOriginates(new FreeswitchCallControl(c));
    await clear(sim, raw);
    await allEnded(legs);
  });

  const rawTrips: number[][] = [];
  const layerTrips: number[][] = [];
  const rawRates: number[] = [];
  const rawEventRates: number[] = [];
  const layerRates: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    rawTrips.push(await timed(ROUND_TRIPS, () => raw.command("api expr 1+1")));
    layerTrips.push(
      await withConnection(sim.port, (c) => timed(ROUND_TRIPS, () => c.api("expr 1+1"))),
    );
    rawRates.push(await rawOriginates(raw, "BACKGROUND_JOB", false));
    await clear(sim, raw);
    rawEventRates.push(await rawOriginates(raw, `BACKGROUND_JOB ${LEG_EVENTS}`, true));
    await clear(sim, raw);
    layerRates.push(
      await withConnection(sim.port, async (c) => {
        const { rate, legs } = await layerOriginates(new FreeswitchCallControl(c));
        await clear(sim, raw);
        // Not measured: the layer working through the hang-ups before the next run.
        await allEnded(legs);
        return rate;
      }),
    );
  }

  const p = (runs: number[][], q: number) => median(runs.map((r) => percentile(r, q)));
  const rows: Array<[string, string, string, string]> = [];
  const rawP50 = p(rawTrips, 50);
  const layerP50 = p(layerTrips, 50);
  const rawP99 = p(rawTrips, 99);
  const layerP99 = p(layerTrips, 99);
  rows.push([
    "`api expr 1+1` round trip p50 (ms)",
    ms(rawP50),
    ms(layerP50),
    `${(layerP50 / rawP50).toFixed(2)}×`,
  ]);
  rows.push([
    "`api expr 1+1` round trip p99 (ms)",
    ms(rawP99),
    ms(layerP99),
    `${(layerP99 / rawP99).toFixed(2)}×`,
  ]);
  const rawRate = median(rawRates);
  const rawEventRate = median(rawEventRates);
  const layerRate = median(layerRates);
  rows.push([
    `originates/s, ${WINDOW} outstanding (raw: BACKGROUND_JOB only)`,
    rawRate.toFixed(0),
    layerRate.toFixed(0),
    `${(rawRate / layerRate).toFixed(2)}× slower`,
  ]);
  rows.push([
    `originates/s, ${WINDOW} outstanding (raw: same variables and channel events)`,
    rawEventRate.toFixed(0),
    layerRate.toFixed(0),
    `${(rawEventRate / layerRate).toFixed(2)}× slower`,
  ]);

  const lines = [
    machine(),
    `${ROUNDS} rounds (medians): ${ROUND_TRIPS} round trips, ${ORIGINATES} originates of null/ legs per measurement`,
    "",
    "| measure | raw client | @ringflow/esl | ratio |",
    "| --- | ---: | ---: | ---: |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
    "",
    `per round: raw originates/s ${rawRates.map((r) => r.toFixed(0)).join(", ")}; raw + events ${rawEventRates.map((r) => r.toFixed(0)).join(", ")}; layer ${layerRates.map((r) => r.toFixed(0)).join(", ")}`,
    "",
  ];
  process.stdout.write(lines.join("\n"));
} finally {
  raw.close();
  await sim.stop();
}

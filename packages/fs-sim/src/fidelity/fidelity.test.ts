import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FsSim } from "../fs-sim.js";
import { runFidelityScenario } from "./runner.js";
import { SCRIPTED_TRANSCRIPTS } from "./scenarios.js";

const exec = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const reference = resolve(here, "../../../../reference");
const checker = join(reference, "tools/esl-fidelity/check.py");

interface Summary {
  scenario: string;
  exact_pct: number | null;
  shape_pct: number | null;
  error?: string;
}

async function checkerJson(args: string[], out: string): Promise<Summary[]> {
  await exec("python3", [checker, ...args, "--json", out], { maxBuffer: 64 * 1024 * 1024 });
  const json = JSON.parse(await readFile(out, "utf8")) as { scenarios: Summary[] };
  return json.scenarios;
}

/**
 * The checker serves the outbound socket on 127.0.0.1:9000 because the recordings say so
 * (scenario 05 replays `originate null/static '&socket(127.0.0.1:9000 full)'` verbatim), so
 * that port must be free. Fails with a message saying so rather than a score of 0.
 */
async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, "127.0.0.1", resolve);
    });
  } catch (err) {
    throw new Error(
      `port ${port} on 127.0.0.1 is in use (${(err as Error).message}); the recordings' dialplan ` +
        `sends calls there, so the fidelity check needs it free — stop whatever holds it ` +
        "(another fidelity run?) and run again",
    );
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

// The checker (01-05, 12) serves the outbound side on the recordings' fixed port 9000; the
// runner (06-11) serves it on a free port and routes 7000 there.
describe("fidelity against the FreeSWITCH 1.10.12 recordings (check.py)", () => {
  let dir: string;
  let sim: FsSim;
  const scores = new Map<string, Summary>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fs-sim-fidelity-"));
    await assertPortFree(9000);
    sim = await FsSim.start({ port: 0 });
    for (const s of await checkerJson(
      ["--all-inbound", "--port", String(sim.port)],
      join(dir, "inbound.json"),
    )) {
      scores.set(s.scenario.split("-")[0] as string, s);
    }
    await sim.stop();
    for (const [id, name] of Object.entries(SCRIPTED_TRANSCRIPTS)) {
      const capture = await runFidelityScenario({
        id,
        transcript: join(reference, "transcripts", `${name}.jsonl`),
      });
      await writeFile(join(dir, `${name}.jsonl`), capture);
    }
    for (const s of await checkerJson(
      ["--events-only", "--capture-dir", dir],
      join(dir, "scripted.json"),
    )) {
      scores.set(s.scenario.split("-")[0] as string, s);
    }
  }, 240_000);

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const table: Array<[string, number]> = [
    ["01", 95],
    ["02", 95],
    ["03", 95],
    ["04", 95],
    ["05", 95],
    ["12", 95],
    ["06", 80],
    ["07", 80],
    ["08", 80],
    ["09", 80],
    ["10", 80],
    ["11", 80],
  ];
  it.each(table)("scenario %s reaches shape 100 and exact >= %i", (id, minExact) => {
    const s = scores.get(id);
    expect(s?.error).toBeUndefined();
    expect(s?.shape_pct).toBe(100);
    expect(s?.exact_pct ?? 0).toBeGreaterThanOrEqual(minExact);
  });
});

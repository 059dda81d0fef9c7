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

/** A port nobody listens on now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no free port");
  return address.port;
}

// The recordings' dialplan sends outbound sockets to 127.0.0.1:9000 (scenario 05 replays
// that originate verbatim). The checker (01-05, 12) serves the outbound side on a free port
// instead and the simulator redirects 9000 there, so a worker or another run on 9000 does not
// collide; the runner (06-11) serves it on a free port and routes 7000 there.
describe("fidelity against the FreeSWITCH 1.10.12 recordings (check.py)", () => {
  let dir: string;
  let sim: FsSim;
  const scores = new Map<string, Summary>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "fs-sim-fidelity-"));
    const outbound = await freePort();
    sim = await FsSim.start({ port: 0, socketRedirects: { "127.0.0.1:9000": outbound } });
    // The recordings' dialplan (loopback originates to 7000 reach it).
    sim.dialplan.add("7000", [{ app: "socket", arg: "127.0.0.1:9000 async full" }]);
    for (const s of await checkerJson(
      ["--all-inbound", "--port", String(sim.port), "--outbound-listen", String(outbound)],
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

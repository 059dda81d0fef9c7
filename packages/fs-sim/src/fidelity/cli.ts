import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runFidelityScenario } from "./runner.js";

/**
 * `pnpm --filter @ringflow/fs-sim fidelity [--out DIR] [06 07 ...]`: runs the
 * scripted scenarios 06–11 against a fresh simulator each and writes the
 * captures as DIR/<scenario>.jsonl for `check.py --events-only --capture-dir DIR`.
 */
const here = dirname(fileURLToPath(import.meta.url));
const reference = resolve(here, "../../../../reference/transcripts");
const NAMES: Record<string, string> = {
  "06": "06-user-answer",
  "07": "07-user-no-answer",
  "08": "08-user-busy-and-absent",
  "09": "09-parallel-lose-race",
  "10": "10-bridge-from-outbound",
  "11": "11-caller-hangup-while-queued",
};

const { values, positionals } = parseArgs({
  options: { out: { type: "string", default: "fidelity-captures" } },
  allowPositionals: true,
});
const ids = positionals.length > 0 ? positionals : Object.keys(NAMES);
await mkdir(values.out ?? "fidelity-captures", { recursive: true });
for (const id of ids) {
  const name = NAMES[id];
  if (!name) throw new Error(`unknown scenario ${id}`);
  const capture = await runFidelityScenario({ id, transcript: join(reference, `${name}.jsonl`) });
  const file = join(values.out ?? "fidelity-captures", `${name}.jsonl`);
  await writeFile(file, capture);
  process.stdout.write(`${id}: wrote ${file}\n`);
}

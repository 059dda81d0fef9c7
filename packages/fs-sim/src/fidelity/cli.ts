import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runFidelityScenario } from "./runner.js";
import { SCRIPTED_TRANSCRIPTS } from "./scenarios.js";

/**
 * `pnpm --filter @ringflow/fs-sim fidelity [--out DIR] [06 07 ...]`: runs the
 * scripted scenarios 06–11 against a fresh simulator each and writes the
 * captures as DIR/<scenario>.jsonl for `check.py --events-only --capture-dir DIR`.
 */
const here = dirname(fileURLToPath(import.meta.url));
const reference = resolve(here, "../../../../reference/transcripts");

const { values, positionals } = parseArgs({
  options: { out: { type: "string", default: "fidelity-captures" } },
  allowPositionals: true,
});
const ids = positionals.length > 0 ? positionals : Object.keys(SCRIPTED_TRANSCRIPTS);
await mkdir(values.out ?? "fidelity-captures", { recursive: true });
for (const id of ids) {
  const name = SCRIPTED_TRANSCRIPTS[id];
  if (!name) throw new Error(`unknown scenario ${id}`);
  const capture = await runFidelityScenario({ id, transcript: join(reference, `${name}.jsonl`) });
  const file = join(values.out ?? "fidelity-captures", `${name}.jsonl`);
  await writeFile(file, capture);
  process.stdout.write(`${id}: wrote ${file}\n`);
}

import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * What a newcomer does: clone, `pnpm install`, then a README command. Each
 * command must do whatever it needs (Prisma clients, builds) by itself; a
 * command that works only in a checkout where `pnpm build` once ran fails
 * here. The clone is of this checkout's HEAD, so it holds what is committed.
 */
describe("a fresh clone", () => {
  let dir = "";
  let clone = "";

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "ringflow-clone-"));
    clone = path.join(dir, "ringflow");
    await run("git", ["clone", "--quiet", repoRoot, clone]);
    // From the local store where it can be (CI's own install filled it); the
    // registry only for what it lacks.
    await run("pnpm", ["install", "--frozen-lockfile", "--prefer-offline"], {
      cwd: clone,
      env: { ...process.env, npm_config_nodedir: process.env.npm_config_nodedir ?? "/usr" },
      maxBuffer: 64 * 1024 * 1024,
    });
  }, 300_000);

  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("runs the worker's demo right after pnpm install", async () => {
    const { stdout } = await run("pnpm", ["--filter", "@ringflow/worker", "demo"], {
      cwd: clone,
      // Not the test's own variables: a newcomer's shell has no DATABASE_URL.
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? os.homedir() },
      timeout: 180_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    expect(stdout).toContain("Demo flow seeded");
    // Every one of the demo's six callers has a row with an outcome, and the run ends.
    const rows = stdout
      .split("\n")
      .filter((line) => /^(Ada|Brian|Chen|Dana|Emeka|Fatima)\s+[a-zA-Z]+\s+\d+\.\d s\s/.test(line));
    expect(rows).toHaveLength(6);
    expect(stdout).toMatch(/Done\.\s*$/);
  }, 200_000);
});

import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { repositoryRoot } from "../src/paths.js";

const execFileAsync = promisify(execFile);

/** What a finished Prisma CLI run printed and how it exited. */
export interface PrismaCliResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs the repository's Prisma CLI from the root, where prisma.config.ts
 * lives, and resolves with its output whatever the exit code. DATABASE_URL
 * defaults to the one prisma.config.ts picks unless `env` gives another.
 */
export async function runPrismaCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<PrismaCliResult> {
  const bin = path.join(repositoryRoot, "node_modules", ".bin", "prisma");
  try {
    const { stdout, stderr } = await execFileAsync(bin, [...args], {
      cwd: repositoryRoot,
      env: { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: "1", CHECKPOINT_DISABLE: "1", ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr, exitCode: 0 };
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; code?: unknown };
    if (typeof failed.code !== "number") throw error;
    return { stdout: failed.stdout ?? "", stderr: failed.stderr ?? "", exitCode: failed.code };
  }
}

/** Like {@link runPrismaCli}, but throws with the CLI's output unless it exits 0. */
export async function runPrismaCliOrThrow(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<string> {
  const result = await runPrismaCli(args, env);
  if (result.exitCode !== 0) {
    throw new Error(
      `prisma ${args.join(" ")} exited with ${result.exitCode}\n${result.stdout}${result.stderr}`,
    );
  }
  return result.stdout;
}

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Starts `test/<script>` in its own Node process, running TypeScript through tsx. */
export function spawnTs(script: string, args: readonly string[]): ChildProcess {
  return spawn(
    process.execPath,
    ["--conditions=@ringflow/source", "--import", "tsx", `test/${script}`, ...args],
    { cwd: packageDir, stdio: ["ignore", "pipe", "pipe"] },
  );
}

/** Resolves with the child's stdout once it exits with code 0; rejects otherwise. */
export function collectOutput(child: ChildProcess): Promise<string> {
  let out = "";
  let err = "";
  child.stdout?.on("data", (chunk) => {
    out += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    err += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve(out);
      else reject(new Error(`child exited with ${code ?? signal}: ${err}`));
    });
  });
}

/** Resolves when the child writes `line` on stdout. */
export function waitForLine(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    child.stderr?.on("data", (chunk) => {
      err += chunk;
    });
    child.stdout?.on("data", (chunk) => {
      out += chunk;
      if (out.split("\n").includes(line)) resolve();
    });
    child.on("exit", (code) =>
      reject(new Error(`child exited (${code}) before "${line}": ${err}`)),
    );
  });
}

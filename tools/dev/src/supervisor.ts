import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { formatLine, type ProcessName } from "./log-lines.js";

/** One process the supervisor runs. */
export interface ProcessSpec {
  readonly name: ProcessName;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
}

const STOP_GRACE_MS = 15_000;

/**
 * Runs a set of processes as one: their output prefixed with their names,
 * all stopped together on Ctrl+C (or SIGTERM), and all stopped when one of
 * them exits by itself. Each child runs in a process group of its own, so
 * the terminal's Ctrl+C reaches only the supervisor, which then asks each
 * child once (SIGTERM) and waits for it to drain before forcing it.
 */
export class Supervisor {
  private readonly children = new Map<ProcessName, ChildProcess>();
  private stopping: Promise<number> | undefined;
  private readonly done: Promise<number>;
  private resolveDone: (code: number) => void = () => {};

  constructor(
    private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
  ) {
    this.done = new Promise((resolve) => {
      this.resolveDone = resolve;
    });
  }

  /** Tells the terminal something as the supervisor. */
  say(text: string): void {
    this.print(formatLine("dev", text));
  }

  /** Starts a process; its unexpected exit stops everything. */
  start(spec: ProcessSpec): ChildProcess {
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    this.children.set(spec.name, child);
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream }).on("line", (line) =>
        this.print(formatLine(spec.name, line)),
      );
    }
    child.once("exit", (code, signal) => {
      this.children.delete(spec.name);
      if (this.stopping) return;
      this.say(`${spec.name} exited (${signal ?? `code ${code}`}) — stopping the others`);
      void this.stop(code === 0 ? 1 : (code ?? 1));
    });
    child.once("error", (error) => {
      this.say(`${spec.name} could not start: ${error.message}`);
      void this.stop(1);
    });
    return child;
  }

  /**
   * Stops every process (SIGTERM to its group, SIGKILL after a grace),
   * the simulator last so the worker can hang its calls up first; resolves
   * with the exit code.
   */
  stop(code = 0): Promise<number> {
    this.stopping ??= (async () => {
      const running = [...this.children.entries()];
      if (running.length > 0) this.say(`stopping ${running.map(([name]) => name).join(", ")}…`);
      await this.stopAll(running.filter(([name]) => name !== "sim"));
      await this.stopAll(running.filter(([name]) => name === "sim"));
      this.resolveDone(code);
      return code;
    })();
    return this.stopping;
  }

  private async stopAll(running: [ProcessName, ChildProcess][]): Promise<void> {
    await Promise.all(
      running.map(
        ([name, child]) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.pid === undefined) return resolve();
            const timer = setTimeout(() => {
              this.say(`${name} did not stop within ${STOP_GRACE_MS / 1000} s: killing it`);
              killGroup(child, "SIGKILL");
            }, STOP_GRACE_MS);
            child.once("exit", () => {
              clearTimeout(timer);
              resolve();
            });
            killGroup(child, "SIGTERM");
          }),
      ),
    );
  }

  /**
   * Stops everything on Ctrl+C or SIGTERM. The same Ctrl+C often arrives
   * twice (from the terminal and relayed by pnpm), so signals within 2 s
   * of the first are that one request; a later one forces.
   */
  handleSignals(): void {
    let first: number | undefined;
    const onSignal = () => {
      const now = Date.now();
      if (first === undefined) {
        first = now;
        void this.stop(0);
      } else if (now - first < 2_000) {
        return;
      } else {
        this.say("forced exit");
        for (const child of this.children.values()) killGroup(child, "SIGKILL");
        process.exit(130);
      }
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }

  /** Resolves with the exit code once everything has stopped. */
  finished(): Promise<number> {
    return this.done;
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

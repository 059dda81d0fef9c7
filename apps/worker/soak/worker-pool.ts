import { spawnWorker } from "../test/worker-process.js";

/** One worker process of the soak, restarted under the same id and port. */
interface PoolWorker {
  readonly id: string;
  readonly listenPort: number;
  process: ReturnType<typeof spawnWorker> | undefined;
  /** Warnings and errors it logged, kept for the report (bounded). */
  readonly problems: Array<Record<string, unknown>>;
}

/** Log lines a soak keeps from a worker: readiness, and warnings and worse (level ≥ 40). */
function worthKeeping(line: Record<string, unknown>): boolean {
  return line.msg === "worker ready: taking calls" || Number(line.level) >= 40;
}

/**
 * The soak's worker processes (`src/main.ts`, as `pnpm start` runs it), each
 * with a fixed id and call port so the dialplan's sockets keep pointing at
 * it across restarts.
 */
export class WorkerPool {
  private readonly workers: PoolWorker[];

  constructor(
    ports: readonly number[],
    private readonly envFor: (id: string, listenPort: number) => Record<string, string>,
  ) {
    this.workers = ports.map((listenPort, i) => ({
      id: `soak-w${i + 1}`,
      listenPort,
      process: undefined,
      problems: [],
    }));
  }

  get ids(): string[] {
    return this.workers.map((w) => w.id);
  }

  /** Ids of the workers running now. */
  get running(): string[] {
    return this.workers.filter((w) => w.process).map((w) => w.id);
  }

  portOf(id: string): number {
    return this.get(id).listenPort;
  }

  /** Starts a worker and resolves once it takes calls. */
  async start(id: string): Promise<void> {
    const worker = this.get(id);
    if (worker.process) return;
    const child = spawnWorker(this.envFor(id, worker.listenPort), { keep: worthKeeping });
    worker.process = child;
    child.child.once("exit", () => {
      if (worker.process === child) worker.process = undefined;
      for (const line of child.lines) {
        if (line.msg !== "worker ready: taking calls" && worker.problems.length < 500) {
          worker.problems.push(line);
        }
      }
    });
    await child.waitForLine((line) => line.msg === "worker ready: taking calls");
  }

  /** SIGKILL: the worker dies at once, its calls and entries left behind. */
  async kill(id: string): Promise<void> {
    const child = this.get(id).process;
    if (!child) return;
    const exited = new Promise((resolve) => child.child.once("exit", resolve));
    child.child.kill("SIGKILL");
    await exited;
  }

  /** SIGTERM to every worker: each drains and exits. */
  async stopAll(): Promise<void> {
    await Promise.all(
      this.workers.map(async (worker) => {
        const child = worker.process;
        if (!child) return;
        const exited = new Promise((resolve) => child.child.once("exit", resolve));
        child.child.kill("SIGTERM");
        await exited;
      }),
    );
  }

  /** What the workers logged at warn and above, with their ids (running ones included). */
  problems(): Array<Record<string, unknown>> {
    return this.workers.flatMap((worker) => [
      ...worker.problems,
      ...(worker.process?.lines.filter((l) => l.msg !== "worker ready: taking calls") ?? []),
    ]);
  }

  private get(id: string): PoolWorker {
    const worker = this.workers.find((w) => w.id === id);
    if (!worker) throw new Error(`no soak worker ${id}`);
    return worker;
  }
}

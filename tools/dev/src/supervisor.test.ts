import { describe, expect, it } from "vitest";
import { Supervisor } from "./supervisor.js";

const node = process.execPath;

describe("the supervisor", () => {
  it("prefixes output and stops everything when one process exits", async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor((line) => lines.push(line));
    supervisor.start({
      name: "worker",
      command: node,
      args: [
        "-e",
        "console.log('hello'); setInterval(() => {}, 1000); process.on('SIGTERM', () => { console.log('draining'); process.exit(0); })",
      ],
      cwd: process.cwd(),
      env: process.env,
    });
    supervisor.start({
      name: "sim",
      command: node,
      args: ["-e", "setTimeout(() => process.exit(3), 300)"],
      cwd: process.cwd(),
      env: process.env,
    });
    expect(await supervisor.finished()).toBe(3);
    expect(lines.some((l) => l.includes("[worker]") && l.includes("hello"))).toBe(true);
    expect(lines.some((l) => l.includes("sim exited (code 3)"))).toBe(true);
    expect(lines.some((l) => l.includes("[worker]") && l.includes("draining"))).toBe(true);
  });

  it("stops every process once, each draining on SIGTERM", async () => {
    const lines: string[] = [];
    const supervisor = new Supervisor((line) => lines.push(line));
    for (const name of ["web", "worker"] as const) {
      supervisor.start({
        name,
        command: node,
        args: [
          "-e",
          "let n = 0; process.on('SIGTERM', () => { n++; console.log('term ' + n); setTimeout(() => process.exit(0), 200); }); setInterval(() => {}, 1000); console.log('up')",
        ],
        cwd: process.cwd(),
        env: process.env,
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await supervisor.stop()).toBe(0);
    expect(lines.filter((l) => l.includes("term 1"))).toHaveLength(2);
    expect(lines.some((l) => l.includes("term 2"))).toBe(false);
  });
});

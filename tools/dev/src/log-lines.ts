/** How a child's output lines are shown: `[worker] …`, JSON log lines made readable. */

const colours = { web: 36, worker: 35, sim: 33, dev: 32 } as const;
/** A process of the supervisor. */
export type ProcessName = keyof typeof colours;

const levels: Record<number, string> = {
  10: "trace",
  20: "debug",
  30: "info",
  40: "warn",
  50: "error",
  60: "fatal",
};
const OMIT = new Set(["level", "time", "msg", "pid", "hostname", "workerId", "v"]);

/** One line as the terminal shows it; pino's JSON lines become `level msg key=value…`. */
export function formatLine(name: ProcessName, line: string, colour = process.stdout.isTTY): string {
  const tag = `[${name}]`.padEnd(9);
  const prefix = colour ? `\u001b[${colours[name]}m${tag}\u001b[0m` : tag;
  if (!line.startsWith("{")) return `${prefix}${line}`;
  try {
    const entry = JSON.parse(line) as Record<string, unknown>;
    if (typeof entry.msg !== "string") return `${prefix}${line}`;
    const level =
      typeof entry.level === "number" ? (levels[entry.level] ?? String(entry.level)) : "info";
    const rest = Object.entries(entry)
      .filter(([key]) => !OMIT.has(key))
      .map(
        ([key, value]) =>
          `${key}=${typeof value === "object" ? JSON.stringify(value) : String(value)}`,
      )
      .join(" ");
    const shownLevel = level === "info" ? "" : `${level.toUpperCase()} `;
    return `${prefix}${shownLevel}${entry.msg}${rest ? `  ${rest}` : ""}`;
  } catch {
    return `${prefix}${line}`;
  }
}

import type { Session } from "../core/session.js";

/** One dialplan action: an application and its argument. */
export interface DialplanAction {
  app: string;
  arg?: string;
}

/**
 * The simulator's dialplan: destination number (exact, or a `/regex/`) to a
 * list of actions, per context (`*` matches any). Defaults: 7000 runs
 * `socket 127.0.0.1:8084 async full`, the worker's default address (the
 * recordings' switch used 9000; the fidelity runs route 7000 themselves).
 */
export class Dialplan {
  private readonly entries: Array<{ context: string; match: string; actions: DialplanAction[] }> = [
    { context: "*", match: "7000", actions: [{ app: "socket", arg: "127.0.0.1:8084 async full" }] },
  ];

  /** Adds (in front of existing ones) an extension. */
  add(match: string, actions: DialplanAction[], context = "*"): void {
    this.entries.unshift({ context, match, actions });
  }

  /** Removes every extension. */
  clear(): void {
    this.entries.length = 0;
  }

  lookup(destination: string, context: string): DialplanAction[] | undefined {
    for (const e of this.entries) {
      if (e.context !== "*" && e.context !== context) continue;
      const hit = e.match.startsWith("/")
        ? new RegExp(e.match.slice(1, e.match.endsWith("/") ? -1 : undefined)).test(destination)
        : e.match === destination;
      if (hit) return e.actions;
    }
    return undefined;
  }

  route(s: Session): DialplanAction[] | undefined {
    const p = s.channel.profile;
    return this.lookup(p?.destinationNumber ?? "", p?.context ?? "default");
  }
}

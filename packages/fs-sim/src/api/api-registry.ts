import type { Session } from "../core/session.js";

/** Who runs an API command (for Job-Owner-UUID and uuid checks). */
export interface ApiCaller {
  /** The session an outbound socket controls, if any. */
  readonly session?: Session;
}

/** An API command: returns its raw output (the api/response body). */
export type ApiFunction = (arg: string | undefined, caller: ApiCaller) => Promise<string> | string;

/** The API commands the simulator knows, by name. */
export class ApiRegistry {
  private readonly commands = new Map<string, ApiFunction>();

  register(name: string, fn: ApiFunction): void {
    this.commands.set(name.toLowerCase(), fn);
  }

  get(name: string): ApiFunction | undefined {
    return this.commands.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.commands.keys()].sort();
  }
}

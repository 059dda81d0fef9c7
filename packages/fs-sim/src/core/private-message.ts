import type { FsEvent } from "../protocol/fs-event.js";

/**
 * A message queued to a channel (`sendmsg`, uuid_broadcast, ...): FreeSWITCH's
 * private event. Headers are looked up case-insensitively.
 */
export class PrivateMessage {
  constructor(
    /** The event re-fired as PRIVATE_COMMAND after the message ran. */
    readonly event: FsEvent,
  ) {}

  header(name: string): string | undefined {
    return this.event.get(name);
  }

  get command(): string | undefined {
    return this.header("call-command");
  }

  get eventLock(): boolean {
    return isTrue(this.header("event-lock"));
  }

  get async(): boolean {
    return isTrue(this.header("async"));
  }
}

/** `switch_true`. */
export function isTrue(v: string | undefined): boolean {
  if (!v) return false;
  const s = v.toLowerCase();
  return (
    s === "true" ||
    s === "yes" ||
    s === "on" ||
    s === "enabled" ||
    s === "active" ||
    s === "allow" ||
    (/^\d+$/.test(s) && s !== "0")
  );
}

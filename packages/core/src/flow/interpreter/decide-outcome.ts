import type { CallOutcome } from "./call-report.js";

/** What the interpreter learnt about a call, from which its outcome follows. */
export interface OutcomeFacts {
  /** The caller was connected to someone: an agent's leg or a dialled number. */
  readonly connected: boolean;
  /** The call reached a voicemail node and the mailbox took it (to the end or to a hang-up). */
  readonly reachedVoicemail: boolean;
  /** The run stopped on an error (a port failed, the visit cap, a broken graph). */
  readonly failed: boolean;
  /**
   * The verdict of the last queue, ring group or bridge since the call last
   * entered a queue or ring group: the queue gave up (`timeout`: timed out
   * or full), or nobody could be reached (`noAnswer`: no agent answered or
   * logged in, a bridge failed), or the caller took a callback (`callback`:
   * the request keeps their place; this call ends). `null` while it is
   * still being tried.
   */
  readonly verdict: "timeout" | "noAnswer" | "callback" | null;
  /** The caller hung up before the flow ended the call. */
  readonly callerHungUp: boolean;
}

/**
 * The outcome of a finished call: the first rule that applies.
 *
 * 1. `answered`: the caller was connected (even if something failed afterwards).
 * 2. `voicemail`: the call went to voicemail.
 * 3. `failed`: the run stopped on an error.
 * 4. `timeout` / `noAnswer` / `callback`: the last queue or ring group's verdict stands,
 *    even if the caller hung up during a message that followed it.
 * 5. `abandoned`: the caller hung up while still being served: waiting in
 *    line, while agents rang, between an agent's answer and the bridge, in
 *    a menu or an announcement.
 * 6. `noAnswer`: the flow ended the call itself without connecting it
 *    (a hang-up node, an output without an edge).
 */
export function decideOutcome(facts: OutcomeFacts): CallOutcome {
  if (facts.connected) return "answered";
  if (facts.reachedVoicemail) return "voicemail";
  if (facts.failed) return "failed";
  if (facts.verdict !== null) return facts.verdict;
  return facts.callerHungUp ? "abandoned" : "noAnswer";
}

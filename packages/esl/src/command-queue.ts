import type { Clock, TimerHandle } from "@ringflow/core";
import { EslOverloadedError, EslTimeoutError } from "./errors.js";
import type { EslReply } from "./message-reader.js";

interface PendingCommand {
  readonly wire: string;
  readonly description: string;
  readonly resolve: (reply: EslReply) => void;
  readonly reject: (error: Error) => void;
  readonly timeoutMs: number;
  /** While waiting: the bound on the wait for a slot. Once written: the reply timeout. */
  timer: TimerHandle | undefined;
  written: boolean;
  settled: boolean;
}

/**
 * Writes commands in order, at most `maxInFlight` of them awaiting their
 * replies at once (one by default), and hands each reply to the command it
 * answers.
 *
 * FreeSWITCH reads a connection's commands one after the other and answers
 * every one exactly once, in order, with either a command/reply or an
 * api/response (an `api` it refuses at the ESL level gets a command/reply),
 * and the replies carry no id. So the only safe matching is positional over
 * *every* reply, whatever its content type, with nothing written that does
 * not reserve its reply slot. That same order is what makes writing the
 * next command before the previous reply safe: with `maxInFlight` above one,
 * a round trip no longer holds up the commands behind it, and commands that
 * waited for a free slot go out together in one write.
 *
 * A command's timeout counts twice, separately: at most `timeoutMs` waiting
 * for a slot (past it, it is dropped unsent: `EslTimeoutError` with
 * `written: false`), then `timeoutMs` for its reply, counted from when it was
 * written. So a command that is written always gets its whole timeout: one
 * that had spent its budget waiting behind a backlog would otherwise go out
 * with moments left, time out, and still be carried out by the switch —
 * work done for a caller who has already given up on it, which lengthens
 * the backlog further. With `maxQueued`, a command that finds that many
 * already waiting is refused at once, unsent (`EslOverloadedError`).
 *
 * A written command that times out is rejected at once but keeps its slot:
 * its late reply is consumed and dropped instead of being handed to the
 * next command.
 */
export class CommandQueue {
  private readonly waiting: PendingCommand[] = [];
  /** Written, oldest first: the next reply belongs to the first. */
  private readonly inFlight: PendingCommand[] = [];
  private closedWith: Error | undefined;

  constructor(
    private readonly write: (wire: string) => void,
    private readonly clock: Clock,
    private readonly maxInFlight = 1,
    private readonly maxQueued = Number.POSITIVE_INFINITY,
  ) {
    if (!Number.isInteger(maxInFlight) || maxInFlight < 1) {
      throw new RangeError(`maxInFlight must be a whole number of at least 1, not ${maxInFlight}`);
    }
    if (!(maxQueued >= 0)) throw new RangeError(`maxQueued must be 0 or more, not ${maxQueued}`);
  }

  /** Queues `wire` (a formatted command) and resolves with its reply. */
  send(wire: string, description: string, timeoutMs: number): Promise<EslReply> {
    return new Promise<EslReply>((resolve, reject) => {
      if (this.closedWith) {
        reject(this.closedWith);
        return;
      }
      if (this.inFlight.length >= this.maxInFlight && this.waiting.length >= this.maxQueued) {
        reject(new EslOverloadedError(description, this.maxQueued));
        return;
      }
      const command: PendingCommand = {
        wire,
        description,
        resolve,
        reject,
        timeoutMs,
        timer: undefined,
        written: false,
        settled: false,
      };
      this.waiting.push(command);
      this.pump();
      if (!command.written) {
        command.timer = this.clock.setTimeout(() => this.expire(command), timeoutMs);
      }
    });
  }

  /** Hands `reply` to the oldest command in flight; false when no command was waiting for one. */
  deliver(reply: EslReply): boolean {
    const command = this.inFlight.shift();
    if (!command) return false;
    command.timer?.cancel();
    if (!command.settled) {
      command.settled = true;
      command.resolve(reply);
    }
    this.pump();
    return true;
  }

  /** Rejects everything pending with `error`, and every later command too. */
  close(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    const pending = [...this.inFlight, ...this.waiting];
    this.inFlight.length = 0;
    this.waiting.length = 0;
    for (const command of pending) {
      command.timer?.cancel();
      if (!command.settled) {
        command.settled = true;
        command.reject(error);
      }
    }
  }

  /** Commands written or waiting to be written, timed-out ones included. */
  get size(): number {
    return this.waiting.length + this.inFlight.length;
  }

  /** Commands written and still awaiting their replies (timed-out ones included). */
  get inFlightCount(): number {
    return this.inFlight.length;
  }

  private expire(command: PendingCommand): void {
    if (command.settled) return;
    command.settled = true;
    // Never written: drop it. Written: it stays in flight until its reply comes.
    if (!command.written) {
      const index = this.waiting.indexOf(command);
      if (index >= 0) this.waiting.splice(index, 1);
    }
    command.reject(new EslTimeoutError(command.description, command.timeoutMs, command.written));
  }

  private pump(): void {
    if (this.closedWith) return;
    let wire = "";
    while (this.inFlight.length < this.maxInFlight) {
      const next = this.waiting.shift();
      if (!next) break;
      this.inFlight.push(next);
      next.written = true;
      // The reply's timeout counts from the write, not from the queueing.
      next.timer?.cancel();
      next.timer = this.clock.setTimeout(() => this.expire(next), next.timeoutMs);
      wire += next.wire;
    }
    if (wire !== "") this.write(wire);
  }
}
